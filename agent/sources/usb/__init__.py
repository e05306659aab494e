"""USB devices: read from Linux sysfs (the main path, no privileges) or through pyusb and libusb.

``sysfs`` and ``pyusb`` are the two sources, ``convert`` turns what either reads into an Observation,
``ids`` names vendors and products, and ``watch`` notices plugs and unplugs for the daemon.
"""

from pathlib import Path

SYSFS_ROOT = Path("/sys/bus/usb/devices")
