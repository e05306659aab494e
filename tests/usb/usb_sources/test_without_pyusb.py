"""pyusb and libusb are an optional extra: without them, and without sysfs, USB is a skipped source that says why."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent.sources import registry


def test_without_sysfs_and_without_pyusb_usb_is_skipped_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usb", None)  # pyusb not installed
    monkeypatch.setitem(sys.modules, "agent.sources.usb.pyusb", None)
    monkeypatch.setattr(registry, "SYSFS_ROOT", tmp_path / "no-sysfs")
    source = registry._usb(registry.SourceOptions(), linux_sys=tmp_path / "no-sys-bus")
    result = source.collect()
    assert result.observations == ()
    assert "pip install 'recall-agent[pyusb]'" in result.skipped
