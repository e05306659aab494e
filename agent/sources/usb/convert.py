"""What both USB sources share: cleaning descriptor strings, speed names and the identity of a device."""

from __future__ import annotations

import hashlib
import re

from agent.model import Observation, UsbFacts
from agent.textsafe import ANSI_SEQUENCE, char_class, device

SOURCE = "usb"

# libusb speed codes -> the Mbit/s figure sysfs prints in ``speed``.
SPEED_BY_CODE = {1: "1.5", 2: "12", 3: "480", 4: "5000", 5: "10000", 6: "20000"}

# Serials that many units of a product share. Compared case-insensitively after stripping.
_JUNK_SERIALS = frozenset(
    {
        "none",
        "null",
        "n/a",
        "na",
        "unknown",
        "default",
        "serial",
        "serialnumber",
        "serial_number",
        "0123456789abcdef",
        "0123456789",
        "123456789",
        "1234567890",
        "123456",
        "12345678",
        "abcdef",
    }
)
MAX_STRING = 255  # a string descriptor holds at most 126 characters; more is not a real name
_ONE_CHAR_REPEATED = re.compile(r"^(.)\1*$", re.DOTALL)


def clean_text(field: str, raw: bytes | str) -> tuple[str, tuple[str, ...]]:
    """A descriptor string fit to show, store and match, and notes on what was lost while cleaning it.

    Bytes are decoded as UTF-8 with replacement; the rest follows the device text rule (agent.textsafe):
    escape sequences and invisible characters (controls, bidirectional overrides, zero-width characters)
    dropped, whitespace runs one space, then cut to MAX_STRING.
    """
    lost: list[str] = []
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
            lost.append(f"{field}: undecodable bytes replaced")
    else:
        text = raw
    text = text.rstrip("\n")
    if ANSI_SEQUENCE.search(text) or any(char_class(c) for c in text):
        lost.append(f"{field}: control characters removed")
    kept = device(text, limit=len(text))
    if len(kept) > MAX_STRING:
        kept = kept[:MAX_STRING].rstrip()
        lost.append(f"{field}: cut to {MAX_STRING} characters")
    return kept, tuple(lost)


def serial_looks_unique(serial: str) -> bool:
    """False for serials that are empty, all one character (``000000``, ``FFFF``) or a known placeholder."""
    value = serial.strip().casefold()
    if len(value) < 3 or _ONE_CHAR_REPEATED.match(value):
        return False
    return value not in _JUNK_SERIALS


def usb_identity(facts: UsbFacts) -> str:
    """``usb:VID:PID:s:<serial>`` for a trustworthy serial, else ``usb:VID:PID:n:<hash of the strings>``.

    The string form does not depend on the port, so a device moved to another port keeps its identity;
    identical serial-less devices share it and are told apart by the locator.
    """
    base = f"usb:{facts.vendor_id}:{facts.product_id}"
    if serial_looks_unique(facts.serial):
        return f"{base}:s:{facts.serial}"
    names = "\n".join(" ".join(s.split()).casefold() for s in (facts.manufacturer, facts.product))
    return f"{base}:n:{hashlib.sha256(names.encode('utf-8')).hexdigest()[:12]}"


def observation_from_usb(facts: UsbFacts) -> Observation:
    return Observation(
        source=SOURCE,
        identity=usb_identity(facts),
        locator=facts.port_path,
        family=f"usb:{facts.vendor_id}:{facts.product_id}",
        usb=facts,
    )


def port_sort_key(facts: UsbFacts) -> tuple[int, tuple[int, ...]]:
    """Order devices by bus, then by port path read as numbers (``1-2.10`` after ``1-2.9``)."""
    _, _, ports = facts.port_path.partition("-")
    numbers = tuple(int(p) for p in ports.split(".") if p.isdigit())
    return (facts.bus if facts.bus is not None else -1, numbers)
