"""Alerts to phones, mail and chat over Apprise, for machines without a desktop.

Once per (item, recall), remembered across restarts in a state file of its own, with the desktop's rules:
again when a finding grows more certain, a reminder of an unhandled likely one after ``remind_after``,
nothing once it is handled in the inventory. Needs the ``apprise`` extra.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent import datetimes as dt
from agent.config.schema import AppriseSettings
from agent.matching.finding import Finding
from agent.notify import glance, text
from agent.notify.notice import Notice, notice_for
from agent.outlets.interface import Key, Outlet, Update
from agent.state import NotifyState
from agent.tomlio import locked

log = logging.getLogger(__name__)


def message(notice: Notice, prefix: str) -> tuple[str, str]:
    """Title and body: the desktop's glance lines, the item, the notice's address and how to record an answer."""
    title = f"{prefix}: {text.summary(notice)}" if prefix else text.summary(notice)
    body = glance.lines(notice, actions=False)
    body.append(f"Item: {text.clean_line(notice.item_name)} ({notice.item_id})")
    if notice.url:
        body.append(notice.url)
    status = "returned" if notice.confidence == "confirmed" else "checked"
    body.append(f"When done: recall-agent ack {notice.item_id} {notice.rule_id} --as {status}")
    return title, "\n".join(body)


class AppriseOutlet(Outlet):
    name = "apprise"

    def __init__(
        self, settings: AppriseSettings, state_file: Path, remind_after: dt.timedelta | None, *, sender: Any = None
    ) -> None:
        super().__init__()
        self.settings = settings
        self.state_file = state_file
        self.remind_after = remind_after
        self.state = NotifyState()
        self.sender = sender if sender is not None else self._apprise(settings.urls)

    @staticmethod
    def _apprise(urls: Sequence[str]) -> Any:
        import apprise

        sender = apprise.Apprise()
        for url in urls:
            if not sender.add(url):  # the URL itself may carry a token: name only its scheme
                raise ValueError(f"Apprise does not understand a {urlsplit(url).scheme or '?'}:// URL")
        return sender

    def _publish(self, update: Update) -> frozenset[Key]:
        """Under the state file's lock, read afresh: a ``scan`` and the daemon may both send alerts."""
        with locked(self.state_file):
            self.state = NotifyState.load(self.state_file)
            self._send_due(update.findings, update.now)
        return frozenset()  # told through its own memory of what it sent

    def _send_due(self, findings: Sequence[Finding], now: dt.datetime) -> None:
        changed = False
        for finding in findings:
            if not finding.serious:
                continue
            key = (finding.item.id, finding.rule.id)
            confidence = finding.confidence.label
            if not self.state.due(key, confidence, now, self.remind_after):
                continue
            notice = notice_for(finding)
            title, body = message(notice, self.settings.title_prefix)
            kind = "warning" if notice.confidence == "confirmed" else "info"  # Apprise's NotifyType values
            if self.sender.notify(title=title, body=body, notify_type=kind):
                self.state.notified(key, confidence, now)
                changed = True
                self.quiet.cleared("apprise:send")
            else:
                self.quiet.problem("apprise:send", "Apprise could not deliver the alert for %s / %s", *key)
        if changed:
            self.state.save(self.state_file)
