"""A scan drafts its merge while the network still answers (merge.draft) and writes the draft as it is
(store.commit_draft) only when it was drafted from the same observations at the same time and the file
still holds the text it was drafted from; otherwise the merge runs as it did without a draft.

The devices are real: the USB devices of a tree recorded from a Debian kernel (tests/data/sysfs/many)
and mDNS services with the TXT records such devices announce."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import tomli
import tomlkit
from conftest import write

from agent import tomlmemo
from agent.errors import InventoryError
from agent.inventory import store
from agent.inventory.merge import draft, merge
from agent.model import MdnsFacts, Observation
from agent.sources.mdns.merge import observations_from_services
from agent.sources.usb.sysfs import UsbSysfsSource

T1 = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc)
T2 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.timezone.utc)
SYSFS = Path(__file__).resolve().parents[1] / "data" / "sysfs" / "many" / "sys" / "bus" / "usb" / "devices"
TYPED = """# my things
[items.lamp]
name = "Desk lamp"  # from the attic

[items.kettle]
name = "Kettle"
"""
SERVICES = [
    ("_ipp._tcp", "HP LaserJet 1000", {"usb_mfg": "HP", "usb_mdl": "LaserJet 1000", "uuid": "1b1c-aa"}),
    ("_googlecast._tcp", "Living Room TV", {"md": "Chromecast Ultra", "fn": "Living Room", "id": "4f5e0011"}),
    ("_hap._tcp", "Heater", {"md": "H7131", "id": "AA:BB:CC:DD:EE:F0", "ci": "21"}),
    ("_airplay._tcp", "Kitchen", {"manufacturer": "Sonos", "model": "One", "deviceid": "5C:AA:FD:01:02:03"}),
    ("_spotify-connect._tcp", "Speaker", {"cpath": "/zc", "version": "1.0"}),
]


def devices() -> list[Observation]:
    usb = UsbSysfsSource(SYSFS).collect()
    assert not usb.skipped and len(usb.observations) > 30
    services = [
        MdnsFacts(
            instance=instance,
            hostname=f"{instance.lower().replace(' ', '-')}.local",
            services=(type_,),
            txt=tuple(sorted(txt.items())),
            model=txt.get("md") or txt.get("model") or txt.get("usb_mdl", ""),
            addresses=("192.168.1.20",),
        )
        for type_, instance, txt in SERVICES
    ]
    return [*usb.observations, *observations_from_services(services)]


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path, list[Observation]]:
    """Two copies of one inventory (typed items and devices seen before), and what a scan sees now."""
    seen = devices()
    first = write(tmp_path / "a" / "inventory.toml", TYPED)
    merge(first, seen[::2], T1)
    second = tmp_path / "b" / "inventory.toml"
    second.parent.mkdir()
    shutil.copyfile(first, second)
    return first, second, seen


def renders(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    made: list[object] = []
    dumps = tomlkit.dumps

    def counted(doc: object) -> str:
        made.append(doc)
        return dumps(doc)  # type: ignore[arg-type]

    monkeypatch.setattr(tomlkit, "dumps", counted)
    return made


def test_a_draft_of_the_same_observations_is_written_as_it_is_and_is_what_the_merge_writes(
    two: tuple[Path, Path, list[Observation]], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, drafted, seen = two
    expected = merge(plain, seen, T2)
    before = drafted.read_bytes()
    ahead = draft(drafted, seen, T2)
    assert ahead is not None
    assert drafted.read_bytes() == before  # a draft writes nothing
    made = renders(monkeypatch)
    summary = merge(drafted, seen, T2, drafted=ahead)
    assert made == []  # nothing was worked out again
    assert summary == expected and len(summary.added) > 15
    assert drafted.read_bytes() == plain.read_bytes()
    assert (drafted.parent / "inventory.toml.bak").read_bytes() == before


@pytest.mark.parametrize("other", ["fewer", "later"])
def test_a_draft_of_other_observations_or_another_time_is_not_written(
    two: tuple[Path, Path, list[Observation]], monkeypatch: pytest.MonkeyPatch, other: str
) -> None:
    plain, drafted, seen = two
    expected = merge(plain, seen, T2)
    ahead = draft(drafted, seen[:-1], T2) if other == "fewer" else draft(drafted, seen, T1)
    made = renders(monkeypatch)
    assert merge(drafted, seen, T2, drafted=ahead) == expected
    assert len(made) == 1  # merged as without a draft
    assert drafted.read_bytes() == plain.read_bytes()


def test_an_edit_made_after_the_draft_is_kept(two: tuple[Path, Path, list[Observation]]) -> None:
    _, path, seen = two
    ahead = draft(path, seen, T2)
    edited = path.read_text() + '\n[items.radio]\nname = "Radio"  # added while the scan ran\n'
    path.write_text(edited)
    summary = merge(path, seen, T2, drafted=ahead)
    text = path.read_text()
    assert 'name = "Radio"  # added while the scan ran' in text and "# from the attic" in text
    ids = {i.id for i in store.load(path).items}
    assert {"radio", "lamp", "kettle", *summary.added} <= ids


def test_a_file_made_read_only_after_the_draft_is_refused_as_without_one(
    two: tuple[Path, Path, list[Observation]],
) -> None:
    _, path, seen = two
    ahead = draft(path, seen, T2)
    before = path.read_bytes()
    path.chmod(0o400)
    with pytest.raises(InventoryError, match="read-only"):
        merge(path, seen, T2, drafted=ahead)
    assert path.read_bytes() == before


def test_no_draft_of_a_broken_inventory_and_the_merge_still_says_why(inventory_path: Path) -> None:
    write(inventory_path, "[items.lamp\nname = 1\n")
    seen = devices()
    assert draft(inventory_path, seen, T2) is None
    with pytest.raises(InventoryError, match="invalid TOML"):
        merge(inventory_path, seen, T2)


def test_a_draft_for_a_new_inventory_makes_the_file_the_merge_makes(tmp_path: Path) -> None:
    seen = devices()
    plain, drafted = tmp_path / "a" / "inventory.toml", tmp_path / "b" / "inventory.toml"
    expected = merge(plain, seen, T2)
    ahead = draft(drafted, seen, T2)
    assert not drafted.exists()
    assert merge(drafted, seen, T2, drafted=ahead) == expected
    assert drafted.read_bytes() == plain.read_bytes()


def test_the_inventory_read_back_after_a_written_draft_is_not_parsed_again(
    two: tuple[Path, Path, list[Observation]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, drafted, seen = two
    merge(plain, seen, T2)
    tomlmemo.keep_in(tmp_path / "parsed")
    try:
        ahead = draft(drafted, seen, T2)
        merge(drafted, seen, T2, drafted=ahead)
        parsed: list[str] = []
        loads = tomli.loads

        def counted(text: str) -> dict[str, object]:
            parsed.append(text)
            return loads(text)

        monkeypatch.setattr(tomli, "loads", counted)
        items = store.load(drafted).items
    finally:
        tomlmemo.keep_in(None)
    assert parsed == []  # the draft kept the parse of what it wrote
    assert items == store.load(plain).items
