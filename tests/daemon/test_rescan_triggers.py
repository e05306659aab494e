"""What makes the daemon rescan, in process: a USB watcher on a sysfs copy, and not its own inventory writes."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from daemon.agents import until
from daemon.sysfs import SysfsCopy

from agent.daemon.runner import Daemon, Settings
from agent.notify.log import NullNotifier
from agent.outlets.notifier import NotifierOutlet
from agent.paths import layout
from agent.sources.usb.sysfs import UsbSysfsSource
from agent.sources.usb.watch import UsbWatchThread


def test_a_usb_watcher_on_a_sysfs_copy_polls_it(tmp_path: Path) -> None:
    """Kernel uevents say nothing about a copy of the tree, so a root other than /sys is polled."""
    tree = SysfsCopy.of("hubs", tmp_path / "sysfs")
    reasons: list[str] = []
    watch = UsbWatchThread(reasons.append, tree.root)
    try:
        tree.plug_anker()
        until(lambda: bool(reasons), "the watcher to notice the new device", timeout=5)
    finally:
        watch.close()
    assert reasons[0] == "a USB device was plugged or unplugged"


def ticking(start: dt.datetime) -> Iterator[dt.datetime]:
    """A clock that moves one second per reading, so every scan writes a new last_seen."""
    return (start + dt.timedelta(seconds=n) for n in itertools.count())


def test_the_daemons_own_inventory_updates_do_not_trigger_rescans(tmp_path: Path) -> None:
    tree = SysfsCopy.of("small", tmp_path / "sysfs")
    clock = ticking(dt.datetime(2025, 3, 1, 12, tzinfo=dt.timezone.utc))
    daemon = Daemon(
        layout(),
        [UsbSysfsSource(tree.root)],
        [lambda context: NotifierOutlet(lambda on_action: NullNotifier(), context)],
        settings=Settings(debounce=0.0, file_check=0.02),
        clock=lambda: next(clock),
    )
    runner = threading.Thread(target=daemon.run)
    runner.start()
    try:
        until(lambda: daemon.scans >= 1, "the first scan")
        time.sleep(0.5)  # 25 file checks: each would see the inventory the scan just merged into
        assert daemon.scans == 1
        inventory = Path(layout().inventory)
        inventory.write_text(inventory.read_text() + "\n# an edit by the person\n")
        until(lambda: daemon.scans >= 2, "a rescan after an edit of the inventory", timeout=5)
        time.sleep(0.3)
        assert daemon.scans == 2
    finally:
        daemon.stop()
        runner.join(timeout=5)
    assert not runner.is_alive()
