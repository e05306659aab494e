"""One resolved service -> MdnsFacts, from zeroconf ServiceInfo objects built in memory (no network)."""

from __future__ import annotations

import socket
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from zeroconf import ServiceInfo

from agent.model import MdnsFacts
from agent.sources.mdns.convert import (
    clean_addresses,
    facts_from_service_info,
    instance_name,
    service_priority,
    service_type,
)
from agent.sources.mdns.text import MAX_KEYS, MAX_VALUE


def info(
    type_: str,
    instance: str,
    properties: dict[bytes, bytes | None] | bytes,
    server: str | None = "device.local.",
    addresses: tuple[str, ...] = ("192.168.1.20",),
) -> ServiceInfo:
    full = f"{type_}.local."
    packed = [socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET, a) for a in addresses]
    return ServiceInfo(full, f"{instance}.{full}", port=80, properties=properties, server=server, addresses=packed)


DEVICES = [
    # service type, TXT, expected manufacturer, expected model
    ("_ipp._tcp", {b"usb_MFG": b"HP", b"usb_MDL": b"LaserJet 1000", b"ty": b"HP LaserJet 1000"}, "HP", "LaserJet 1000"),
    (
        "_ipps._tcp",
        {b"ty": b"Brother HL-L2350DW series", b"product": b"(Brother HL-L2350DW)"},
        "",
        "Brother HL-L2350DW series",
    ),
    ("_printer._tcp", {b"product": b"(EPSON ET-2750 Series)"}, "", "EPSON ET-2750 Series"),
    ("_pdl-datastream._tcp", {b"usb_MFG": b"Canon", b"usb_MDL": b"MF640C"}, "Canon", "MF640C"),
    ("_googlecast._tcp", {b"md": b"Chromecast Ultra", b"fn": b"Living Room", b"id": b"4f5e"}, "", "Chromecast Ultra"),
    ("_airplay._tcp", {b"model": b"AppleTV6,2", b"deviceid": b"58:55:CA:00:11:22"}, "", "AppleTV6,2"),
    ("_airplay._tcp", {b"manufacturer": b"Sonos", b"model": b"One"}, "Sonos", "One"),
    ("_raop._tcp", {b"am": b"AudioAccessory5,1"}, "", "AudioAccessory5,1"),
    ("_hap._tcp", {b"md": b"H7131", b"id": b"AA:BB:CC:DD:EE:FF", b"ci": b"21"}, "", "H7131"),
    ("_device-info._tcp", {b"model": b"MacBookPro18,3"}, "", "MacBookPro18,3"),
    ("_companion-link._tcp", {b"rpMd": b"AppleTV11,1"}, "", "AppleTV11,1"),
    ("_hue._tcp", {b"bridgeid": b"001788fffe000000", b"modelid": b"BSB002"}, "", "BSB002"),
    ("_govee._tcp", {b"manufacturer": b"Govee", b"model": b"H7131"}, "Govee", "H7131"),  # generic keys
    ("_spotify-connect._tcp", {b"CPath": b"/zc", b"VERSION": b"1.0"}, "", ""),
]


@pytest.mark.parametrize(("type_", "txt", "manufacturer", "model"), DEVICES)
def test_vendor_and_model_come_from_the_keys_each_protocol_uses(
    type_: str, txt: dict[bytes, bytes | None], manufacturer: str, model: str
) -> None:
    facts = facts_from_service_info(info(type_, "Some Device", txt))
    assert facts.manufacturer == manufacturer
    assert facts.model == model
    assert facts.services == (type_,)
    assert facts.instance == "Some Device"
    assert facts.hostname == "device.local"
    assert facts.addresses == ("192.168.1.20",)


def test_txt_keys_are_lower_case_and_values_kept() -> None:
    facts = facts_from_service_info(info("_ipp._tcp", "P", {b"usb_MFG": b"HP", b"Color": b"T", b"flag": None}))
    assert facts.txt == (("color", "T"), ("flag", ""), ("usb_mfg", "HP"))
    assert facts.txt_value("USB_MFG") == "HP"


