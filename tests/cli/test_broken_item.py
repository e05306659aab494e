"""One broken item is reported with its line and skipped; every other item is still matched."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run, write

Cli = Callable[..., Run]
INVENTORY = """
version = 1

[items.pb]
name = "Power bank"
brand = "Anker"
model = "A1112"

[items.typo]
name = "Lamp"
serial = 1234567
modle = "L1"

[items.kettle]
name = "Kettle"
"""


def test_a_broken_item_is_skipped_and_the_rest_checked(cli: Cli, inventory_path: Path) -> None:
    write(inventory_path, INVENTORY)
    result = cli("scan", "--source", "inventory")
    assert result.code == 1  # the power bank is still found
    assert "RECALLED: Power bank" in result.out
    assert "Not checked, broken in the file: typo" in " ".join(result.out.split())
    assert result.err.splitlines() == [
        f"recall-agent: error: {inventory_path}:10: item typo: field 'serial': expected a string, got the number "
        "1234567 (item skipped)",
        f"recall-agent: error: {inventory_path}:11: item typo: unknown field 'modle' (item skipped)",
    ]
    report = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    assert report["problems"] == [
        {
            "kind": "inventory",
            "file": str(inventory_path),
            "line": 10,
            "item": "typo",
            "field": "serial",
            "message": "field 'serial': expected a string, got the number 1234567",
        },
        {
            "kind": "inventory",
            "file": str(inventory_path),
            "line": 11,
            "item": "typo",
            "field": "modle",
            "message": "unknown field 'modle'",
        },
    ]
    assert report["summary"]["items"] == 2 and report["summary"]["skipped"] == 1


def test_nothing_serious_but_a_broken_item_exits_2(cli: Cli, inventory_path: Path) -> None:
    write(inventory_path, INVENTORY.replace('model = "A1112"', 'model = "X9"'))
    result = cli("scan", "--source", "inventory")
    assert result.code == 2 and "No recalled items found." in result.out


def test_other_items_can_be_edited_and_the_broken_one_mended(cli: Cli, inventory_path: Path) -> None:
    write(inventory_path, INVENTORY)
    assert cli("inventory", "edit", "kettle", "--brand", "Acme").code == 0
    assert 'serial = 1234567\nmodle = "L1"' in inventory_path.read_text()  # left exactly as written
    assert cli("inventory", "edit", "typo", "--serial", "1234567").code == 0
    refused = cli("inventory", "edit", "kettle", "--purchased", "2024-13")
    assert refused.code == 2
    text = inventory_path.read_text()
    text = text.replace('modle = "L1"\n', 'model = "L1"\n')
    inventory_path.write_text(text)
    assert cli("scan", "--source", "inventory").err == ""


def test_a_broken_file_still_stops_everything(cli: Cli, inventory_path: Path) -> None:
    write(inventory_path, "version = 7\n" + INVENTORY.replace("version = 1\n", ""))
    result = cli("scan", "--source", "inventory")
    assert result.code == 2 and "format version 7 is not supported" in result.err
