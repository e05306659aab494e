"""UsbSysfsSource over sysfs trees recorded from a real kernel, and variants derived from them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import skip_or_fail

from agent.model import Observation, UsbFacts
from agent.sources.usb.ids import UsbIds
from agent.sources.usb.sysfs import DeviceGone, UsbSysfsSource, facts_from_sysfs

from .trees import SysfsTree, recorded_root

MakeTree = Callable[[str], SysfsTree]


def scan(root: Path, ids: UsbIds) -> dict[str, Observation]:
    result = UsbSysfsSource(root=root, ids=ids).collect()
    assert not result.skipped
    assert not result.warnings
    return {o.locator: o for o in result.observations}


def facts(observation: Observation) -> UsbFacts:
    assert observation.usb is not None
    return observation.usb


@pytest.mark.parametrize(("tree", "devices"), [("small", 4), ("hubs", 19), ("many", 38)])
def test_recorded_trees_list_devices_but_not_root_hubs_or_interfaces(tree: str, devices: int, usb_ids: UsbIds) -> None:
    found = scan(recorded_root(tree), usb_ids)
    entries = os.listdir(recorded_root(tree))
    assert any(e.startswith("usb") for e in entries)
    assert any(":" in e for e in entries)
    assert len(found) == devices
    assert all(":" not in p and not p.startswith("usb") for p in found)


def test_small_tree_facts(usb_ids: UsbIds) -> None:
    found = scan(recorded_root("small"), usb_ids)
    assert list(found) == ["1-1", "1-2", "1-4", "2-3"]  # bus, then port
    keyboard, serial_adapter, stick = facts(found["1-1"]), facts(found["1-4"]), facts(found["2-3"])
    assert keyboard == UsbFacts(
        vendor_id="0627",
        product_id="0001",
        bcd_device="0000",
        manufacturer="QEMU",
        product="QEMU USB Keyboard",
        serial="68284-0000:00:04.0-1",
        device_class="00",
        interface_classes=("03",),
        bus=1,
        port_path="1-1",
        speed="480",
        vendor_name="Adomax Technology Co., Ltd",
        product_name="QEMU Tablet",
    )
    assert (serial_adapter.vendor_id, serial_adapter.product_id, serial_adapter.bcd_device) == ("0403", "6001", "0400")
    assert serial_adapter.interface_classes == ("ff",)
    assert (serial_adapter.speed, serial_adapter.product_name) == ("12", "FT232 Serial (UART) IC")
    assert (stick.bus, stick.speed, stick.serial) == (2, "5000", "4C530001230815109281")
    assert found["2-3"].identity == "usb:46f4:0001:s:4C530001230815109281"


def test_hub_chain_down_to_the_deepest_tier(usb_ids: UsbIds) -> None:
    found = scan(recorded_root("hubs"), usb_ids)
    chain = ["1-2", "1-2.5", "1-2.5.1", "1-2.5.1.1", "1-2.5.1.1.1"]
    assert all(facts(found[p]).device_class == "09" for p in chain)
    deepest = facts(found["1-2.5.1.1.1.1"])
    assert (deepest.product, deepest.bus, deepest.speed) == ("QEMU USB Keyboard", 1, "12")
    audio = facts(found["1-2.5.1.2"])
    assert audio.interface_classes == ("01",)  # control and streaming interfaces, one class
    network = facts(found["1-3"])
    assert (network.device_class, network.interface_classes) == ("02", ("02", "0a"))
    assert list(found).index("1-2.5.1.1.1.1") < list(found).index("1-2.5.1.2") < list(found).index("1-3")


def test_all_zero_serial_falls_back_to_the_strings(usb_ids: UsbIds) -> None:
    found = scan(recorded_root("hubs"), usb_ids)
    stick = found["2-4"]
    assert facts(stick).serial == "0000000000000000"
    assert stick.identity.startswith("usb:46f4:0001:n:")
    assert found["1-2.3"].identity == "usb:46f4:0001:s:AA00112233445566"


def test_missing_root_skips_the_source(tmp_path: Path, usb_ids: UsbIds) -> None:
    result = UsbSysfsSource(root=tmp_path / "absent", ids=usb_ids).collect()
    assert result.observations == ()
    assert "no USB sysfs" in result.skipped
    assert str(tmp_path / "absent") in result.skipped


def test_padded_values_and_units(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("small")
    tree.write("1-4", "busnum", b" 1\n")
    tree.write("1-4", "speed", b"  12 \n")
    tree.write("1-4", "bcdDevice", b"0A00\n")
    tree.write("1-4", "bMaxPower", b"500mA\n")
    got = facts(scan(tree.root, usb_ids)["1-4"])
    assert (got.bus, got.speed, got.bcd_device) == (1, "12", "0a00")


def test_missing_attributes_are_empty_not_errors(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("small")
    for attribute in ("serial", "manufacturer", "bcdDevice", "speed", "busnum"):
        tree.remove("2-3", attribute)
    observation = scan(tree.root, usb_ids)["2-3"]
    got = facts(observation)
    assert (got.serial, got.manufacturer, got.bcd_device, got.speed) == ("", "", "", "")
    assert got.bus == 2  # from the name when busnum is gone
    assert got.unreadable == ()  # a device without a serial string is normal, nothing was lost
    assert observation.identity.startswith("usb:46f4:0001:n:")


def test_unreadable_attribute_is_recorded(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("small")
    tree.remove("2-3", "serial")
    (tree.device("2-3") / "serial").mkdir()  # reading it fails with EISDIR, even for root
    got = facts(scan(tree.root, usb_ids)["2-3"])
    assert got.serial == ""
    assert got.unreadable == ("serial: Is a directory",)


def _unreadable_as_seen_by_a_reader(root: Path, device: str) -> tuple[str, tuple[str, ...]]:
    """Scan as a process that really gets EACCES: as root, from a user namespace in which the file's
    owner is unmapped, so root's right to read anything does not reach it."""
    code = (
        "import json, sys; from pathlib import Path; from agent.sources.usb.sysfs import UsbSysfsSource\n"
        "result = UsbSysfsSource(Path(sys.argv[1])).collect()\n"
        "usb = [o.usb for o in result.observations if o.locator == sys.argv[2]][0]\n"
        "print(json.dumps([usb.serial, list(usb.unreadable)]))"
    )
    command = [sys.executable, "-c", code, str(root), device]
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            skip_or_fail("needs unshare (util-linux) to read as a process without root's file rights")
        command = ["unshare", "--user", "--map-root-user", *command]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    serial, unreadable = json.loads(done.stdout)
    return serial, tuple(unreadable)