def test_instance_names_with_dots_and_odd_case_keep_their_label() -> None:
    assert instance_name("My.Printer._IPP._tcp.local.", "_ipp._tcp.local.") == "My.Printer"
    assert instance_name("Weird", "_ipp._tcp.local.") == "Weird"
    assert service_type("_IPP._TCP.local.") == "_ipp._tcp"


def test_addresses_are_validated_ordered_and_stripped_of_zones() -> None:
    got = clean_addresses(["fe80::1%3", "10.0.0.9", "not an ip", "10.0.0.2", "10.0.0.9"])
    assert got == ("10.0.0.2", "10.0.0.9", "fe80::1")


def test_known_device_types_speak_before_unknown_and_weak_ones() -> None:
    assert service_priority("_ipp._tcp") < service_priority("_hap._tcp") < service_priority("_foo._tcp")
    assert service_priority("_foo._tcp") < service_priority("_http._tcp")


HOSTILE_TXT: dict[bytes, bytes | None] = {
    b"usb_MFG": b"\x1b[2J\x1b[31mHP\x1b[0m",
    b"usb_MDL": "Laser\u202ejet".encode() + b"\xff" * 3,
    b"note": b"<b>bold</b>\r\nInjected: line",
    b"huge": b"X" * 250,
    b"k\x1b]0;t\x07ey": b"v",
}


def test_hostile_txt_is_made_safe() -> None:
    facts = facts_from_service_info(
        info("_ipp._tcp", "Evil\u202e Printer\u200b", HOSTILE_TXT, server="ev\u2067il.local.")
    )
    assert facts.manufacturer == "HP"
    assert facts.model == "Laserjet\ufffd\ufffd\ufffd"
    assert facts.txt_value("note") == "<b>bold</b> Injected: line"
    assert facts.txt_value("key") == "v"
    assert facts.instance == "Evil Printer"
    assert facts.hostname == "evil.local"
    _assert_safe(facts)


@dataclass
class FakeInfo:
    """What zeroconf would refuse to build, but a decoder must still survive."""

    type: str
    name: str
    server: str | None
    properties: dict[bytes, bytes | None]

    def parsed_addresses(self) -> list[str]:
        return ["10.0.0.1", "bogus", "::1%lo"]


def test_control_characters_in_names_are_dropped() -> None:
    fake = FakeInfo("_ipp._tcp.local.", "Ev\x1b[5mil\r\nPrinter._ipp._tcp.local.", "h\x00ost.local.", {})
    facts = facts_from_service_info(fake)
    assert (facts.instance, facts.hostname, facts.addresses) == ("Evil Printer", "host.local", ("10.0.0.1", "::1"))


def test_raw_txt_with_many_keys_is_capped() -> None:
    raw = b"".join(bytes([len(s)]) + s for s in (f"key{i}=value{i}".encode() for i in range(400)))
    facts = facts_from_service_info(info("_http._tcp", "Flood", raw))
    assert len(facts.txt) == MAX_KEYS


def test_missing_server_and_addresses_are_empty_facts() -> None:
    facts = facts_from_service_info(info("_hap._tcp", "Lamp", {}, server=None, addresses=()))
    assert facts == MdnsFacts(instance="Lamp", services=("_hap._tcp",))


def _assert_safe(facts: MdnsFacts) -> None:
    texts = [facts.instance, facts.hostname, facts.manufacturer, facts.model, *facts.services]
    texts += [part for pair in facts.txt for part in pair]
    for text in texts:
        assert len(text) <= MAX_VALUE
        assert all(c.isprintable() for c in text), repr(text)


@given(st.binary(max_size=2000), st.text(min_size=1, max_size=63).filter(lambda s: "." not in s))
def test_any_raw_txt_and_instance_never_crash(raw: bytes, instance: str) -> None:
    try:
        service = info("_ipp._tcp", instance, raw)
    except Exception:  # zeroconf itself refuses this name; nothing of ours to test
        return
    _assert_safe(facts_from_service_info(service))
