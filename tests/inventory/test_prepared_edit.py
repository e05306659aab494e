"""A scan parses the inventory while its sources run (store.prepare_edit); the merge takes that parse only
when the file still holds the same text, so an edit made meanwhile is never lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import tomlkit
from conftest import write

from agent.inventory import store
from agent.inventory.merge import merge
from agent.model import Observation, UsbFacts

T1 = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc)
TYPED = """# my things
[items.lamp]
name = "Desk lamp"  # from the attic

[items.kettle]
name = "Kettle"
"""


def keyboard(serial: str) -> Observation:
    facts = UsbFacts(vendor_id="0627", product_id="0001", product="USB Keyboard", serial=serial, port_path="1-1")
    return Observation(source="usb", identity=f"usb:0627:0001:s:{serial}", locator="1-1", usb=facts)


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    parse = tomlkit.parse

    def counted(text: str) -> tomlkit.TOMLDocument:
        seen.append(text)
        return parse(text)

    monkeypatch.setattr(tomlkit, "parse", counted)
    return seen


def test_the_parse_made_ahead_is_used_and_writes_what_a_fresh_parse_writes(
    inventory_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = write(tmp_path / "other.toml", TYPED)
    merge(other, [keyboard("42")], T1)
    write(inventory_path, TYPED)
    prepared = store.prepare_edit(inventory_path)
    assert prepared is not None
    seen = parses(monkeypatch)
    merge(inventory_path, [keyboard("42")], T1, prepared)
    assert seen == []  # the merge parsed nothing again
    assert inventory_path.read_text() == other.read_text()


def test_an_edit_made_after_the_parse_ahead_is_kept(inventory_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(inventory_path, TYPED)
    prepared = store.prepare_edit(inventory_path)
    edited = TYPED + '\n[items.radio]\nname = "Radio"  # added while the scan ran\n'
    write(inventory_path, edited)
    seen = parses(monkeypatch)
    merge(inventory_path, [keyboard("42")], T1, prepared)
    assert seen == [edited]
    text = inventory_path.read_text()
    assert 'name = "Radio"  # added while the scan ran' in text and "# from the attic" in text
    assert {i.id for i in store.load(inventory_path).items} == {"lamp", "kettle", "radio", "usb-keyboard"}


def test_nothing_to_parse_ahead_for_a_missing_or_broken_inventory(inventory_path: Path) -> None:
    assert store.prepare_edit(inventory_path) is None
    write(inventory_path, "[items.lamp\nname = 1\n")
    assert store.prepare_edit(inventory_path) is None