def test_permission_denied_attribute_is_recorded(sysfs_tree: MakeTree) -> None:
    tree = sysfs_tree("small")
    serial = tree.device("2-3") / "serial"
    if os.geteuid() == 0:
        os.chown(serial, 65534, 65534)
    serial.chmod(0)
    assert _unreadable_as_seen_by_a_reader(tree.root, "2-3") == ("", ("serial: permission denied",))


def test_bad_bytes_and_control_characters_in_strings(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("small")
    tree.write("1-1", "product", b"Key\xffboard\xc3\n")
    tree.write("1-1", "manufacturer", b"\x1bQE\x07MU\x00 \n")
    tree.write("1-1", "serial", "Ünï\tcode\n".encode())
    got = facts(scan(tree.root, usb_ids)["1-1"])
    assert got.product == "Key\ufffdboard\ufffd"
    assert got.manufacturer == "EMU"  # "\x1bQ" is a whole escape sequence
    assert got.serial == "Ünï code"
    assert got.unreadable == (
        "manufacturer: control characters removed",
        "product: undecodable bytes replaced",
        "serial: control characters removed",
    )


def test_bad_ids_cost_one_device_with_a_warning(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("small")
    tree.write("1-1", "idVendor", b"zz\n")
    tree.remove("1-2", "idProduct")
    result = UsbSysfsSource(root=tree.root, ids=usb_ids).collect()
    assert [o.locator for o in result.observations] == ["1-4", "2-3"]
    assert len(result.warnings) == 2
    assert any("1-1" in w and "zz" in w for w in result.warnings)
    assert any("1-2" in w and "idProduct" in w for w in result.warnings)


def test_device_unplugged_before_it_is_read_is_skipped_quietly(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("hubs")
    # Listing done, then the device goes: its /sys/bus/usb/devices link dangles for a moment.
    real = tree.device("1-2.4")
    for child in sorted(real.rglob("*"), reverse=True):
        child.rmdir() if child.is_dir() else child.unlink()
    real.rmdir()
    assert (tree.root / "1-2.4").is_symlink()
    with pytest.raises(DeviceGone):
        facts_from_sysfs(tree.root / "1-2.4")
    result = UsbSysfsSource(root=tree.root, ids=usb_ids).collect()
    assert result.warnings == ()
    assert "1-2.4" not in {o.locator for o in result.observations}
    assert len(result.observations) == 18


def test_device_unplugged_while_it_is_read(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("hubs")
    device = tree.root / "1-2.3"
    (tree.device("1-2.3") / "idVendor").read_bytes()
    tree.unplug("1-2.3")
    with pytest.raises(DeviceGone):
        facts_from_sysfs(device)


def test_unplugging_a_hub_takes_the_chain_behind_it(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("hubs")
    tree.unplug("1-2.5")
    found = scan(tree.root, usb_ids)
    assert not [p for p in found if p.startswith("1-2.5")]
    assert len(found) == 19 - 7  # the hub, four hubs below it, a keyboard, audio, a stick


def test_device_moved_to_another_port_keeps_its_identity(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("hubs")
    before = scan(tree.root, usb_ids)["1-2.3"]
    tree.derive("1-2.3", "1-2.8")
    tree.unplug("1-2.3")
    after = scan(tree.root, usb_ids)
    assert "1-2.3" not in after
    assert after["1-2.8"].identity == before.identity
    assert facts(after["1-2.8"]).interface_classes == ("08",)


def test_identical_serial_less_devices_share_identity_and_differ_by_locator(
    sysfs_tree: MakeTree, usb_ids: UsbIds
) -> None:
    tree = sysfs_tree("hubs")
    tree.remove("1-2.4", "serial")
    tree.derive("1-2.4", "1-2.8")
    found = scan(tree.root, usb_ids)
    first, second = found["1-2.4"], found["1-2.8"]
    assert first.identity == second.identity
    assert first.identity.startswith("usb:0403:6001:n:")
    assert first.locator != second.locator
    # Another product behind the same bridge chip is another identity.
    tree.derive("1-2.4", "1-2.7.1", product=b"Weather Station\n")
    assert scan(tree.root, usb_ids)["1-2.7.1"].identity != first.identity


ANKER_POWERCONF_S3 = {  # derived from the recorded USB audio device; the product id is made up
    "idVendor": b"291a\n",
    "idProduct": b"3302\n",
    "manufacturer": b"Anker\n",
    "product": b"AnkerWork PowerConf S3\n",
    "serial": b"A3302C11B2400154\n",
}
BRIDGES = [
    ("10c4", "ea60", "Silicon Labs", "CP2102 USB to UART Bridge Controller", "CP210x UART Bridge"),
    ("0403", "6001", "FTDI", "FT232R USB UART", "FT232 Serial (UART) IC"),
    ("1a86", "7523", "", "USB Serial", "CH340 serial converter"),
    ("067b", "2303", "Prolific Technology Inc.", "USB-Serial Controller", ""),
]


def test_anker_speakerphone_variant(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    tree = sysfs_tree("hubs")
    tree.derive("1-2.5.1.2", "1-2.8", **ANKER_POWERCONF_S3)
    observation = scan(tree.root, usb_ids)["1-2.8"]
    got = facts(observation)
    assert (got.vendor_id, got.product_id, got.product) == ("291a", "3302", "AnkerWork PowerConf S3")
    assert got.vendor_name == "Anker Innovations Limited"  # the project's table: usb.ids lacks Anker
    assert got.interface_classes == ("01",)
    assert observation.identity == "usb:291a:3302:s:A3302C11B2400154"


@pytest.mark.parametrize(("vendor", "product", "manufacturer", "name", "product_name"), BRIDGES)
def test_bridge_chip_variants(  # noqa: PLR0917 - one parameter per column of BRIDGES
    sysfs_tree: MakeTree, usb_ids: UsbIds, vendor: str, product: str, manufacturer: str, name: str, product_name: str
) -> None:
    tree = sysfs_tree("small")
    tree.derive("1-4", "1-3", idVendor=vendor.encode(), idProduct=product.encode(), product=name.encode())
    if manufacturer:
        tree.write("1-3", "manufacturer", manufacturer.encode() + b"\n")
    else:
        tree.remove("1-3", "manufacturer")
    got = facts(scan(tree.root, usb_ids)["1-3"])
    assert (got.vendor_id, got.product_id, got.product, got.manufacturer) == (vendor, product, name, manufacturer)
    assert got.product_name == product_name
    assert got.interface_classes == ("ff",)


def test_the_fields_that_could_not_be_read_are_named_as_values(sysfs_tree: MakeTree, usb_ids: UsbIds) -> None:
    """The merge keeps the last known value of each field in ``unread``; it never reads names back from notes."""
    tree = sysfs_tree("small")
    tree.write("1-1", "product", b"Key\x07board\n")  # cleaned: a note, but the field was read
    got = facts(scan(tree.root, usb_ids)["1-1"])
    assert got.unread == () and got.unreadable == ("product: control characters removed",)
