"""Discovered devices merge into the inventory with stable identity and never overwrite what a person typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write

from agent.inventory import store
from agent.inventory.merge import merge
from agent.model import Observation, UsbFacts

T1 = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc)
T2 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.timezone.utc)


def usb(port: str, serial: str = "", product: str = "USB Keyboard") -> Observation:
    facts = UsbFacts(vendor_id="0627", product_id="0001", product=product, serial=serial, port_path=port)
    identity = f"usb:0627:0001:s:{serial}" if serial else "usb:0627:0001:n:kbd"
    return Observation(source="usb", identity=identity, locator=port, usb=facts)


def test_new_devices_are_added_with_first_and_last_seen(inventory_path: Path) -> None:
    summary = merge(inventory_path, [usb("1-1", serial="42")], T1)
    (item,) = store.load(inventory_path).items
    assert summary.added == (item.id,) == ("usb-keyboard",)
    assert (item.source, item.first_seen, item.last_seen, item.locator) == ("usb", T1, T1, "1-1")
    assert item.usb is not None and item.usb.serial == "42"


def test_a_device_on_another_port_is_the_same_item(inventory_path: Path) -> None:
    merge(inventory_path, [usb("1-1", serial="42")], T1)
    summary = merge(inventory_path, [usb("2-3.1", serial="42")], T2)
    (item,) = store.load(inventory_path).items
    assert summary.added == ()
    assert (item.first_seen, item.last_seen, item.locator) == (T1, T2, "2-3.1")


def test_identical_devices_without_serials_stay_two_items(inventory_path: Path) -> None:
    merge(inventory_path, [usb("1-1"), usb("1-2")], T1)
    merge(inventory_path, [usb("1-2"), usb("1-1")], T2)
    items = store.load(inventory_path).items
    assert [(i.id, i.locator) for i in items] == [("usb-keyboard", "1-1"), ("usb-keyboard-2", "1-2")]
    # One of them moves to a third port while the other stays: still two items, none new.
    summary = merge(inventory_path, [usb("1-2"), usb("3-1")], T2)
    assert summary.added == ()
    assert sorted(i.locator for i in store.load(inventory_path).items) == ["1-2", "3-1"]


def test_discovery_never_overwrites_what_the_person_typed(inventory_path: Path) -> None:
    merge(inventory_path, [usb("1-1", serial="42")], T1)
    text = inventory_path.read_text().replace(
        "[items.usb-keyboard]\n",
        '[items.usb-keyboard]\n# my old keyboard\nname = "Office keyboard"\nbrand = "Cherry"\n',
    )
    write(inventory_path, text)
    merge(inventory_path, [usb("1-4", serial="42", product="Renamed Keyboard")], T2)
    (item,) = store.load(inventory_path).items
    assert (item.name, item.brand) == ("Office keyboard", "Cherry")
    assert item.usb is not None and item.usb.product == "Renamed Keyboard"
    assert "# my old keyboard" in inventory_path.read_text()


def test_hostile_strings_round_trip_through_the_file(inventory_path: Path) -> None:
    nasty = "Key\x1b[2Jboard\u202e\x00\"'\\ ]] [items.x]"
    merge(inventory_path, [usb("1-1", serial="7", product=nasty)], T1)
    (item,) = store.load(inventory_path).items
    assert item.usb is not None and item.usb.product == nasty.strip()


def test_a_device_whose_strings_cannot_be_read_keeps_its_item_at_the_same_port(inventory_path: Path) -> None:
    readable = usb("1-4", serial="SN42")
    merge(inventory_path, [readable], T1)
    # The same device read without permission for its strings: another identity, same family and port.
    unreadable = Observation(
        source="usb",
        identity="usb:0627:0001:n:e3b0c44298fc",
        locator="1-4",
        family="usb:0627:0001",
        usb=UsbFacts(
            vendor_id="0627",
            product_id="0001",
            port_path="1-4",
            unreadable=("product: permission denied", "serial: permission denied"),
            unread=("product", "serial"),
        ),
    )
    summary = merge(inventory_path, [unreadable], T2)
    assert summary.added == ()
    (item,) = store.load(inventory_path).items
    assert (item.last_seen, item.discovered) == (T2, readable.identity)
    assert item.usb is not None and (item.usb.product, item.usb.serial) == ("USB Keyboard", "SN42")
    # Elsewhere it is a device of its own.
    moved = Observation(
        source="usb",
        identity="usb:0627:0001:n:e3b0c44298fc",
        locator="2-1",
        family="usb:0627:0001",
        usb=UsbFacts(vendor_id="0627", product_id="0001", port_path="2-1"),
    )
    assert merge(inventory_path, [moved], T2).added == ("usb-0627-0001",)
