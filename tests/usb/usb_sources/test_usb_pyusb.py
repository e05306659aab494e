"""PyUsbSource through a fake pyusb backend."""

from __future__ import annotations

import errno
from collections.abc import Callable

import pytest
import usb.core

from agent.model import Observation, UsbFacts
from agent.sources.usb.ids import UsbIds
from agent.sources.usb.pyusb import PyUsbSource, find_backend
from agent.sources.usb.sysfs import UsbSysfsSource

from .fakes import FakeBackend, FakeDevice, device_with
from .trees import recorded_root

MakeSource = Callable[..., tuple[PyUsbSource, FakeBackend]]


def only(observations: tuple[Observation, ...]) -> tuple[Observation, UsbFacts]:
    assert len(observations) == 1
    assert observations[0].usb is not None
    return observations[0], observations[0].usb


def test_facts_from_descriptors(pyusb_source: MakeSource) -> None:
    source, backend = pyusb_source(
        device_with(serial="0123ABCD", bus=3, ports=(2, 1, 4), speed=2, bcd_device=0x0100, device_class=0)
    )
    result = source.collect()
    assert (result.skipped, result.warnings) == ("", ())
    observation, facts = only(result.observations)
    assert facts == UsbFacts(
        vendor_id="10c4",
        product_id="ea60",
        bcd_device="0100",
        manufacturer="Silicon Labs",
        product="CP2102 USB to UART Bridge Controller",
        serial="0123ABCD",
        device_class="00",
        interface_classes=("ff",),
        bus=3,
        port_path="3-2.1.4",
        speed="12",
        vendor_name="Silicon Labs",
        product_name="CP210x UART Bridge",
    )
    assert (observation.identity, observation.locator) == ("usb:10c4:ea60:s:0123ABCD", "3-2.1.4")
    assert backend.open_handles == 0  # every device is closed again


def test_root_hubs_are_not_devices(pyusb_source: MakeSource) -> None:
    root_hub = FakeDevice(vendor=0x1D6B, product_id=0x0002, product="xHCI Host Controller", device_class=9, ports=None)
    hub = FakeDevice(vendor=0x0409, product_id=0x55AA, device_class=9, ports=(2,), interface_classes=((9, 1),))
    source, _ = pyusb_source(root_hub, hub)
    _, facts = only(source.collect().observations)
    assert (facts.vendor_id, facts.device_class, facts.port_path) == ("0409", "09", "1-2")


def test_interfaces_and_alternate_settings(pyusb_source: MakeSource) -> None:
    speakerphone = FakeDevice(
        vendor=0x291A,
        product_id=0x3302,
        manufacturer="Anker",
        product="AnkerWork PowerConf S3",
        interface_classes=((0x01, 1), (0x01, 3), (0x01, 2), (0x03, 1)),  # audio control, 2 streaming, HID
    )
    source, _ = pyusb_source(speakerphone)
    _, facts = only(source.collect().observations)
    assert facts.interface_classes == ("01", "03")
    assert facts.vendor_name == "Anker Innovations Limited"


def test_permission_denied_leaves_strings_empty_with_the_reason(pyusb_source: MakeSource) -> None:
    source, backend = pyusb_source(device_with(open_errno=errno.EACCES, ports=(1, 3)))
    observation, facts = only(source.collect().observations)
    assert (facts.manufacturer, facts.product, facts.serial) == ("", "", "")
    assert facts.unreadable == (
        "manufacturer: permission denied",
        "product: permission denied",
        "serial: permission denied",
    )
    assert (facts.vendor_id, facts.product_id, facts.port_path) == ("10c4", "ea60", "1-1.3")
    assert observation.identity.startswith("usb:10c4:ea60:n:")
    assert backend.transfers == 0


@pytest.mark.parametrize(
    ("failing", "error", "reason"),
    [
        ("serial", errno.EPIPE, "serial: Broken pipe"),
        ("product", errno.ENODEV, "product: device disconnected"),
        ("manufacturer", errno.EPERM, "manufacturer: permission denied"),
    ],
)
def test_one_string_failing_costs_that_string(pyusb_source: MakeSource, failing: str, error: int, reason: str) -> None:
    source, _ = pyusb_source(device_with(serial="0123ABCD", errors={failing: error}))
    _, facts = only(source.collect().observations)
    assert getattr(facts, failing) == ""
    assert facts.unreadable == (reason,)
    kept = {"manufacturer": "Silicon Labs", "product": "CP2102 USB to UART Bridge Controller", "serial": "0123ABCD"}
    for name, value in kept.items():
        if name != failing:
            assert getattr(facts, name) == value


