"""Noticing edits of the inventory and rule files. The watchers of devices live with their sources
(agent.sources.usb.watch, agent.sources.mdns.watch); each only schedules a rescan, the rescan is the truth."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from agent.rules.cache import fingerprint

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath

log = logging.getLogger(__name__)


class FileWatch:
    """Notices edits of the inventory and the rule folders by their size and modification time."""

    def __init__(self, inventory: StrPath, rule_folders: Iterable[tuple[StrPath, str]]) -> None:
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
