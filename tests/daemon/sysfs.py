"""Writable copies of the recorded sysfs trees (tests/data/sysfs), and a recalled device to plug into one."""

from __future__ import annotations

import shutil
from pathlib import Path

RECORDED = Path(__file__).parents[1] / "data" / "sysfs"

# The recorded USB audio device of the "hubs" tree, turned into the speakerphone that rule
# anker-2024-powerconf-s3 recalls (the product id and serial are made up, as in the USB source tests).
AUDIO_DEVICE = "1-2.5.1.2"
ANKER_PORT = "1-2.8"
ANKER_POWERCONF_S3 = {
    "idVendor": b"291a\n",
    "idProduct": b"3302\n",
    "manufacturer": b"Anker\n",
    "product": b"AnkerWork PowerConf S3\n",
    "serial": b"A3302C11B2400154\n",
    "devnum": b"77\n",
}
ANKER_NAME = "Anker AnkerWork PowerConf S3"  # the item name the inventory gives it: manufacturer + product


class SysfsCopy:
    """A copy of a recorded tree; ``root`` is its /sys/bus/usb/devices."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.root = top / "sys" / "bus" / "usb" / "devices"

    @classmethod
    def of(cls, recorded: str, destination: Path) -> SysfsCopy:
        shutil.copytree(RECORDED / recorded, destination, symlinks=True)
        return cls(destination)

    def plug(self, source: str, port: str, attributes: dict[str, bytes]) -> None:
        """Copy device ``source`` with its interfaces to ``port`` and overwrite ``attributes``.

        The device is complete before its link appears in /sys/bus/usb/devices, as with the kernel.
        """
        original = (self.root / source).resolve()
        device = self.top / "sys" / "devices" / "plugged" / port
        device.mkdir(parents=True)
        interfaces = []
        for entry in original.iterdir():
            if entry.is_file() and not entry.is_symlink():
                shutil.copyfile(entry, device / entry.name)
            elif entry.name.startswith(source + ":") and entry.is_dir():
                interface = entry.name.replace(source, port, 1)
                shutil.copytree(entry, device / interface, symlinks=True)
                interfaces.append(interface)
        for name, value in attributes.items():
            (device / name).write_bytes(value)
        for interface in interfaces:
            (self.root / interface).symlink_to(device / interface)
        (self.root / port).symlink_to(device)

    def plug_anker(self) -> None:
        self.plug(AUDIO_DEVICE, ANKER_PORT, ANKER_POWERCONF_S3)
