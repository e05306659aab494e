"""Things that tell the daemon to look again. Each only schedules a rescan; the rescan is the truth."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from agent.rules.cache import fingerprint

log = logging.getLogger(__name__)
Schedule = Callable[[str], None]


class FileWatch:
    """Notices edits of the inventory and the rule folders by their size and modification time."""

    def __init__(self, inventory: Path, rule_folders: Iterable[tuple[Path, str]]) -> None:
        self.inventory = inventory
        self.rule_folders = list(rule_folders)
        self._last = self._current()

    def _inventory(self) -> object:
        try:
            info = os.stat(self.inventory)
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns, info.st_ino)

    def _current(self) -> tuple[object, object]:
        return (self._inventory(), fingerprint(self.rule_folders))

    def own_inventory_write(self) -> None:
        """The daemon just wrote the inventory itself (merging what it saw): that is not an edit to react to.

        Call it before reading the inventory back, so an edit made after the call is still noticed.
        """
        self._last = (self._inventory(), self._last[1])

    def changed(self) -> bool:
        current = self._current()
        if current == self._last:
            return False
        self._last = current
        return True


class UsbWatchThread:
    """Runs a USB watcher on its own thread; every change schedules a rescan."""

    def __init__(self, schedule: Schedule, root: Path) -> None:
        from agent.sources.usb_sysfs import DEFAULT_ROOT
        from agent.sources.usb_watch import PollingWatcher, open_watcher

        self._schedule = schedule
        # Kernel uevents describe the real /sys only; any other root (a copy, a test tree) is polled.
        self._watcher = open_watcher(root) if root == DEFAULT_ROOT else PollingWatcher(root)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="usb-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._watcher.wait(1.0):
                    self._schedule("a USB device was plugged or unplugged")
            except Exception as e:  # a watcher failure must not take the daemon down
                log.warning("USB watching stopped: %s; relying on periodic rescans", e)
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=3)
        self._watcher.close()


class MdnsWatch:
    """Keeps browsing the device service types between scans; a new or changed service schedules a rescan."""

    def __init__(self, schedule: Schedule, interfaces: list[str] | None) -> None:
        from zeroconf import ServiceBrowser, ServiceListener, Zeroconf

        from agent.sources.mdns_facts import DEVICE_TYPES
        from agent.sources.mdns_net import current_interfaces

        plan = current_interfaces(interfaces)
        if not plan.bind:
            raise OSError("; ".join(plan.problems) or "no multicast-capable network interface is up")

        class Listener(ServiceListener):
            def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
                schedule("a network device announced itself")

            def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
                schedule("a network device changed its announcement")

            def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
                """A device leaving changes nothing the inventory keeps."""

        self.zeroconf = Zeroconf(interfaces=list(plan.bind))
        self._browser = ServiceBrowser(
            self.zeroconf, [f"{t}.local." for t in sorted(DEVICE_TYPES)], listener=Listener()
        )

    def close(self) -> None:
        self._browser.cancel()
        self.zeroconf.close()
