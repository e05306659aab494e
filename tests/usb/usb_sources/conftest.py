"""Fixtures for the USB sources: copies of recorded sysfs trees, a usb.ids cut, a fake pyusb backend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agent.sources.usb.ids import UsbIds
from agent.sources.usb.pyusb import PyUsbSource

from .fakes import FakeBackend, FakeDevice
from .trees import USB_IDS_SAMPLE, SysfsTree, copy_tree


@pytest.fixture
def usb_ids(tmp_path: Path) -> UsbIds:
    path = tmp_path / "usb.ids"
    path.write_text(USB_IDS_SAMPLE, encoding="utf-8")
    return UsbIds(paths=[path])


@pytest.fixture
def sysfs_tree(tmp_path: Path) -> Callable[[str], SysfsTree]:
    """Makes a writable copy of a recorded tree, to derive variants from."""
    return lambda name: copy_tree(name, tmp_path / "copy" / name)


@pytest.fixture
def pyusb_source(usb_ids: UsbIds) -> Callable[..., tuple[PyUsbSource, FakeBackend]]:
    """A PyUsbSource over a fake backend serving the given devices."""

    def make(*devices: FakeDevice) -> tuple[PyUsbSource, FakeBackend]:
        backend = FakeBackend(list(devices))
        return PyUsbSource(backend=backend, ids=usb_ids), backend

    return make
