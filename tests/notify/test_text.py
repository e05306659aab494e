"""Cleaning, escaping and wording of notices; the log and null notifiers; the never-raise contract."""

from __future__ import annotations

import logging

import pytest

from agent.notify import LogNotifier, Notice, Notifier, NotifyResult, NullNotifier, notice_from_rule
from agent.notify.interface import QuietLog
from agent.notify.text import body, clean_line, clean_text, summary, urgency

from .notices import ANKER, HOSTILE


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Plain name", "Plain name"),
        ("\x1b[1;31mRed\x1b[0m", "Red"),
        ("title\x1b]0;pwned\x07 here", "title here"),
        ("link\x1b]8;;https://x\x1b\\text\x1b]8;;\x1b\\", "linktext"),
        ("8bit\x9b31mcsi", "8bitcsi"),
        ("abc\u202edcba\u202c", "abcdcba"),
        ("iso\u2066late\u2069", "isolate"),
        ("zero\u200bwidth", "zerowidth"),
        ("tab\tand\nnewline\r", "tab and newline"),
        ("nul\x00bell\x07del\x7f", "nul bell del"),
        ("  many   spaces  ", "many spaces"),
        ("Größe 5 Ω", "Größe 5 Ω"),
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_clean_line_caps_length() -> None:
    assert clean_line("x" * 500, limit=10) == "x" * 9 + "…"


def test_clean_text_keeps_line_breaks_and_drops_empty_lines() -> None:
    assert clean_text("one\r\n\n two \x1b[0m\nthree") == "one\ntwo\nthree"


def test_summary_says_how_sure_it_is() -> None:
    assert summary(ANKER) == "Recalled: Anker 321 Power Bank (PowerCore 5K)"
    assert summary(HOSTILE).startswith("May be recalled: ")
    nameless = Notice(item_id="usb-1", item_name="\x1b[0m", rule_id="r", title="", hazard="", remedy="")
    assert summary(nameless) == "Recalled: usb-1"


def test_body_without_markup_keeps_text_as_is() -> None:
    assert body(HOSTILE, markup=False).splitlines()[1] == "Hazard: Chips & <span>wires</span> may <overheat>"


def test_body_never_links_a_non_web_url() -> None:
    notice = Notice(item_id="i", item_name="n", rule_id="r", title="", hazard="", remedy="", url="file:///etc")
    assert body(notice, markup=True, hyperlinks=True) == "file:///etc"


def test_urgency() -> None:
    assert (urgency(ANKER), urgency(HOSTILE)) == (2, 1)


def test_log_notifier_writes_one_warning_line(caplog: pytest.LogCaptureFixture) -> None:
    result = LogNotifier().send(HOSTILE)
    assert result == NotifyResult(backend="log", delivered=True)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    line = record.getMessage()
    assert line.startswith("recall: Evil <b>Hub</b> & red txt.exe; item=usb-1234; rule=r1; confidence=likely")
    assert "check: Serial starts with <X>" in line
    assert not any(ch in line for ch in "\n\x1b\x00\u202e")


def test_null_notifier_shows_nothing(caplog: pytest.LogCaptureFixture) -> None:
    assert not NullNotifier().send(ANKER).delivered
    assert caplog.records == []


class Broken(Notifier):
    name = "broken"

    def _send(self, notice: Notice) -> NotifyResult:
        raise RuntimeError(f"cannot show {notice.rule_id}")


def test_send_never_raises_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    notifier = Broken()
    results = [notifier.send(ANKER), notifier.send(ANKER)]
    assert [r.error for r in results] == ["cannot show anker-2025-a1112"] * 2
    assert not any(r.delivered for r in results)
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.DEBUG]


def test_quiet_log_warns_again_after_the_problem_cleared(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    quiet = QuietLog(logging.getLogger("test.quiet"))
    quiet.problem("k", "down")
    quiet.problem("k", "down")
    quiet.cleared("k")
    quiet.problem("k", "down")
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.DEBUG, logging.WARNING]


def test_notice_from_rule_keeps_the_label_check_only_when_not_confirmed() -> None:
    from agent.dates import parse_partial_date
    from agent.rules.schema import Rule

    rule = Rule(
        id="anker-a1112",
        title="PowerCore 5K recall",
        kind="recall",
        issuer="Anker",
        issuer_type="manufacturer",
        reference="",
        published=parse_partial_date("2025-06"),
        url="https://example.org/n",
        hazard="Fire",
        hazards=("fire",),
        remedy="Stop using it",
        check="Model A1112 on the back",
        products=(),
    )
    likely = notice_from_rule(rule, item_id="i1", item_name="Power bank", confidence="likely")
    assert (likely.urgent, likely.check, likely.key) == (True, "Model A1112 on the back", ("i1", "anker-a1112"))
    assert notice_from_rule(rule, item_id="i1", item_name="Power bank", confidence="confirmed").check == ""
