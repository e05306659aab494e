"""A fake pyusb backend: a real ``usb.backend.IBackend`` subclass serving descriptors from plain records."""

from __future__ import annotations

import array
import os
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import usb.backend
import usb.core

DESC_STRING = 3


@dataclass
class FakeDevice:
    """One device. Strings that are None have no descriptor (index 0); ``errors`` maps a string field
    ("manufacturer", "product", "serial", "langids") to the errno its control transfer fails with."""

    vendor: int
    product_id: int
    manufacturer: str | None = None
    product: str | None = None
    serial: str | None = None
    bcd_device: int = 0x0100
    device_class: int = 0
    interface_classes: tuple[tuple[int, int], ...] = ((0x03, 1),)  # (class, number of alternate settings)
    bus: int = 1
    address: int = 2
    ports: tuple[int, ...] | None = (1,)
    speed: int | None = 3
    langids: tuple[int, ...] = (0x0409,)
    open_errno: int | None = None
    errors: dict[str, int] = field(default_factory=dict)
    raw_strings: dict[str, bytes] = field(default_factory=dict)  # UTF-16 payloads served as they are

    def index(self, name: str) -> int:
        if getattr(self, name) is None and name not in self.raw_strings:
            return 0
        return {"manufacturer": 1, "product": 2, "serial": 3}[name]


class FakeBackend(usb.backend.IBackend):  # type: ignore[misc]
    def __init__(self, devices: list[FakeDevice] | None = None) -> None:
        self.devices = list(devices or [])
        self.open_handles = 0
        self.transfers = 0

    def enumerate_devices(self) -> list[FakeDevice]:
        return list(self.devices)

    def get_parent(self, dev: FakeDevice) -> None:
        return None

    def get_device_descriptor(self, dev: FakeDevice) -> SimpleNamespace:
        return SimpleNamespace(
            bLength=18, bDescriptorType=1, bcdUSB=0x0200, bDeviceClass=dev.device_class,
            bDeviceSubClass=0, bDeviceProtocol=0, bMaxPacketSize0=64, idVendor=dev.vendor,
            idProduct=dev.product_id, bcdDevice=dev.bcd_device, iManufacturer=dev.index("manufacturer"),
            iProduct=dev.index("product"), iSerialNumber=dev.index("serial"), bNumConfigurations=1,
            address=dev.address, bus=dev.bus, port_number=dev.ports[-1] if dev.ports else None,
            port_numbers=dev.ports, speed=dev.speed,
        )  # fmt: skip

    def get_configuration_descriptor(self, dev: FakeDevice, config: int) -> SimpleNamespace:
        if config != 0:
            raise IndexError(config)
        return SimpleNamespace(
            bLength=9, bDescriptorType=2, wTotalLength=9, bNumInterfaces=len(dev.interface_classes),
            bConfigurationValue=1, iConfiguration=0, bmAttributes=0x80, bMaxPower=50, extra_descriptors=[],
        )  # fmt: skip

    def get_interface_descriptor(self, dev: FakeDevice, intf: int, alt: int, config: int) -> SimpleNamespace:
        if config != 0 or intf >= len(dev.interface_classes) or alt >= dev.interface_classes[intf][1]:
            raise IndexError((intf, alt, config))  # pyusb probes alternate settings until this
        return SimpleNamespace(
            bLength=9, bDescriptorType=4, bInterfaceNumber=intf, bAlternateSetting=alt, bNumEndpoints=0,
            bInterfaceClass=dev.interface_classes[intf][0], bInterfaceSubClass=0, bInterfaceProtocol=0,
            iInterface=0, extra_descriptors=[],
        )  # fmt: skip

    def open_device(self, dev: FakeDevice) -> FakeDevice:
        if dev.open_errno is not None:
            raise usb.core.USBError("Access denied (insufficient permissions)", errno=dev.open_errno)
        self.open_handles += 1
        return dev

    def close_device(self, dev_handle: FakeDevice) -> None:
        self.open_handles -= 1

    def ctrl_transfer(  # noqa: PLR0917 - the signature pyusb calls
        self, dev_handle: FakeDevice, bmRequestType: int, bRequest: int, wValue: int, wIndex: int,
        data: array.array[int], timeout: int,
    ) -> int:  # fmt: skip
        self.transfers += 1
        kind, index = wValue >> 8, wValue & 0xFF
        if kind != DESC_STRING or bRequest != 0x06:
            raise usb.core.USBError("Pipe error", errno=32)
        name = "langids" if index == 0 else {1: "manufacturer", 2: "product", 3: "serial"}[index]
        if name in dev_handle.errors:
            raise usb.core.USBError(os.strerror(dev_handle.errors[name]), errno=dev_handle.errors[name])
        if index == 0:
            payload = b"".join(langid.to_bytes(2, "little") for langid in dev_handle.langids)
        elif name in dev_handle.raw_strings:
            payload = dev_handle.raw_strings[name]
        else:
            payload = str(getattr(dev_handle, name)).encode("utf-16-le")
        descriptor = bytes([2 + len(payload), DESC_STRING]) + payload
        size = min(len(descriptor), len(data))
        data[:size] = array.array("B", descriptor[:size])
        return size


def device_with(**overrides: Any) -> FakeDevice:
    """A plausible full-speed CP210x bridge, changed where the test says."""
    fields: dict[str, Any] = {
        "vendor": 0x10C4, "product_id": 0xEA60, "manufacturer": "Silicon Labs",
        "product": "CP2102 USB to UART Bridge Controller", "serial": "0001", "interface_classes": ((0xFF, 1),),
    }  # fmt: skip
    fields.update(overrides)
    return FakeDevice(**fields)
