"""Cleaning, escaping and wording of notices; the log and null notifiers; the never-raise contract."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from agent.notify.interface import Notifier, NotifyResult
from agent.notify.log import LogNotifier, NullNotifier
from agent.notify.notice import Notice, make_notice
from agent.notify.text import body, clean_line, clean_text, summary, urgency
from agent.quietlog import QuietLog
from agent.rules.schema import Rule

from .notices import ANKER, HOSTILE, LIKELY


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


def test_summary_names_the_hazard_or_asks_for_the_check() -> None:
    assert summary(ANKER) == "Recalled: Anker 321 Power Bank (fire hazard)"
    assert summary(LIKELY) == "Check your Anker PowerCore 10000 (A1263): may be recalled"
    named = replace(LIKELY, item_name="Anker PowerCore 10000 A1263")
    assert summary(named) == "Check your Anker PowerCore 10000 A1263: may be recalled"  # the model is not repeated
    nameless = Notice(item_id="usb-1", item_name="\x1b[0m", rule_id="r", title="", hazard="", remedy="")
    assert summary(nameless) == "Recalled: usb-1"
    warning = replace(ANKER, kind="warning", hazards=("carbon-monoxide",))
    assert summary(warning) == "Safety warning: Anker 321 Power Bank (carbon monoxide hazard)"


def test_body_without_markup_keeps_text_as_is() -> None:
    assert body(HOSTILE, markup=False).splitlines()[1] == "If affected: Chips & <span>wires</span> may <overheat>."


def test_the_link_is_written_out_only_when_the_server_has_no_actions() -> None:
    assert "http" not in body(ANKER, markup=True, hyperlinks=True)
    lines = body(ANKER, markup=True, actions=False, hyperlinks=True).splitlines()
    assert lines[-1] == '<a href="https://www.anker.com/a1112-recall">https://www.anker.com/a1112-recall</a>'
    assert body(LIKELY, markup=False, actions=False).splitlines()[0] == (
        "Check whether the serial number is affected; enter it at anker.com/product-recalls."
    )


def test_body_never_links_a_non_web_url() -> None:
    notice = Notice(item_id="i", item_name="n", rule_id="r", title="", hazard="", remedy="", url="file:///etc")
    assert body(notice, markup=True, actions=False, hyperlinks=True) == "file:///etc"


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("It can overheat. Anker had 19 reports.", 98, "It can overheat."),
        (
            "Stop using it at once, keep it somewhere safe, and call the firm for a refund today.",
            40,
            "Stop using it at once.",
        ),
        ("Register for a free replacement (same model, new batch) today", 50, "Register for a free replacement."),
        (
            "Stop using the powerbank and contact myCharge (compliance@mycharge.com).",
            98,
            "Stop using the powerbank and contact myCharge.",
        ),
        ("Check the serial at anker.com/product-recalls now.", 98, "Check the serial."),
        ("Onewordthatgoesonandonandonwithoutanyspace at all here", 20, "Onewordthatgoesonan…"),
    ],
)
def test_lines_are_cut_at_sentence_and_clause_boundaries_without_links(text: str, limit: int, short: str) -> None:
    from agent.notify.glance import _sentence, shorten, without_addresses

    assert _sentence(shorten(without_addresses(text), limit)) == short


def test_a_warnings_preamble_is_not_the_thing_to_do() -> None:
    notice = replace(ANKER, remedy="This is a safety warning, not a recall: no refund. Stop using the battery now.")
    assert body(notice, markup=False).splitlines()[1] == "Stop using the battery now."


def test_urgency_is_critical_only_for_a_confirmed_urgent_hazard() -> None:
    assert (urgency(ANKER), urgency(LIKELY), urgency(HOSTILE)) == (2, 1, 1)
    assert urgency(replace(ANKER, hazards=("choking",))) == 1


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


def test_one_builder_keeps_the_label_check_only_when_not_confirmed() -> None:
    fields = {
        "item_id": "i1",
        "item_name": "Power bank",
        "item_model": "",
        "rule_id": "anker-a1112",
        "title": "PowerCore 5K recall",
        "hazard": "Fire",
        "hazards": ["fire"],
        "remedy": "Stop using it",
        "check": "Model A1112 on the back",
        "url": "https://example.org/n",
        "to_check": ["the model on the label"],
        "checker": "https://example.org/check",
        "models": ["A1112"],
    }
    likely = make_notice(**fields, confidence="likely")  # type: ignore[arg-type]
    assert (likely.urgent, likely.critical, likely.key) == (True, False, ("i1", "anker-a1112"))
    assert (likely.check, likely.to_check, likely.checker, likely.model) == (
        "Model A1112 on the back", ("the model on the label",), "https://example.org/check", "A1112",
    )  # fmt: skip
    confirmed = make_notice(**fields, confidence="confirmed")  # type: ignore[arg-type]
    assert (confirmed.check, confirmed.to_check, confirmed.checker, confirmed.critical) == ("", (), "", True)


def _shipped_rules() -> list[Rule]:
    from agent.paths import shipped_rules_dir
    from agent.rules.load import load_rules

    return list(load_rules([(shipped_rules_dir(), "shipped")]).rules)


@pytest.mark.parametrize("rule", _shipped_rules(), ids=lambda r: r.id)
@pytest.mark.parametrize("confidence", ["confirmed", "likely"])
def test_every_shipped_rule_gives_a_short_link_free_body(rule: Rule, confidence: str) -> None:
    import html
    import re

    product = rule.products[0]
    notice = make_notice(
        item_id="i", item_name=product.name, item_model="", rule_id=rule.id, title=rule.title, hazard=rule.hazard,
        hazards=rule.hazards, remedy=rule.remedy, check=rule.check, url=rule.url, confidence=confidence,
        to_check=[f"whether the serial is affected: only some are; enter it at {product.serial_lookup}"]
        if product.serial_lookup else [], checker=product.serial_lookup, models=product.models,
    )  # fmt: skip
    shown = html.unescape(body(notice, markup=True))
    assert 0 < len(shown) <= 200, shown
    assert not re.search(r"https?://|www\.|@|\b[\w-]+\.(?:com|org|gov|net|ca|uk|au)\b", shown, re.IGNORECASE), shown
    assert len(shown.splitlines()) == 2 and "*" not in summary(notice)
