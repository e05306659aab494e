"""`scan --no-save` matches the devices it discovers without writing them into the inventory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run
from daemon.sysfs import ANKER_NAME, SysfsCopy

SPEAKERPHONE_RULE = "anker-2024-powerconf-s3"


def test_a_recalled_usb_device_is_found_without_being_saved(
    tmp_path: Path, cli: Callable[..., Run], inventory_path: Path
) -> None:
    tree = SysfsCopy.of("hubs", tmp_path / "sysfs")
    tree.plug_anker()
    args = ("scan", "--source", "usb", "--sysfs-root", str(tree.root), "--format", "json")
    done = cli(*args, "--no-save")
    assert done.code == 1, done.err  # the recalled speakerphone is found...
    report = json.loads(done.out)
    [finding] = [f for f in report["findings"] if f["rule"]["id"] == SPEAKERPHONE_RULE]
    assert finding["item"]["name"] == ANKER_NAME
    assert report["added"] == []
    assert not inventory_path.exists()  # ...and nothing was written
    saved = cli(*args)
    assert saved.code == 1, saved.err
    assert "PowerConf S3" in inventory_path.read_text(encoding="utf-8")  # without --no-save it is saved
