"""The recording script's rebuild step, and the shape of the committed recordings."""

from __future__ import annotations

import base64
import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from .trees import RECORDED, SYSFS, recorded_root

REBUILD = Path(__file__).parents[1] / "record" / "rebuild.py"


def load_rebuild() -> ModuleType:
    spec = importlib.util.spec_from_file_location("usb_record_rebuild", REBUILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def test_rebuild_from_a_console_dump(tmp_path: Path) -> None:
    device = "/sys/devices/pci0000:00/0000:00:04.0/usb1/1-1"
    dump = "\r\n".join(
        [
            "[    1.0] some kernel chatter",
            "@@BEGIN 6.1.0-test",
            f"@@ENTRY 1-1 {device}",
            "@@ATTR idVendor",
            b64(b"0627\n"),
            "@@ATTR product",
            b64(b"Key\xffboard \x07" * 8)[:40],  # base64 is wrapped over lines
            b64(b"Key\xffboard \x07" * 8)[40:],
            f"@@ENTRY 1-1:1.0 {device}/1-1:1.0",
            "@@ATTR bInterfaceClass",
            b64(b"03\n"),
            "@@DONE",
        ]
    )
    log = tmp_path / "console.log"
    log.write_text(dump, encoding="ascii")
    out = tmp_path / "tree"
    load_rebuild().rebuild(log, out)
    links = out / "sys" / "bus" / "usb" / "devices"
    assert sorted(os.listdir(links)) == ["1-1", "1-1:1.0"]
    assert os.readlink(links / "1-1") == "../../../devices/pci0000:00/0000:00:04.0/usb1/1-1"
    assert (links / "1-1" / "idVendor").read_bytes() == b"0627\n"
    assert (links / "1-1" / "product").read_bytes() == b"Key\xffboard \x07" * 8
    assert (links / "1-1:1.0" / "bInterfaceClass").read_bytes() == b"03\n"
    assert (out / "RECORDED").read_text(encoding="utf-8") == "kernel 6.1.0-test\nentries 2\n"


@pytest.mark.parametrize("name", RECORDED)
def test_recorded_trees_are_self_contained(name: str) -> None:
    root = recorded_root(name)
    top = (SYSFS / name).resolve()
    assert (SYSFS / name / "RECORDED").read_text(encoding="utf-8").startswith("kernel ")
    for entry in root.iterdir():
        assert entry.is_symlink()
        assert not os.readlink(entry).startswith("/")
        assert entry.resolve().is_relative_to(top / "sys" / "devices")
        assert (entry / "uevent").is_file()
