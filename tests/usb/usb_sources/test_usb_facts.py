"""Cleaning descriptor strings and the identity rules the inventory merge relies on."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.model import UsbFacts
from agent.sources.mdns.text import clean_text as mdns_clean_text
from agent.sources.usb.convert import clean_text, observation_from_usb, port_sort_key, serial_looks_unique, usb_identity


def usb(**fields: object) -> UsbFacts:
    values: dict[str, object] = {"vendor_id": "291a", "product_id": "3302", "port_path": "1-2.3", "bus": 1}
    values.update(fields)
    return UsbFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("serial", "unique"),
    [
        ("A3302C11B2400154", True),
        ("4C530001230815109281", True),
        ("ABC", True),
        ("", False),
        ("  ", False),
        ("0", False),
        ("00000000", False),
        ("0000000000000000", False),
        ("FFFFFFFF", False),
        ("ffffffff", False),
        ("0123456789ABCDEF", False),
        ("123456789", False),
        ("Serial", False),
        ("N/A", False),
        ("AB", False),
    ],
)
def test_serial_looks_unique(serial: str, unique: bool) -> None:
    assert serial_looks_unique(serial) is unique


def test_identity_with_a_serial() -> None:
    facts = usb(serial="A3302C11B2400154", manufacturer="Anker", product="PowerConf S3")
    observation = observation_from_usb(facts)
    assert observation.source == "usb"
    assert observation.identity == "usb:291a:3302:s:A3302C11B2400154"
    assert observation.locator == "1-2.3"
    assert observation.usb is facts


def test_identity_without_a_serial_hashes_the_strings() -> None:
    plain = usb_identity(usb(manufacturer="Anker", product="PowerConf S3", serial="000000"))
    assert plain.startswith("usb:291a:3302:n:")
    assert len(plain.rsplit(":", 1)[1]) == 12
    assert plain == usb_identity(usb(manufacturer=" anker ", product="PowerConf  S3", port_path="2-1"))
    assert plain != usb_identity(usb(manufacturer="Anker", product="PowerConf S3+"))
    assert plain != usb_identity(usb(manufacturer="Anker", product="PowerConf S3", product_id="3303"))
    # manufacturer and product do not run into each other
    assert usb_identity(usb(manufacturer="AB", product="C")) != usb_identity(usb(manufacturer="A", product="BC"))


def test_identity_does_not_depend_on_where_or_how_it_was_seen() -> None:
    here = usb(serial="X1Y2Z3", port_path="1-2", bus=1, speed="480", vendor_name="Anker")
    there = usb(serial="X1Y2Z3", port_path="3-4.1", bus=3, speed="12", unreadable=("product: permission denied",))
    assert usb_identity(here) == usb_identity(there)


@pytest.mark.parametrize(
    ("raw", "text", "lost"),
    [
        (b"QEMU USB Keyboard\n", "QEMU USB Keyboard", ()),
        (b"  padded \n", "padded", ()),
        ("Ünïcode ™\n".encode(), "Ünïcode ™", ()),
        (b"Bad\xff\xfeBytes\n", "Bad\ufffd\ufffdBytes", ("f: undecodable bytes replaced",)),
        (b"Bell\x07\x1b[0m\x00\n", "Bell", ("f: control characters removed",)),
        (b"\xc3\x07", "\ufffd", ("f: undecodable bytes replaced", "f: control characters removed")),
        ("already text\t", "already text", ("f: control characters removed",)),
        (b"", "", ()),
    ],
)
def test_clean_text(raw: bytes | str, text: str, lost: tuple[str, ...]) -> None:
    assert clean_text("f", raw) == (text, lost)


def test_usb_strings_follow_the_device_text_rule_of_mdns() -> None:
    """Escape sequences go whole and a tab is a space, so the name reads (and matches) as the device means it."""
    assert clean_text("product", "Anker\x1b[31m Power\tBank") == (
        "Anker Power Bank",
        ("product: control characters removed",),
    )
    assert clean_text("product", "Anker\x1b[31m Power\tBank")[0] == mdns_clean_text("Anker\x1b[31m Power\tBank")


@given(st.binary(max_size=64))
def test_clean_text_never_keeps_control_characters(raw: bytes) -> None:
    text, lost = clean_text("product", raw)
    assert not any(unicodedata.category(c) == "Cc" for c in text)
    assert text == text.strip()
    if not lost:  # nothing lost: the same words, one space between them
        assert text == " ".join(raw.decode("utf-8").split())


def test_port_sort_key_reads_ports_as_numbers() -> None:
    paths = ["2-1", "1-10", "1-2.10", "1-2.9", "1-2", "1-1.1.1.1.1.1"]
    ordered = sorted((usb(port_path=p, bus=int(p.split("-")[0])) for p in paths), key=port_sort_key)
    assert [f.port_path for f in ordered] == ["1-1.1.1.1.1.1", "1-2", "1-2.9", "1-2.10", "1-10", "2-1"]
