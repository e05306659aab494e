"""Findings that reached only the log because no notification server answered, shown on the desktop later.

A user unit can start before the desktop, and a desktop's notification server can be restarted: what
was found meanwhile went to the journal. Such a finding is recorded as ``only_logged`` and kept waiting;
every few seconds the notifier is asked whether a server answers, and once one does, each waiting
finding is shown there. The daemon (user unit) and the per-user notifier of a system install share this.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from agent import datetimes as dt
from agent.notify.interface import Notifier, NotifyResult
from agent.notify.notice import Notice
from agent.state import Key, NotifyState

RETRY_EVERY = 10.0  # seconds between asking whether a notification server answers


class ShowLater:
    def __init__(
        self,
        notifier: Notifier,
        state: NotifyState,
        *,
        every: float = RETRY_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.notifier = notifier
        self.state = state
        self.every = every
        self.clock = clock
        self.waiting: dict[Key, Notice] = {}
        self._next = 0.0

    def _can_wait(self) -> bool:
        return callable(getattr(self.notifier, "reachable", None))

    def sent(self, notice: Notice, result: NotifyResult, now: dt.datetime) -> None:
        """Record a delivered ``notice``; one that went to the fallback waits for a notification server."""
        only_logged = self._can_wait() and result.backend != self.notifier.name
        self.state.notified(notice.key, notice.confidence, now, only_logged=only_logged)
        if only_logged:
            self.waiting[notice.key] = notice
        else:
            self.waiting.pop(notice.key, None)

    def not_due(self, notice: Notice) -> None:
        """A finding not due again; if so far it only went to the log (say before a restart), it waits."""
        record = self.state.get(notice.key)
        if self._can_wait() and record is not None and record.only_logged and record.acknowledged is None:
            self.waiting[notice.key] = notice

    def keep_only(self, keys: Iterable[Key]) -> None:
        """Drop waiting findings that are gone (unplugged, handled, rule withdrawn)."""
        current = set(keys)
        self.waiting = {k: n for k, n in self.waiting.items() if k in current}

    def retry(self, now: dt.datetime) -> bool:
        """Show the waiting findings if a notification server answers now; True if any was shown."""
        if not self.waiting or self.clock() < self._next:
            return False
        self._next = self.clock() + self.every
        reachable = getattr(self.notifier, "reachable", None)
        if reachable is None or not reachable():
            return False
        shown = False
        for key, notice in list(self.waiting.items()):
            result = self.notifier.send(notice)
            if result.delivered and result.backend == self.notifier.name:
                self.state.notified(key, notice.confidence, now)
                del self.waiting[key]
                shown = True
        return shown
