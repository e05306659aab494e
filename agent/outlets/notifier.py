"""Telling a person through a Notifier: the desktop's notification server, or the log."""

from __future__ import annotations

from collections.abc import Callable

from agent import datetimes as dt
from agent.notify.interface import Notifier
from agent.notify.later import ShowLater
from agent.notify.notice import Notice, notice_for
from agent.outlets.interface import Key, Outlet, OutletContext, Update
from agent.state import NotifyState

# Builds the notifier given the callback for a person's answers (it returns what to tell them).
MakeNotifier = Callable[[Callable[[Notice, str], "str | None"]], Notifier]


class NotifierOutlet(Outlet):
    """One notice per due finding, remembered in the daemon's state; a finding that reached only the log
    (no notification server answered) is shown on the desktop once one answers (agent.notify.later).
    What a person answers on a notice goes to the context's ``answer``."""

    def __init__(self, make: MakeNotifier, context: OutletContext) -> None:
        super().__init__()
        self.notifier = make(self._answered)
        self.name = self.notifier.name
        self.takes_answers = self.notifier.takes_answers
        self._context = context
        self.later = ShowLater(self.notifier, context.state if context.state is not None else NotifyState())

    def _publish(self, update: Update) -> frozenset[Key]:
        due = {(f.item.id, f.rule.id) for f in update.due}
        serious = [f for f in update.findings if f.serious]
        told = set()
        for finding in serious:
            notice = notice_for(finding)
            if notice.key not in due:
                self.later.not_due(notice)
                continue
            result = self.notifier.send(notice)
            if result.delivered:
                self.later.sent(notice, result, update.now)
                told.add(notice.key)
        self.later.keep_only((f.item.id, f.rule.id) for f in serious)
        return frozenset(told)

    def poll(self) -> None:
        self.notifier.poll(0.0)
        if self.later.retry(
            dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        ):  # a notification server appeared: show what only went to the log
            self._context.save()

    def close(self) -> None:
        self.notifier.close()

    def _answered(self, notice: Notice, key: str) -> str | None:
        return self._context.answer(notice, key, "a desktop notification")
