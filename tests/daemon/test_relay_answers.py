"""The per-user notifier's answers: kept in the user's own state, with the command for the whole machine."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.daemon.desktop_relay import Relay
from agent.notify.interface import Notifier, NotifyResult
from agent.notify.notice import Notice

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
FINDING = {
    "item": {"id": "bank", "name": "Anker 321 Power Bank", "model": "A1112"},
    "rule": {
        "id": "anker-2024-321-power-bank",
        "title": "Anker 321 Power Bank recalled",
        "kind": "recall",
        "url": "https://www.anker.com/product-recalls",
        "hazard": "The cells can overheat.",
        "hazards": ["fire"],
        "remedy": "Stop using it.",
        "check": "",
    },
    "confidence": "confirmed",
    "to_check": [],
    "notify": True,
}


class Recorder(Notifier):
    name = "recorder"

    def __init__(self, on_action: Callable[[Notice, str], str | None]) -> None:
        super().__init__()
        self.on_action = on_action
        self.sent: list[Notice] = []

    def _send(self, notice: Notice) -> NotifyResult:
        self.sent.append(notice)
        return NotifyResult(backend=self.name, delivered=True)


@pytest.fixture
def relay(tmp_path: Path) -> Relay:
    findings = tmp_path / "findings.json"
    findings.write_text(json.dumps({"format": 1, "findings": [FINDING]}))
    return Relay(findings, tmp_path / "notifier.json", Recorder)


def recorder(relay: Relay) -> Recorder:
    assert isinstance(relay.notifier, Recorder)
    return relay.notifier


def test_the_published_finding_becomes_one_notice_through_the_shared_builder(relay: Relay) -> None:
    assert relay.check(NOW) == 1
    [notice] = recorder(relay).sent
    assert (notice.key, notice.critical, notice.model) == (("bank", "anker-2024-321-power-bank"), True, "A1112")


@pytest.mark.parametrize("status", ["returned", "disposed", "repaired", "checked"])
def test_a_recording_answer_names_the_command_that_records_it_for_the_machine(relay: Relay, status: str) -> None:
    relay.check(NOW)
    [notice] = recorder(relay).sent
    message = relay.acknowledge(notice, status)
    command = f"recall-agent ack --system bank anker-2024-321-power-bank --as {status}"
    assert message == f"Hidden on this desktop. For the whole machine: {command}"
    assert relay.state.records[notice.key].acknowledged is not None


def test_opening_answers_record_nothing(relay: Relay) -> None:
    relay.check(NOW)
    [notice] = recorder(relay).sent
    assert [relay.acknowledge(notice, key) for key in ("default", "open", "check", "bogus")] == [None] * 4
    assert relay.state.records[notice.key].acknowledged is None


def test_remind_me_later_shows_it_again_a_day_later_without_a_new_findings_file(relay: Relay) -> None:
    relay.check(NOW)
    [notice] = recorder(relay).sent
    assert relay.acknowledge(notice, "later") == "You will be reminded tomorrow."
    record = relay.state.records[notice.key]
    assert record.acknowledged is None and record.remind_at is not None
    assert relay.check(record.remind_at - dt.timedelta(seconds=1)) == 0
    assert relay.check(record.remind_at) == 1
    assert relay.state.records[notice.key].remind_at is None
    assert len(recorder(relay).sent) == 2
