"""The records everything else passes around. All frozen; partial failure is a value, not an exception."""

from __future__ import annotations

from enum import Enum

from agent import datetimes as dt
from agent.dates import PartialDate
from agent.record import Record, field


class UsbFacts(Record, kw_only=True):
    """What a USB device says about itself. Ids are four lower-case hex digits; strings are stripped."""

    vendor_id: str
    product_id: str
    bcd_device: str = ""
    manufacturer: str = ""
    product: str = ""
    serial: str = ""  # the descriptor serial, not the serial printed on the label
    device_class: str = ""
    interface_classes: tuple[str, ...] = ()
    bus: int | None = None
    port_path: str = ""
    speed: str = ""
    vendor_name: str = ""  # from usb.ids or the project's own table
    product_name: str = ""
    unreadable: tuple[str, ...] = ()  # why a string was left empty, e.g. "serial: permission denied"
    unread: tuple[str, ...] = ()  # the string fields that could not be read this time (never stored)


class MdnsFacts(Record, kw_only=True):
    """What a device announces over mDNS/DNS-SD, merged over all the services it publishes."""

    instance: str = ""
    hostname: str = ""
    services: tuple[str, ...] = ()
    txt: tuple[tuple[str, str], ...] = ()  # (plain lower-case key, value) pairs from every service
    manufacturer: str = ""
    model: str = ""
    addresses: tuple[str, ...] = ()

    def txt_value(self, key: str) -> str | None:
        wanted = key.lower()
        for k, v in self.txt:
            if k == wanted:
                return v
        return None


class HomeAssistantFacts(Record, kw_only=True):
    """What Home Assistant's device registry knows about a device. ``identifiers`` and ``connections`` are
    "domain:value" and "type:value" strings, as HA pairs them."""

    device_id: str
    identifiers: tuple[str, ...] = ()
    connections: tuple[str, ...] = ()
    manufacturer: str = ""
    model: str = ""
    model_id: str = ""
    name: str = ""  # the integration's name for it
    name_by_user: str = ""  # the name the person gave it in Home Assistant
    serial_number: str = ""
    sw_version: str = ""
    hw_version: str = ""
    area: str = ""

    @property
    def label(self) -> str:
        return self.name_by_user or self.name or " ".join(p for p in (self.manufacturer, self.model) if p)


class Observation(Record, kw_only=True):
    """One device a source saw during one scan.

    ``identity`` is stable for the same physical device across scans (never an IP or a port);
    ``locator`` says where it was seen this time and breaks ties between identical devices.
    ``family`` lets a device whose identity reads differently this time (its strings could not be read,
    say) keep its item when it is still at the same locator.
    """

    source: str
    identity: str
    locator: str = ""
    family: str = ""  # a prefix of ``identity`` shared by devices of one kind, e.g. "usb:291a:3302"
    usb: UsbFacts | None = None
    mdns: MdnsFacts | None = None
    homeassistant: HomeAssistantFacts | None = None


class HandledStatus(str, Enum):
    CHECKED = "checked"  # checked the label: not affected
    RETURNED = "returned"
    DISPOSED = "disposed"
    REPAIRED = "repaired"
    IGNORED = "ignored"  # ignored until a date


class Handling(Record, kw_only=True):
    """A person's answer to one finding, stored with the item."""

    rule: str
    status: HandledStatus
    date: dt.date | None = None
    until: dt.date | None = None
    reason: str = ""

    def active(self, today: dt.date) -> bool:
        return self.status is not HandledStatus.IGNORED or self.until is None or today <= self.until


class Item(Record, kw_only=True):
    """One thing the household owns, typed in by hand or discovered. User fields are never written by discovery."""

    id: str
    name: str = ""
    brand: str = ""
    model: str = ""
    serial: str = ""  # printed on the label
    manufactured: PartialDate | None = None
    purchased: PartialDate | None = None
    upc: str = ""
    retailer_id: str = ""  # e.g. an Amazon ASIN
    code: str = ""  # batch or date code printed on the unit; "none" when the unit has none
    color: str = ""
    location: str = ""
    notes: str = ""
    source: str = "manual"
    discovered: str = ""  # the Observation identity this item was created from
    imported: str = ""  # "homebox:<ref>" etc.: the row of another inventory this item was imported from
    locator: str = ""
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    usb: UsbFacts | None = None
    mdns: MdnsFacts | None = None
    homeassistant: HomeAssistantFacts | None = None
    handled: tuple[Handling, ...] = field(default=())

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.usb:
            parts = [self.usb.manufacturer or self.usb.vendor_name, self.usb.product or self.usb.product_name]
            label = " ".join(p for p in parts if p)
            return label or f"USB device {self.usb.vendor_id}:{self.usb.product_id}"
        if self.mdns:
            return self.mdns.instance or self.mdns.hostname or self.mdns.model or "network device"
        if self.homeassistant and self.homeassistant.label:
            return self.homeassistant.label
        return self.id

    def handling_for(self, rule_id: str) -> Handling | None:
        for handling in self.handled:
            if handling.rule == rule_id:
                return handling
        return None
