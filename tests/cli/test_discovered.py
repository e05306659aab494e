"""Discovered devices: the first scan summarises, an ignore list keeps devices out, a removed one stays out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

Cli = Callable[..., Run]
TREE = Path(__file__).parents[1] / "data" / "sysfs" / "many" / "sys" / "bus" / "usb" / "devices"


def _scan(cli: Cli) -> Run:
    return cli("scan", "--source", "usb", "--sysfs-root", str(TREE))


def _usb_items(cli: Cli) -> dict[str, str]:
    listed = json.loads(cli("inventory", "list", "--format", "json", "--source", "usb").out)
    return {item["id"]: item["discovered"] for item in listed["items"]}


def test_the_first_scan_summarises_what_it_added(cli: Cli) -> None:
    first = _scan(cli)
    items = _usb_items(cli)
    assert len(items) > 5
    text = " ".join(first.out.split())
    assert f"New in the inventory: {len(items)} USB devices; see `recall-agent inventory list --source usb`" in text
    summary = text.split("Inventory:")[1]
    assert not any(item_id in summary for item_id in items)  # summarised, not listed one by one
    assert "Keep a device out for good: `recall-agent inventory ignore ID`" in text
    second = " ".join(_scan(cli).out.split())
    assert "New in the inventory" not in second


def test_removed_and_ignored_devices_stay_out(cli: Cli, inventory_path: Path) -> None:
    _scan(cli)
    items = _usb_items(cli)
    removed, ignored = sorted(items)[:2]
    gone = cli("inventory", "remove", removed)
    assert gone.code == 0 and f"{items[removed]} will not be added again" in gone.out
    kept_out = cli("inventory", "ignore", ignored)
    assert kept_out.code == 0, kept_out.err
    hubs = cli("inventory", "ignore", "--match", "usb:1d6b:*")
    assert hubs.code == 0
    after = _scan(cli)
    assert after.code in (0, 1), after.err
    now = _usb_items(cli)
    assert removed not in now and ignored not in now
    assert items[removed] not in now.values() and items[ignored] not in now.values()
    assert not any(identity.startswith("usb:1d6b:") for identity in now.values())
    listed = cli("inventory", "ignore", "--list").out.splitlines()
    assert set(listed) == {items[removed], items[ignored], "usb:1d6b:*"}
    assert "ignore = [" in inventory_path.read_text()
    assert cli("inventory", "ignore", "--undo", items[removed]).code == 0
    _scan(cli)
    assert items[removed] in _usb_items(cli).values()
    manual = cli("inventory", "add", "Kettle")
    assert manual.code == 0
    refused = cli("inventory", "ignore", "kettle")
    assert refused.code == 2 and "was added by hand" in refused.err


def test_no_save_scans_skip_ignored_devices(cli: Cli) -> None:
    cli("inventory", "add", "Kettle")
    cli("inventory", "ignore", "--match", "usb:*")
    report = json.loads(cli("scan", "--source", "usb", "--sysfs-root", str(TREE), "--no-save", "--format", "json").out)
    assert report["items"] == 1
