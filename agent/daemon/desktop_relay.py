"""`recall-agent notifier`: in a desktop session, show what the system service found.

A system service cannot reach a user's session bus without privileges it should not have, so it
publishes its findings to a file everyone may read, and this per-user process notifies from that file,
remembering in the user's own state what it showed and what the person acknowledged.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent import datetimes as dt
from agent.daemon.wakeup import Wakeup
from agent.notify import actions
from agent.notify.interface import Notifier
from agent.notify.later import ShowLater
from agent.notify.notice import Notice, notice_from_json
from agent.quietlog import QuietLog
from agent.state import NotifyState

log = logging.getLogger(__name__)


def notices_from_report(report: Any) -> list[Notice]:
    """The notices in a published JSON report (format 1); anything malformed is skipped."""
    notices = []
    for finding in report.get("findings", []) if isinstance(report, dict) else []:
        try:
            if finding["notify"]:
                notices.append(notice_from_json(finding))
        except (KeyError, TypeError, AttributeError):
            continue
    return notices


class Relay:
    """Polls the published findings file and notifies what is due."""

    def __init__(
        self,
        findings: Path,
        state_file: Path,
        notifier: Callable[[Callable[[Notice, str], str | None]], Notifier],
        *,
        interval: float = 2.0,
        remind_after: dt.timedelta | None = dt.timedelta(days=7),
    ) -> None:
        self.findings = findings
        self.state_file = state_file
        self.notifier = notifier(self.acknowledge)
        self.interval = interval
        self.remind_after = remind_after
        self.state = NotifyState.load(state_file)
        self.later = ShowLater(self.notifier, self.state)
        self.quiet = QuietLog(log)
        self._seen: tuple[int, int] | None = None
        self._stopping = False
        self._wake = Wakeup()

    def stop(self, *_: object) -> None:
        """Ends ``run``; safe from any thread and from a signal handler (agent.daemon.wakeup)."""
        self._stopping = True
        self._wake.set()

    def check(self, now: dt.datetime | None = None) -> int:
        """Notify from the findings file if it changed or a reminder fell due; returns how many were shown."""
        now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        try:
            info = os.stat(self.findings)
            stamp = (info.st_mtime_ns, info.st_size)
            if stamp == self._seen and not self._reminder_due(now):
                return 0
            report = json.loads(self.findings.read_bytes())
        except FileNotFoundError:
            self.quiet.problem("missing", "%s does not exist yet; is recall-agent.service running?", self.findings)
            return 0
        except (OSError, ValueError) as e:
            self.quiet.problem("unreadable", "cannot read %s: %s", self.findings, e)
            return 0
        self.quiet.cleared("missing")
        self.quiet.cleared("unreadable")
        self._seen = stamp
        shown = 0
        notices = notices_from_report(report)
        for notice in notices:
            if not self.state.due(notice.key, notice.confidence, now, self.remind_after):
                self.later.not_due(notice)
                continue
            result = self.notifier.send(notice)
            if result.delivered:
                self.later.sent(notice, result, now)
                shown += 1
        self.later.keep_only(n.key for n in notices)
        if shown:
            self.state.save(self.state_file)
        return shown

    def _reminder_due(self, now: dt.datetime) -> bool:
        """A "Remind me later" has come due: read the findings again even though they did not change."""
        return any(r.remind_at is not None and r.remind_at <= now for r in self.state.records.values())

    def acknowledge(self, notice: Notice, key: str) -> str | None:
        """An answer on this desktop is kept in this user's state: the machine's inventory is not theirs."""
        action = actions.find(key)
        if action is None or not action.settles:
            return None
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        if action.snooze:
            self.state.snooze(notice.key, now + actions.REMIND_LATER)
            self.state.save(self.state_file)
            return actions.confirmation(action)
        self.state.acknowledge(notice.key, now)
        self.state.save(self.state_file)
        command = f"recall-agent ack --system {notice.item_id} {notice.rule_id} --as {action.records}"
        log.warning(
            "%s / %s answered %r on this desktop; to record it for the whole machine run `%s`",
            *notice.key,
            action.label,
            command,
        )
        return f"Hidden on this desktop. For the whole machine: {command}"

    def run(self) -> int:
        try:
            while not self._stopping:
                self.check()
                if self.later.retry(dt.datetime.now(dt.timezone.utc).replace(microsecond=0)):
                    self.state.save(self.state_file)
                self.notifier.poll(0.0)
                self._wake.wait(self.interval)
            self.notifier.close()
        finally:
            self._wake.close()
        return 0
