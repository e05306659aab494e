"""DesktopNotifier against a real notification server (dunst) on a private session bus."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from jeepney.io.blocking import DBusConnection

from agent.notify.desktop import DesktopNotifier
from agent.notify.notice import Notice

from .conftest import Dunst, NotifyCalls
from .notices import ANKER, HOSTILE, LIKELY


def history(dunst: Dunst) -> list[dict[str, object]]:
    dunst.ctl("close-all")  # dunst lists a notification in its history once it is closed
    return dunst.history()


def opener_log() -> tuple[list[str], Callable[[str], bool]]:
    opened: list[str] = []

    def opener(url: str) -> bool:
        opened.append(url)
        return True

    return opened, opener


def test_a_confirmed_finding_reads_at_a_glance_with_its_actions_and_critical_urgency(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst = dunst_factory("full")
    notifier = DesktopNotifier(connect=connect)
    result = notifier.send(ANKER)
    assert result.delivered and result.backend == "desktop" and result.notification_id
    assert result.actions == ("default", "open", "returned", "disposed", "repaired", "later")
    [call] = notify_calls.wait_for(1)
    app, replaces, icon, summary, body, actions, hints, timeout = call
    assert (app, replaces, icon, timeout) == ("recall-agent", 0, "dialog-warning-symbolic", 0)
    assert summary == "Recalled: Anker 321 Power Bank (fire hazard)"
    assert body.splitlines() == [
        "A defect in some lithium-ion cells lets the power bank overheat.",
        "Stop using and charging it.",
    ]
    assert actions == [
        "default", "Open the notice", "open", "What to do", "returned", "Done: returned",
        "disposed", "Done: disposed", "repaired", "Done: repaired", "later", "Remind me later",
    ]  # fmt: skip
    assert hints["urgency"] == ("y", 2)
    assert hints["desktop-entry"] == ("s", "recall-agent")
    [shown] = history(dunst)
    assert (shown["appname"], shown["summary"], shown["id"]) == ("recall-agent", summary, result.notification_id)
    assert (shown["body"], shown["default_action_name"], shown["category"]) == (body, "default", "device")
    notifier.close()


def test_a_likely_finding_asks_for_the_check_first_at_normal_urgency(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst = dunst_factory("full")
    result = DesktopNotifier(connect=connect).send(LIKELY)
    assert result.actions == ("default", "check", "checked", "later")
    [call] = notify_calls.wait_for(1)
    assert call[3] == "Check your Anker PowerCore 10000 (A1263): may be recalled"
    assert call[4].splitlines() == [
        "Check whether the serial number is affected; enter it with “Check my unit”.",
        "If affected: the lithium-ion battery can overheat, melting the plastic case and causing smoke.",
    ]
    assert call[5] == [
        "default",
        "Open the notice",
        "check",
        "Check my unit",
        "checked",
        "Not affected",
        "later",
        "Remind me later",
    ]
    assert (call[6]["urgency"], call[7]) == (("y", 1), 0)  # normal, and still persistent
    [shown] = history(dunst)
    assert shown["timeout"] == 0  # dunst keeps it on screen: a normal notification would go after 10 s


def test_markup_and_control_characters_are_escaped_when_the_server_reads_markup(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst = dunst_factory("full")
    assert DesktopNotifier(connect=connect).send(HOSTILE).delivered
    [call] = notify_calls.wait_for(1)
    summary, body = call[3], call[4]
    assert summary == "Check your Evil <b>Hub</b> & red txt.exe: may be recalled"  # the summary is never markup
    assert body.splitlines() == [
        "Check the serial number on the label (affected: starting &lt;X&gt; &amp; &lt;Y&gt;).",
        "If affected: Chips &amp; &lt;span&gt;wires&lt;/span&gt; may &lt;overheat&gt;.",
    ]
    for text in (summary, body):
        assert not any(ch in text for ch in "\x1b\x00\x07\u202e\u202c")
    [shown] = history(dunst)
    assert shown["body"] == body


def test_body_is_left_unescaped_when_the_server_shows_plain_text(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst_factory("no")  # dunst with markup off does not advertise body-markup
    assert DesktopNotifier(connect=connect).send(HOSTILE).delivered
    [call] = notify_calls.wait_for(1)
    assert "If affected: Chips & <span>wires</span> may <overheat>." in call[4].splitlines()
    assert "http" not in call[4]  # dunst offers actions, so the link is an action, not text


@pytest.mark.parametrize(
    ("notice", "label", "key"),
    [(ANKER, "Done: returned", "returned"), (ANKER, "Remind me later", "later"), (LIKELY, "Not affected", "checked")],
)
def test_a_recording_answer_reaches_the_callback_closes_the_notification_and_confirms(
    *,
    dunst_factory: Callable[[str], Dunst],
    notify_calls: NotifyCalls,
    connect: Callable[[], DBusConnection],
    notice: Notice,
    label: str,
    key: str,
) -> None:
    dunst = dunst_factory("full")
    answered: list[tuple[str, str]] = []
    opened, opener = opener_log()

    def on_action(notice: Notice, action: str) -> str:
        answered.append((notice.rule_id, action))
        return "Recorded."

    notifier = DesktopNotifier(connect=connect, on_action=on_action, opener=opener)
    result = notifier.send(notice)
    assert result.notification_id is not None
    dunst.choose(label)
    event = notifier.wait(result.notification_id, timeout=10)
    assert event is not None and (event.kind, event.action) == ("action", key)
    assert answered == [(notice.rule_id, key)]
    assert opened == []
    assert f"#{label} (" in "\n".join(dunst.menu())
    closed = notifier.wait(result.notification_id, timeout=10)
    assert closed is not None and (closed.kind, closed.reason) == ("closed", 3)  # 3: closed by CloseNotification
    assert notify_calls.closes() == [result.notification_id]
    [confirmation] = notify_calls.confirmations()
    assert confirmation[3:5] == (notice.item_name, "Recorded.")
    assert confirmation[6]["urgency"] == ("y", 0) and confirmation[7] > 0  # low, and it goes away by itself
    assert [h["id"] for h in dunst.history()] == [result.notification_id]


@pytest.mark.parametrize(
    ("notice", "label", "url"),
    [
        (ANKER, "What to do", ANKER.url),
        (ANKER, "Open the notice", ANKER.url),
        (LIKELY, "Check my unit", LIKELY.checker),
    ],
)
def test_an_opening_answer_runs_the_desktop_opener_and_leaves_the_notification_up(
    *,
    dunst_factory: Callable[[str], Dunst],
    notify_calls: NotifyCalls,
    connect: Callable[[], DBusConnection],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notice: Notice,
    label: str,
    url: str,
) -> None:
    dunst = dunst_factory("full")
    opened = tmp_path / "opened"
    fake = tmp_path / "bin" / "xdg-open"
    fake.parent.mkdir()
    # Written aside and renamed, so the file is there only once the whole URL is in it.
    fake.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}.part" && mv "{opened}.part" "{opened}"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    answered: list[str] = []

    def on_action(_notice: Notice, action: str) -> None:
        answered.append(action)

    notifier = DesktopNotifier(connect=connect, on_action=on_action)
    result = notifier.send(notice)
    assert result.notification_id is not None
    dunst.choose(label)
    event = notifier.wait(result.notification_id, timeout=10)
    assert event is not None and event.kind == "action"
    deadline = time.monotonic() + 5
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert opened.read_text() == url
    assert answered == [event.action]
    assert notify_calls.closes() == [] and notify_calls.confirmations() == []
    assert dunst.displayed() == 1  # the person still has to say what they did


def test_no_opening_actions_without_a_url(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst_factory("full")
    notice = Notice(item_id="i", item_name="Kettle", rule_id="r", title="", hazard="Burns", remedy="Stop")
    assert DesktopNotifier(connect=connect).send(notice).actions == ("returned", "disposed", "repaired", "later")
    [call] = notify_calls.wait_for(1)
    assert call[5][::2] == ["returned", "disposed", "repaired", "later"]


def test_each_notification_and_answer_is_logged(
    dunst_factory: Callable[[str], Dunst], connect: Callable[[], DBusConnection], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="agent.notify")
    dunst = dunst_factory("full")
    notifier = DesktopNotifier(connect=connect, on_action=lambda _n, _a: None)
    result = notifier.send(ANKER)
    assert result.notification_id is not None
    dunst.choose("Remind me later")
    notifier.wait(result.notification_id, timeout=10)
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert messages[0].startswith(
        f"notified anker-a1112 / anker-2025-a1112 (confirmed, urgency 2) as #{result.notification_id}"
    )
    assert "Recalled: Anker 321 Power Bank (fire hazard)" in messages[0] and "Done: returned" in messages[0]
    assert (
        messages[1]
        == f"action 'later' (Remind me later) on #{result.notification_id} for anker-a1112 / anker-2025-a1112"
    )


def test_closing_the_notification_is_reported(
    dunst_factory: Callable[[str], Dunst], connect: Callable[[], DBusConnection]
) -> None:
    dunst = dunst_factory("full")
    notifier = DesktopNotifier(connect=connect)
    result = notifier.send(ANKER)
    assert result.notification_id is not None
    dunst.ctl("close")
    event = notifier.wait(result.notification_id, timeout=10)
    assert event is not None and event.kind == "closed" and event.reason == 2  # 2: dismissed by the user


def test_no_server_on_the_bus_goes_to_the_log_once_as_warning(
    connect: Callable[[], DBusConnection], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="agent.notify")
    notifier = DesktopNotifier(connect=connect)
    first = notifier.send(ANKER)
    second = notifier.send(HOSTILE)
    assert (first.backend, first.delivered) == ("log", True)
    assert first.error == "no notification server on the session bus"
    assert second.backend == "log"
    problems = [r for r in caplog.records if r.name == "agent.notify.interface"]
    assert [r.levelno for r in problems] == [logging.WARNING, logging.DEBUG]
    findings = [r for r in caplog.records if r.name == "agent.notify.log"]
    assert [r.levelno for r in findings] == [logging.WARNING, logging.WARNING]
    assert "Anker 321 Power Bank" in findings[0].getMessage()
    assert "\n" not in findings[1].getMessage() and "\x1b" not in findings[1].getMessage()


def test_no_session_bus_at_all_goes_to_the_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    result = DesktopNotifier().send(ANKER)  # the production default: the session bus from the environment
    assert (result.backend, result.delivered) == ("log", True)
    assert "DBUS_SESSION_BUS_ADDRESS" in result.error
    assert any("recall: Anker 321" in r.getMessage() for r in caplog.records)


def test_a_dead_bus_socket_goes_to_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/gone")
    result = DesktopNotifier().send(ANKER)
    assert (result.backend, result.delivered) == ("log", True)
    assert "FileNotFoundError" in result.error


def test_a_server_that_starts_later_is_used_from_then_on(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    notifier = DesktopNotifier(connect=connect)
    assert notifier.send(ANKER).backend == "log"
    dunst_factory("full")
    result = notifier.send(ANKER)
    assert (result.backend, result.delivered) == ("desktop", True)
    assert len(notify_calls.wait_for(1)) == 1
