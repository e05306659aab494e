"""An item's table is read field by field: every field it has is checked, the ones it lacks take the
item's defaults, and the problems of a broken item come in the order of its fields' checks."""

from __future__ import annotations

import datetime as dt

import tomli

from agent.dates import PartialDate
from agent.inventory.parse import read_items
from agent.model import HandledStatus, Handling, HomeAssistantFacts, Item, MdnsFacts, UsbFacts

EVERY_FIELD = """\
version = 1
[items.full]
name = "Desk Lamp"
brand = "Lumo"
model = "L-2"
serial = "S1"
upc = "012345678905"
retailer_id = "B000000001"
code = "C7"
color = "red"
location = "desk"
notes = "bought twice"
manufactured = "2023-04"
purchased = 2023-05-02
source = "usb"
discovered = "usb:1d6b:0002:1-1"
imported = "homebox:7"
locator = "1-1"
first_seen = 2024-06-06T12:00:00Z
last_seen = 2024-06-07T12:00:00Z
[items.full.usb]
vendor_id = "1d6b"
product_id = "0002"
product = "Lamp"
[items.full.mdns]
instance = "lamp"
services = ["_http._tcp"]
[items.full.homeassistant]
device_id = "abc"
name = "Lamp"
[items.full.handled.R-1]
status = "checked"
date = 2024-06-08
"""


def test_every_field_of_an_item_is_read() -> None:
    parsed = read_items(tomli.loads(EVERY_FIELD), "inventory.toml", EVERY_FIELD)
    assert parsed.problems == ()
    utc = dt.timezone.utc
    assert parsed.items == (
        Item(
            id="full",
            name="Desk Lamp",
            brand="Lumo",
            model="L-2",
            serial="S1",
            manufactured=PartialDate(2023, 4),
            purchased=PartialDate(2023, 5, 2),
            upc="012345678905",
            retailer_id="B000000001",
            code="C7",
            color="red",
            location="desk",
            notes="bought twice",
            source="usb",
            discovered="usb:1d6b:0002:1-1",
            imported="homebox:7",
            locator="1-1",
            first_seen=dt.datetime(2024, 6, 6, 12, tzinfo=utc),
            last_seen=dt.datetime(2024, 6, 7, 12, tzinfo=utc),
            usb=UsbFacts(vendor_id="1d6b", product_id="0002", product="Lamp"),
            mdns=MdnsFacts(instance="lamp", services=("_http._tcp",)),
            homeassistant=HomeAssistantFacts(device_id="abc", name="Lamp"),
            handled=(Handling(rule="R-1", status=HandledStatus.CHECKED, date=dt.date(2024, 6, 8)),),
        ),
    )


def test_an_item_with_only_a_name_has_every_default() -> None:
    text = 'version = 1\n[items.bare]\nname = "Kettle"\n'
    assert read_items(tomli.loads(text), "inventory.toml", text).items == (Item(id="bare", name="Kettle"),)


def test_the_problems_of_a_broken_item_come_in_the_order_of_its_fields() -> None:
    text = (
        "version = 1\n[items.bad]\nzzz = 1\nlast_seen = 3\nusb = 4\ndiscovered = 5\nsource = 'tape'\n"
        "purchased = 'soon'\nnotes = 6\nname = 7\n"
    )
    parsed = read_items(tomli.loads(text), "inventory.toml", text)
    assert parsed.items == ()
    assert [p.field for p in parsed.problems] == [
        "name",
        "notes",
        "purchased",
        "source",
        "usb",
        "discovered",
        "last_seen",
        "zzz",
    ]
    assert [p.line for p in parsed.problems] == [10, 9, 8, 7, 5, 6, 4, 3]
