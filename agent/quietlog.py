"""Log a recurring problem once: the first time at WARNING, its repeats at DEBUG, until it clears.

Used by everything that retries on its own (the daemon's rescans, notifiers, outlets, the per-user notifier).
"""

from __future__ import annotations

import logging


class QuietLog:
    """Logs a recurring problem once at WARNING and its repeats at DEBUG, until it clears."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._warned: set[str] = set()

    def problem(self, key: str, message: str, *args: object) -> None:
        level = logging.DEBUG if key in self._warned else logging.WARNING
        self._warned.add(key)
        self._log.log(level, message, *args)

    def cleared(self, key: str) -> None:
        self._warned.discard(key)
