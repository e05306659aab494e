"""Whatever bytes a USB device or a sysfs tree holds become UsbFacts with safe strings, never an exception."""

from __future__ import annotations

import array
import tempfile
from pathlib import Path
from types import SimpleNamespace

import usb.backend
import usb.core
from hostile.hostile_support import HOSTILE, TEXT, assert_safe
from hypothesis import given
from hypothesis import strategies as st

from agent.model import UsbFacts
from agent.sources.usb.convert import MAX_STRING
from agent.sources.usb.ids import UsbIds
from agent.sources.usb.pyusb import PyUsbSource
from agent.sources.usb.sysfs import UsbSysfsSource

RAW = st.binary(max_size=600) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))
ATTRIBUTES = (
    "idVendor",
    "idProduct",
    "manufacturer",
    "product",
    "serial",
    "busnum",
    "speed",
    "bcdDevice",
    "bDeviceClass",
)
NO_IDS = UsbIds(paths=[])


def assert_facts_safe(facts: UsbFacts) -> None:
    for text in (facts.manufacturer, facts.product, facts.serial):
        assert_safe(text, MAX_STRING)
    for text in (
        facts.vendor_id,
        facts.product_id,
        facts.bcd_device,
        facts.device_class,
        facts.speed,
        facts.port_path,
        *facts.interface_classes,
        *facts.unreadable,
    ):
        assert_safe(text, 4096)


def _sysfs(root: Path, attributes: dict[str, bytes], interface_class: bytes | None) -> None:
    device = root / "1-2"
    device.mkdir(parents=True)
    for name, value in attributes.items():
        (device / name).write_bytes(value)
    if interface_class is not None:
        (device / "1-2:1.0").mkdir()
        (device / "1-2:1.0" / "bInterfaceClass").write_bytes(interface_class)


@HOSTILE
@given(st.fixed_dictionaries({}, optional={name: RAW for name in ATTRIBUTES}), st.none() | RAW)
def test_any_sysfs_attribute_files(attributes: dict[str, bytes], interface_class: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _sysfs(Path(folder), attributes, interface_class)
        result = UsbSysfsSource(Path(folder), ids=NO_IDS).collect()
    assert len(result.observations) + len(result.warnings) == 1
    for observation in result.observations:
        assert observation.usb is not None
        assert_facts_safe(observation.usb)
    for warning in result.warnings:
        assert len(warning.splitlines()) == 1


@HOSTILE
@given(st.fixed_dictionaries({name: RAW for name in ("manufacturer", "product", "serial")}))
def test_any_string_files_with_good_ids(strings: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _sysfs(Path(folder), {"idVendor": b"291a\n", "idProduct": b"3369\n", **strings}, b"09\n")
        (observation,) = UsbSysfsSource(Path(folder), ids=NO_IDS).collect().observations
    assert observation.usb is not None
    assert_facts_safe(observation.usb)


class RawDescriptorBackend(usb.backend.IBackend):  # type: ignore[misc]
    """One device whose string descriptors are whatever bytes the test gives, as a faulty device sends them."""

    def __init__(self, descriptors: dict[int, bytes]) -> None:
        self.descriptors = descriptors
        self.device = object()

    def enumerate_devices(self) -> list[object]:
        return [self.device]

    def get_parent(self, dev: object) -> None:
        return None

    def get_device_descriptor(self, dev: object) -> SimpleNamespace:
        return SimpleNamespace(
            bLength=18,
            bDescriptorType=1,
            bcdUSB=0x0200,
            bDeviceClass=0,
            bDeviceSubClass=0,
            bDeviceProtocol=0,
            bMaxPacketSize0=64,
            idVendor=0x291A,
            idProduct=0x3369,
            bcdDevice=0x0100,
            iManufacturer=1,
            iProduct=2,
            iSerialNumber=3,
            bNumConfigurations=1,
            address=2,
            bus=1,
            port_number=1,
            port_numbers=(1,),
            speed=3,
        )

    def get_configuration_descriptor(self, dev: object, config: int) -> SimpleNamespace:
        raise usb.core.USBError("Pipe error", errno=32)

    def open_device(self, dev: object) -> object:
        return dev

    def close_device(self, dev_handle: object) -> None:
        return None

    def ctrl_transfer(  # noqa: PLR0917 - the signature pyusb calls
        self,
        dev_handle: object,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: array.array[int],
        timeout: int,
    ) -> int:
        payload = self.descriptors.get(wValue & 0xFF, b"")
        size = min(len(payload), len(data))
        data[:size] = array.array("B", payload[:size])
        return size


@HOSTILE
@given(
    st.just(b"\x04\x03\x09\x04") | st.binary(max_size=8),
    st.dictionaries(st.sampled_from([1, 2, 3]), st.binary(max_size=300), max_size=3),
    st.dictionaries(st.sampled_from([1, 2, 3]), TEXT, max_size=3),
)
def test_any_string_descriptors(langids: bytes, raw: dict[int, bytes], texts: dict[int, str]) -> None:
    """Descriptors of any length, bLength lying or not, payloads that are not UTF-16: facts or a warning."""
    descriptors = {0: langids, **raw}
    for index, text in texts.items():
        payload = text.encode("utf-16-le", "surrogatepass")[:252]
        descriptors[index] = bytes([2 + len(payload), 3]) + payload
    result = PyUsbSource(RawDescriptorBackend(descriptors), ids=NO_IDS).collect()
    assert result.skipped == ""
    assert len(result.observations) + len(result.warnings) == 1
    for observation in result.observations:
        assert observation.usb is not None
        assert_facts_safe(observation.usb)
