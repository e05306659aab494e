"""USB devices as Linux sysfs shows them in /sys/bus/usb/devices. Needs no privileges."""

from __future__ import annotations

import errno
import logging
import os
import re
from pathlib import Path

from agent.model import UsbFacts
from agent.normalize import hex_id
from agent.sources.base import DeviceSource, SourceResult
from agent.sources.usb import SYSFS_ROOT
from agent.sources.usb.convert import SOURCE, clean_text, observation_from_usb, port_sort_key
from agent.sources.usb.ids import UsbIds

log = logging.getLogger(__name__)

# "1-2" or "1-2.3.1": a device. "usb1" (a root hub) and "1-2:1.0" (an interface) are not.
_DEVICE_NAME = re.compile(r"^(\d+)-(\d+(?:\.\d+)*)$")
_INTERFACE_NAME = re.compile(r"^\d+-\d+(?:\.\d+)*:(\d+)\.(\d+)$")
_FIRST_NUMBER = re.compile(r"[0-9A-Fa-f.]+")
_STRINGS = ("manufacturer", "product", "serial")


class DeviceGone(Exception):
    """The device's directory vanished while it was read: it was unplugged during the scan."""


class UsbSysfsSource(DeviceSource):
    name = SOURCE

    def __init__(self, root: Path = SYSFS_ROOT, ids: UsbIds | None = None) -> None:
        self.root = root
        self.ids = ids if ids is not None else UsbIds()

    def collect(self) -> SourceResult:
        try:
            names = sorted(n for n in os.listdir(self.root) if _DEVICE_NAME.match(n))
        except FileNotFoundError:
            return SourceResult(source=self.name, skipped=f"no USB sysfs at {self.root}")
        except OSError as e:
            return SourceResult(source=self.name, skipped=f"cannot list {self.root}: {e.strerror or e}")
        if not names:  # a real devices folder always holds its root hubs (usb1, ...)
            return SourceResult(
                source=self.name,
                skipped=f"no USB devices under {self.root} (expected a folder like /sys/bus/usb/devices)",
            )
        found: list[UsbFacts] = []
        warnings: list[str] = []
        for name in names:
            try:
                found.append(self.ids.named(facts_from_sysfs(self.root / name)))
            except DeviceGone:
                log.debug("%s disappeared during the scan", name)
            except ValueError as e:
                warnings.append(f"{self.root / name}: {e}")
        found.sort(key=port_sort_key)
        return SourceResult(
            source=self.name,
            observations=tuple(observation_from_usb(f) for f in found),
            warnings=tuple(warnings),
        )


def facts_from_sysfs(device: Path) -> UsbFacts:
    """Read one device directory. Raises DeviceGone if it vanishes, ValueError if it has no usable ids."""
    attrs = _Attributes(device)
    vendor, product = attrs.text("idVendor"), attrs.text("idProduct")
    missing = [name for name, value in (("idVendor", vendor), ("idProduct", product)) if not value]
    if missing:
        raise ValueError(f"no {' or '.join(missing)}")
    strings: dict[str, str] = {}
    lost: list[str] = []
    for field in _STRINGS:
        raw = attrs.raw(field)
        if raw is None:
            strings[field] = ""
            continue
        strings[field], notes = clean_text(field, raw)
        lost.extend(notes)
    bus = attrs.number("busnum")
    match = _DEVICE_NAME.match(device.name)
    if bus is None and match:
        bus = int(match[1])
    return UsbFacts(
        vendor_id=hex_id(vendor),
        product_id=hex_id(product),
        bcd_device=attrs.number_text("bcdDevice").lower(),
        device_class=attrs.number_text("bDeviceClass").lower(),
        interface_classes=interface_classes(device),
        bus=bus,
        port_path=device.name,
        speed=attrs.number_text("speed"),
        manufacturer=strings["manufacturer"],
        product=strings["product"],
        serial=strings["serial"],
        unreadable=(*attrs.unreadable, *lost),
        unread=tuple(f for f in _STRINGS if f in attrs.failed),
    )


def interface_classes(device: Path) -> tuple[str, ...]:
    """The bInterfaceClass of each interface of the active configuration, in interface order, once each."""
    try:
        children = os.listdir(device)
    except FileNotFoundError as e:
        raise DeviceGone(str(device)) from e
    except OSError:
        return ()
    interfaces = []
    for child in children:
        match = _INTERFACE_NAME.match(child)
        if match and child.startswith(device.name + ":"):
            interfaces.append(((int(match[1]), int(match[2])), child))
    classes: list[str] = []
    for _, child in sorted(interfaces):
        value = _Attributes(device / child).number_text("bInterfaceClass").lower()
        if value and value not in classes:
            classes.append(value)
    return tuple(classes)


class _Attributes:
    """Reads attribute files of one sysfs directory, noting those that exist but cannot be read."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.unreadable: list[str] = []
        self.failed: list[str] = []  # the names of the attributes in ``unreadable``

    def raw(self, name: str) -> bytes | None:
        try:
            return (self.directory / name).read_bytes()
        except FileNotFoundError:
            if not self.directory.is_dir():
                raise DeviceGone(str(self.directory)) from None
            return None
        except OSError as e:
            if e.errno == errno.ENODEV or not self.directory.is_dir():
                raise DeviceGone(str(self.directory)) from e
            reason = "permission denied" if e.errno in (errno.EACCES, errno.EPERM) else (e.strerror or str(e))
            self.unreadable.append(f"{name}: {reason}")
            self.failed.append(name)
            return None

    def text(self, name: str) -> str:
        """A one-word attribute, stripped of padding; "" when missing."""
        raw = self.raw(name)
        return "" if raw is None else raw.decode("ascii", errors="replace").strip()

    def number_text(self, name: str) -> str:
        """A numeric attribute with padding and units dropped: ``" 1"`` -> ``"1"``, ``"100mA"`` -> ``"100"``."""
        match = _FIRST_NUMBER.search(self.text(name))
        return match[0] if match else ""

    def number(self, name: str) -> int | None:
        value = self.number_text(name)
        return int(value) if value.isdigit() else None
