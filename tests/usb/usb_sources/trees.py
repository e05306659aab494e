"""Recorded sysfs trees, trees derived from them, and a cut of usb.ids, for the USB tests."""

from __future__ import annotations

import shutil
from pathlib import Path

SYSFS = Path(__file__).parents[2] / "data" / "sysfs"
RECORDED = ("small", "hubs", "many")

# A cut of usb.ids: enough vendors and products for the tests, and no Anker (as in the real file).
USB_IDS_SAMPLE = """\
# List of USB ID's
#
# Syntax:
# vendor  vendor_name
#\tdevice  device_name\t\t\t\t<-- single tab
0403  Future Technology Devices International, Ltd
\t6001  FT232 Serial (UART) IC
\t6010  FT2232C/D/H Dual UART/FIFO IC
0627  Adomax Technology Co., Ltd
\t0001  QEMU Tablet
10c4  Silicon Labs
\tea60  CP210x UART Bridge
1a86  QinHeng Electronics
\t7523  CH340 serial converter
46f4  QEMU
\t0001  QEMU HARDDRIVE
# List of known device classes, subclasses and protocols
C 00  (Defined at Interface level)
C 09  Hub
\t00  Unused
"""


def recorded_root(name: str) -> Path:
    """/sys/bus/usb/devices of a recorded tree (read-only: copy it before changing anything)."""
    return SYSFS / name / "sys" / "bus" / "usb" / "devices"


class SysfsTree:
    """A writable copy of a recorded tree, and ways to derive variants from it."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.root = top / "sys" / "bus" / "usb" / "devices"

    def device(self, name: str) -> Path:
        return (self.root / name).resolve()

    def write(self, name: str, attribute: str, value: bytes) -> None:
        (self.device(name) / attribute).write_bytes(value)

    def remove(self, name: str, attribute: str) -> None:
        (self.device(name) / attribute).unlink()

    def unplug(self, name: str) -> None:
        """Remove a device, its interfaces and everything behind it, as the kernel does."""
        real = self.device(name)
        for entry in list(self.root.iterdir()):
            if entry.resolve().is_relative_to(real):
                entry.unlink()
        shutil.rmtree(real)

    def derive(self, source: str, name: str, **attributes: bytes) -> None:
        """Copy device ``source`` (with its interfaces) to port path ``name``, then overwrite attributes.

        The copy lives under sys/devices/derived/, so a derived device is never mistaken for a recorded one.
        """
        src = self.device(source)
        dst = self.top / "sys" / "devices" / "derived" / name
        dst.mkdir(parents=True)
        for entry in src.iterdir():
            if entry.is_file():
                shutil.copyfile(entry, dst / entry.name)
            elif entry.name.startswith(source + ":"):
                interface = entry.name.replace(source, name, 1)
                shutil.copytree(entry, dst / interface)
                (self.root / interface).symlink_to(dst / interface)
        (self.root / name).symlink_to(dst)
        for attribute, value in attributes.items():
            (dst / attribute).write_bytes(value)


def copy_tree(name: str, destination: Path) -> SysfsTree:
    """A writable copy of recorded tree ``name`` at ``destination``, symlinks kept as symlinks."""
    shutil.copytree(SYSFS / name, destination, symlinks=True)
    return SysfsTree(destination)
