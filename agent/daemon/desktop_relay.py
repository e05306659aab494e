"""`recall-agent notifier`: in a desktop session, show what the system service found.

A system service cannot reach a user's session bus without privileges it should not have, so it
publishes its findings to a file everyone may read, and this per-user process notifies from that file,
remembering in the user's own state what it showed and what the person acknowledged.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.confidence import Confidence
from agent.notify.interface import Notifier, QuietLog
from agent.notify.notice import Notice
from agent.rules.schema import URGENT_HAZARDS
from agent.state import NotifyState

log = logging.getLogger(__name__)


def notices_from_report(report: Any) -> list[Notice]:
    """The notices in a published JSON report (format 1); anything malformed is skipped."""
    notices = []
    for finding in report.get("findings", []) if isinstance(report, dict) else []:
        try:
            if not finding["notify"]:
                continue
            rule, item = finding["rule"], finding["item"]
            confidence = str(finding["confidence"])
            notices.append(
                Notice(
                    item_id=str(item["id"]),
                    item_name=str(item["name"]),
                    rule_id=str(rule["id"]),
                    title=str(rule["title"]),
                    hazard=str(rule["hazard"]),
                    remedy=str(rule["remedy"]),
                    url=str(rule.get("url", "")),
                    urgent=bool(URGENT_HAZARDS.intersection(rule.get("hazards", []))),
                    confidence=confidence,
                    check=str(rule.get("check", "")) if confidence != Confidence.CONFIRMED.label else "",
                )
            )
        except (KeyError, TypeError):
            continue
    return notices


class Relay:
    """Polls the published findings file and notifies what is due."""

    def __init__(
        self,
        findings: Path,
        state_file: Path,
        notifier: Callable[[Callable[[Notice, str], None]], Notifier],
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
        self.quiet = QuietLog(log)
        self._seen: tuple[int, int] | None = None
        self._stop = threading.Event()

    def stop(self, *_: object) -> None:
        self._stop.set()

    def check(self, now: dt.datetime | None = None) -> int:
        """Notify from the findings file if it changed; returns how many notices were shown."""
        try:
            info = os.stat(self.findings)
            stamp = (info.st_mtime_ns, info.st_size)
            if stamp == self._seen:
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
        now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        shown = 0
        for notice in notices_from_report(report):
            due = self.state.due(notice.key, notice.confidence, now, self.remind_after)
            if due and self.notifier.send(notice).delivered:
                self.state.notified(notice.key, notice.confidence, now)
                shown += 1
        if shown:
            self.state.save(self.state_file)
        return shown

    def acknowledge(self, notice: Notice, action: str) -> None:
        if action == "handled":
            self.state.acknowledge(notice.key, dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
            self.state.save(self.state_file)
            log.warning(
                "%s / %s marked handled for this desktop; to record it for the whole machine run "
                "`recall-agent ack --system %s %s --as checked`",
                *notice.key,
                *notice.key,
            )

    def run(self) -> int:
        poll = getattr(self.notifier, "poll", None)
        while not self._stop.is_set():
            self.check()
            if poll is not None:
                poll(0.0)
            self._stop.wait(self.interval)
        self.notifier.close()
        return 0
