"""Import from Homebox, Snipe-IT, Part-DB and plain CSV; export as CSV, JSON and CycloneDX 1.6."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import Run
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

Cli = Callable[..., Run]
DATA = Path(__file__).parent / "data"


def _items(cli: Cli, *extra: str) -> dict[str, dict[str, object]]:
    listed = json.loads(cli("inventory", "list", "--format", "json", *extra).out)
    return {item["id"]: item for item in listed["items"]}


def test_homebox_import_is_repeatable_and_shows_a_dry_run(cli: Cli, inventory_path: Path, tmp_path: Path) -> None:
    dry = cli("inventory", "import", str(DATA / "homebox.csv"), "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.splitlines()[-1] == (
        "homebox: 3 would be added, 0 would be changed, 0 unchanged, 0 rows skipped; dry run: nothing written"
    )
    assert "+ (new)  Anker 321 Power Bank  [homebox:hb-0001]" in dry.out
    assert not inventory_path.exists()
    first = cli("inventory", "import", str(DATA / "homebox.csv"))
    assert first.code == 0, first.err
    items = _items(cli)
    assert len(items) == 3
    bank = items["anker-321-power-bank"]
    assert bank["brand"] == "Anker" and bank["model"] == "A1112" and bank["serial"] == "AP1234567890"
    assert bank["purchased"] == "2023-05-02" and bank["location"] == "Office" and bank["notes"] == "from the airport"
    assert bank["imported"] == "homebox:hb-0001"
    assert items["stand-wireless"]["location"] == "Living room, shelf"
    again = cli("inventory", "import", str(DATA / "homebox.csv"))
    assert again.out.splitlines()[-1].startswith("homebox: 0 added, 0 changed, 3 unchanged")
    assert len(_items(cli)) == 3
    changed = tmp_path / "homebox-changed.csv"
    changed.write_text((DATA / "homebox.csv").read_text(encoding="utf-8-sig").replace("from the airport", "works"))
    third = cli("inventory", "import", str(changed))
    assert "~ anker-321-power-bank  notes: 'from the airport' -> 'works'" in third.out
    assert len(_items(cli)) == 3 and _items(cli)["anker-321-power-bank"]["notes"] == "works"
    scan = cli("scan", "--source", "inventory")
    assert scan.code == 1 and "RECALLED: Anker 321 Power Bank" in scan.out


def test_snipeit_import_skips_bad_rows_with_their_line(cli: Cli) -> None:
    result = cli("inventory", "import", str(DATA / "snipeit.csv"))
    assert result.code == 2
    assert result.err.strip() == (
        f"recall-agent: error: {DATA / 'snipeit.csv'}:4: purchase date 2999-01-01 is in the future; row skipped"
    )
    items = _items(cli)
    assert set(items) == {"ring-doorbell", "powercore"}
    assert items["ring-doorbell"]["imported"] == "snipeit:A-1001" and items["ring-doorbell"]["serial"] == "S123"
    assert items["powercore"]["purchased"] == "2018-03-01"


def test_part_db_and_a_plain_csv_with_a_mapping(cli: Cli) -> None:
    assert cli("inventory", "import", str(DATA / "partdb.csv")).code == 0
    mapped = cli(
        "inventory", "import", str(DATA / "plain.csv"),
        "--map", "name=What", "--map", "brand=Maker", "--map", "model=Model #", "--map", "location=Where",
    )  # fmt: skip
    assert mapped.code == 0, mapped.err
    items = _items(cli)
    assert items["powerconf-speaker"]["model"] == "A3302" and items["powerconf-speaker"]["imported"] == "partdb:17"
    assert items["baby-monitor"]["brand"] == "Philips Avent" and items["baby-monitor"]["location"] == "Nursery"
    wrong = cli("inventory", "import", str(DATA / "plain.csv"), "--map", "model=Nope")
    assert wrong.code == 2 and "no column named 'Nope'" in wrong.err


def test_csv_export_leaves_private_fields_out_and_round_trips(cli: Cli, tmp_path: Path) -> None:
    for name in ("homebox.csv", "snipeit.csv"):
        cli("inventory", "import", str(DATA / name))
    public = cli("inventory", "export", "--format", "csv").out
    header = next(csv.reader(io.StringIO(public)))
    assert "serial" not in header and "notes" not in header and "location" not in header
    assert "AP1234567890" not in public and "from the airport" not in public
    exported = tmp_path / "export.csv"
    assert cli("inventory", "export", "--format", "csv", "--private", "--output", str(exported)).code == 0
    other = tmp_path / "other.toml"  # created by the import, as by `inventory add`
    back = cli("inventory", "import", str(exported), "--inventory", str(other))
    assert back.code == 0, back.err
    original, copied = _items(cli), _items(cli, "--inventory", str(other))
    keys = ("name", "brand", "model", "serial", "purchased", "location", "notes", "imported")
    assert {i: {k: v[k] for k in keys} for i, v in original.items()} == {
        i: {k: v[k] for k in keys} for i, v in copied.items()
    }
    shutil.copy(other, tmp_path / "before.toml")
    again = cli("inventory", "import", str(exported), "--inventory", str(other))
    assert "0 added, 0 changed" in again.out and other.read_text() == (tmp_path / "before.toml").read_text()


def test_json_export_blanks_private_fields_unless_asked(cli: Cli) -> None:
    cli("inventory", "import", str(DATA / "homebox.csv"))
    public = json.loads(cli("inventory", "export", "--format", "json").out)
    assert public["private"] is False and all(i["serial"] == "" and i["notes"] == "" for i in public["items"])
    private = json.loads(cli("inventory", "export", "--format", "json", "--private").out)
    assert any(i["serial"] == "AP1234567890" for i in private["items"])


def test_cyclonedx_export_validates_against_the_1_6_schema(cli: Cli) -> None:
    cli("inventory", "import", str(DATA / "homebox.csv"))
    cli("inventory", "add", "Doorbell", "--brand", "Ring", "--model", "5UM5E5", "--upc", "840080500035")
    cli("ack", "stand-wireless", "belkin-2021-wiz003-wireless-charger-stand", "--as", "checked")
    result = cli("inventory", "export", "--format", "cyclonedx")
    assert result.code == 0, result.err
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(result.out) is None
    bom = json.loads(result.out)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert {c["type"] for c in bom["components"]} == {"device"} and len(bom["components"]) == 4
    refs = {c["bom-ref"] for c in bom["components"]}
    doorbell = next(c for c in bom["components"] if c["name"] == "Doorbell")
    assert {"name": "cdx:device:gs1:gtin-12", "value": "840080500035"} in doorbell["properties"]
    assert "AP1234567890" not in result.out and "from the airport" not in result.out
    by_rule = {v["id"]: v for v in bom["vulnerabilities"]}
    assert {a["ref"] for v in by_rule.values() for a in v["affects"]} <= refs
    bank = next(v for v in bom["vulnerabilities"] if v["affects"][0]["ref"] == "item:anker-321-power-bank")
    assert bank["analysis"]["state"] == "exploitable" and bank["source"]["url"].startswith("https://")
    stand = next(v for v in bom["vulnerabilities"] if v["affects"][0]["ref"] == "item:stand-wireless")
    assert stand["analysis"]["state"] == "not_affected"
    private = cli("inventory", "export", "--format", "cyclonedx", "--private").out
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(private) is None
    assert '"cdx:device:serialNumber"' in private and "AP1234567890" in private
