"""Notifiers for machines without a desktop: one log line per finding, or nothing at all."""

from __future__ import annotations

import logging

from agent.notify.interface import Notifier, NotifyResult
from agent.notify.notice import Notice
from agent.notify.text import clean_line

logger = logging.getLogger(__name__)


def log_line(notice: Notice) -> str:
    """The whole finding on one line, safe for a terminal and for the journal."""
    parts = [
        f"recall: {clean_line(notice.item_name) or clean_line(notice.item_id)}",
        f"item={clean_line(notice.item_id)}",
        f"rule={clean_line(notice.rule_id)}",
        f"confidence={clean_line(notice.confidence)}",
        f"hazard: {clean_line(notice.hazard)}",
        f"what to do: {clean_line(notice.remedy)}",
    ]
    if notice.check:
        parts.append(f"check: {clean_line(notice.check)}")
    if notice.url:
        parts.append(clean_line(notice.url))
    return "; ".join(parts)


class LogNotifier(Notifier):
    """Writes each finding to the logger at WARNING (journald reads stderr)."""

    name = "log"

    def __init__(self, log: logging.Logger | None = None) -> None:
        super().__init__()
        self._log = log or logger

    def _send(self, notice: Notice) -> NotifyResult:
        self._log.warning("%s", log_line(notice))
        return NotifyResult(backend=self.name, delivered=True)


class NullNotifier(Notifier):
    """Shows nothing; for scans that only report and for tests."""

    name = "null"

    def _send(self, notice: Notice) -> NotifyResult:
        return NotifyResult(backend=self.name, delivered=False, error="notifications are off")
