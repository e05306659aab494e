"""The shipped JSON Schemas describe the real output of `scan --format json` and `inventory list --format json`."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import Run, write

Cli = Callable[..., Run]
INVENTORY = """
version = 1

[items.pb]
name = "Power bank"
brand = "Anker"
model = "A1112"
serial = "AP1"
purchased = 2024-01-05
location = "desk"

[items.pb.handled.anker-2024-321-power-bank]
status = "ignored"
date = 2024-07-01
until = 2999-01-01
reason = "waiting for the courier"

[items.stand]
brand = "Belkin"
model = "WIZ003"

[items.conf]
source = "usb"
discovered = "usb:291a:3302:s:ABC"
locator = "1-2"
first_seen = 2026-11-20T09:12:00Z
last_seen = 2026-11-25T08:00:00Z

[items.conf.usb]
vendor_id = "291a"
product_id = "3302"
manufacturer = "Anker"
product = "AnkerWork PowerConf S3"
interface_classes = ["01"]
bus = 1

[items.printer]
source = "mdns"
discovered = "mdns:printer"

[items.printer.mdns]
instance = "Office printer"
services = ["_ipp._tcp"]
txt = { ty = "Brother HL", usb_mdl = "HL-1" }
addresses = ["192.0.2.7"]

[items.vague]
name = "Anker 321 Power Bank"

[items.hint]
name = "Baseus magnetic power bank"
brand = "Baseus"

[items.broken]
name = "Lamp"
serial = 12
"""


def schema(name: str) -> dict[str, Any]:
    text = (
        resources.files("agent.report").joinpath("schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def _validate(document: object, name: str) -> None:
    jsonschema.Draft202012Validator(schema(name)).validate(document)


def test_scan_output_matches_its_schema(cli: Cli, inventory_path: Path, tmp_path: Path) -> None:
    write(inventory_path, INVENTORY)
    write(tmp_path / "rules" / "bad.toml", "id = 'bad'\n")
    result = cli("scan", "--source", "inventory", "--format", "json", "--rules", str(tmp_path / "rules"))
    document = json.loads(result.out)
    _validate(document, "scan")
    kinds = {p["kind"] for p in document["problems"]}
    assert kinds == {"inventory", "rule"}
    rule_problem = next(p for p in document["problems"] if p["kind"] == "rule")
    assert rule_problem["item"] == "bad" and rule_problem["file"].endswith("bad.toml")
    confidences = {f["confidence"] for f in document["findings"]}
    assert confidences == {"confirmed", "likely", "possible"}
    assert any(f["handled"] for f in document["findings"])


def test_inventory_list_matches_its_schema(cli: Cli, inventory_path: Path) -> None:
    write(inventory_path, INVENTORY.split("[items.broken]", maxsplit=1)[0])
    document = json.loads(cli("inventory", "list", "--format", "json").out)
    _validate(document, "inventory")
    by_id = {item["id"]: item for item in document["items"]}
    assert by_id["pb"]["handled"][0]["until"] == "2999-01-01"
    assert by_id["conf"]["usb"]["interface_classes"] == ["01"] and by_id["conf"]["usb"]["bus"] == 1
    assert ["ty", "Brother HL"] in by_id["printer"]["mdns"]["txt"]


def test_the_schemas_refuse_what_the_program_never_writes(cli: Cli, inventory_path: Path) -> None:
    write(inventory_path, INVENTORY.split("[items.broken]", maxsplit=1)[0])
    document = json.loads(cli("inventory", "list", "--format", "json").out)
    document["items"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        _validate(document, "inventory")
    scan_schema, inventory_schema = schema("scan"), schema("inventory")
    assert scan_schema["$defs"]["item"] == inventory_schema["$defs"]["item"]  # one item, described once per file
