"""USB devices through pyusb and libusb: for machines without sysfs, and as a fallback.

The backend comes from the libusb-package wheel when it is installed (no system library needed),
else from the system's libusb. String descriptors need the device opened, which often takes
privileges: a string that cannot be read is left empty and the reason is recorded.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from typing import Any

import usb.backend.libusb0
import usb.backend.libusb1
import usb.control
import usb.core
import usb.util

from agent.model import UsbFacts
from agent.normalize import hex_id
from agent.sources.base import DeviceSource, SourceResult
from agent.sources.usb.convert import SOURCE, SPEED_BY_CODE, clean_text, observation_from_usb, port_sort_key
from agent.sources.usb.ids import UsbIds

log = logging.getLogger(__name__)

ROOT_HUB_VENDOR = "1d6b"  # Linux Foundation: the kernel's root hubs
HUB_CLASS = 0x09


class PyUsbSource(DeviceSource):
    name = SOURCE

    def __init__(
        self,
        backend: Any = None,
        ids: UsbIds | None = None,
        find: Callable[[], Any] | None = None,
    ) -> None:
        """``backend`` is a pyusb backend; without one, ``find`` (default: find_backend) looks for one."""
        self._backend = backend
        self._find = find if find is not None else find_backend
        self.ids = ids if ids is not None else UsbIds()

    def collect(self) -> SourceResult:
        backend = self._backend if self._backend is not None else self._find()
        if backend is None:
            return SourceResult(
                source=self.name,
                skipped="no libusb backend: neither the libusb-package wheel nor a system libusb could be loaded",
            )
        try:
            devices = list(usb.core.find(find_all=True, backend=backend))
        except (usb.core.USBError, usb.core.NoBackendError) as e:
            return SourceResult(source=self.name, skipped=f"cannot list USB devices through libusb: {e}")
        found: list[UsbFacts] = []
        warnings: list[str] = []
        for device in devices:
            try:
                facts = facts_from_pyusb(device)
            except (usb.core.USBError, ValueError) as e:
                warnings.append(f"USB device on bus {device.bus} address {device.address}: {e}")
                continue
            finally:
                usb.util.dispose_resources(device)
            if facts is not None:
                found.append(self.ids.named(facts))
        found.sort(key=port_sort_key)
        return SourceResult(
            source=self.name,
            observations=tuple(observation_from_usb(f) for f in found),
            warnings=tuple(warnings),
        )


def find_backend() -> Any:
    """The libusb-package backend if the wheel is there, else the system's libusb 1.0, else libusb 0.1."""
    try:
        import libusb_package  # optional at run time

        backend = libusb_package.get_libusb1_backend()
        if backend is not None:
            return backend
    except (ImportError, OSError) as e:
        log.debug("libusb-package backend unavailable: %s", e)
    for module in (usb.backend.libusb1, usb.backend.libusb0):
        backend = module.get_backend()
        if backend is not None:
            return backend
    return None


def facts_from_pyusb(device: Any) -> UsbFacts | None:
    """Facts about one pyusb Device, or None for a root hub (which is not a device one owns)."""
    ports = tuple(getattr(device, "port_numbers", None) or ())
    vendor, product = hex_id(device.idVendor), hex_id(device.idProduct)
    if not ports and vendor == ROOT_HUB_VENDOR and device.bDeviceClass == HUB_CLASS:
        return None
    strings: dict[str, str] = {}
    lost: list[str] = []
    unread: list[str] = []
    for field, index in (
        ("manufacturer", device.iManufacturer),
        ("product", device.iProduct),
        ("serial", device.iSerialNumber),
    ):
        strings[field], notes = read_string(device, field, index)
        lost.extend(notes)
        if notes and not strings[field]:  # it has a string, but nothing of it could be read
            unread.append(field)
    bus = device.bus
    return UsbFacts(
        vendor_id=vendor,
        product_id=product,
        bcd_device=f"{device.bcdDevice:04x}",
        manufacturer=strings["manufacturer"],
        product=strings["product"],
        serial=strings["serial"],
        device_class=f"{device.bDeviceClass:02x}",
        interface_classes=interface_classes(device),
        bus=bus,
        port_path=f"{bus}-{'.'.join(str(p) for p in ports)}" if bus is not None and ports else "",
        speed=SPEED_BY_CODE.get(device.speed, "") if device.speed is not None else "",
        unreadable=tuple(lost),
        unread=tuple(unread),
    )


def read_string(device: Any, field: str, index: int) -> tuple[str, tuple[str, ...]]:
    """One string descriptor, cleaned; ``("", (reason,))`` if it cannot be read.

    Decoded here rather than by pyusb so that a malformed descriptor costs a few characters, not the string.
    """
    if not index:
        return "", ()
    try:
        langids = usb.util.get_langids(device)
        if not langids:
            return "", (f"{field}: the device offers no string languages",)
        buf = usb.control.get_descriptor(device, 254, usb.util.DESC_TYPE_STRING, index, langids[0])
    except usb.core.USBError as e:
        return "", (f"{field}: {_usb_error_reason(e)}",)
    except (ValueError, NotImplementedError) as e:
        return "", (f"{field}: unreadable ({e})",)
    payload = bytes(buf[2 : buf[0] & 0xFE])
    text = payload.decode("utf-16-le", errors="replace")
    lost = (f"{field}: undecodable bytes replaced",) if "\ufffd" in text else ()
    cleaned, notes = clean_text(field, text)
    return cleaned, (*lost, *notes)


def interface_classes(device: Any) -> tuple[str, ...]:
    """The bInterfaceClass of each interface of the first configuration, once each, in interface order."""
    classes: list[str] = []
    try:
        configuration = device[0]
        for interface in configuration:
            value = f"{interface.bInterfaceClass:02x}"
            if value not in classes:
                classes.append(value)
    except (usb.core.USBError, IndexError, NotImplementedError) as e:
        log.debug("cannot read the configuration of %s: %s", device, e)
    return tuple(classes)


def _usb_error_reason(error: usb.core.USBError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ENODEV:
        return "device disconnected"
    return str(error.strerror or error)