def test_no_string_languages(pyusb_source: MakeSource) -> None:
    source, _ = pyusb_source(device_with(langids=()))
    _, facts = only(source.collect().observations)
    assert facts.product == ""
    assert "product: the device offers no string languages" in facts.unreadable


def test_language_list_failing(pyusb_source: MakeSource) -> None:
    source, _ = pyusb_source(device_with(errors={"langids": errno.EIO}))
    _, facts = only(source.collect().observations)
    assert facts.unreadable == tuple(f"{name}: Input/output error" for name in ("manufacturer", "product", "serial"))


def test_malformed_and_control_characters_in_strings(pyusb_source: MakeSource) -> None:
    lone_surrogate = "Speaker".encode("utf-16-le") + b"\x00\xd8" + " S3".encode("utf-16-le")
    device = device_with(manufacturer="Anker\x1b[0m\x00", raw_strings={"product": lone_surrogate})
    source, _ = pyusb_source(device)
    _, facts = only(source.collect().observations)
    assert facts.product == "Speaker\ufffd S3"
    assert facts.manufacturer == "Anker"
    assert facts.unreadable == (
        "manufacturer: control characters removed",
        "product: undecodable bytes replaced",
    )


def test_devices_without_strings(pyusb_source: MakeSource) -> None:
    source, backend = pyusb_source(FakeDevice(vendor=0x1A86, product_id=0x7523, speed=None, ports=(4,)))
    observation, facts = only(source.collect().observations)
    assert (facts.manufacturer, facts.product, facts.serial, facts.unreadable, facts.speed) == ("", "", "", (), "")
    assert observation.identity.startswith("usb:1a86:7523:n:")
    assert backend.transfers == 0  # no string index, no traffic


def test_no_backend_skips_the_source(usb_ids: UsbIds) -> None:
    result = PyUsbSource(ids=usb_ids, find=lambda: None).collect()
    assert result.observations == ()
    assert "no libusb backend" in result.skipped


def test_a_backend_that_cannot_list_skips_the_source(usb_ids: UsbIds) -> None:
    class Broken(FakeBackend):
        def enumerate_devices(self) -> list[FakeDevice]:
            raise usb.core.USBError("Other error", errno=errno.EIO)

    result = PyUsbSource(backend=Broken(), ids=usb_ids).collect()
    assert "cannot list USB devices" in result.skipped
    assert "Other error" in result.skipped


def test_a_broken_device_costs_only_itself(pyusb_source: MakeSource) -> None:
    source, _ = pyusb_source(device_with(vendor=0x10000, ports=(1,)), device_with(serial="GOOD1234", ports=(2,)))
    result = source.collect()
    _, facts = only(result.observations)
    assert facts.serial == "GOOD1234"
    assert len(result.warnings) == 1
    assert "bus 1 address 2" in result.warnings[0]


def test_the_real_backend_loads_here() -> None:
    # The libusb-package wheel is a dependency: its bundled library must load without a system libusb.
    assert find_backend() is not None


def test_sysfs_and_pyusb_agree_on_the_identity(pyusb_source: MakeSource, usb_ids: UsbIds) -> None:
    recorded = {o.locator: o for o in UsbSysfsSource(root=recorded_root("hubs"), ids=usb_ids).collect().observations}
    for locator in ("1-2.3", "1-2.4", "2-4", "1-2.5.2"):
        sysfs = recorded[locator].usb
        assert sysfs is not None
        bus, ports = locator.split("-")
        device = FakeDevice(
            vendor=int(sysfs.vendor_id, 16),
            product_id=int(sysfs.product_id, 16),
            manufacturer=sysfs.manufacturer or None,
            product=sysfs.product or None,
            serial=sysfs.serial or None,
            bcd_device=int(sysfs.bcd_device, 16),
            interface_classes=tuple((int(c, 16), 1) for c in sysfs.interface_classes),
            bus=int(bus),
            ports=tuple(int(p) for p in ports.split(".")),
            speed={"12": 2, "480": 3, "5000": 4}[sysfs.speed],
        )
        source, _ = pyusb_source(device)
        observation, facts = only(source.collect().observations)
        assert observation.identity == recorded[locator].identity
        assert observation.locator == locator
        assert facts == sysfs
