"""DesktopNotifier against a real notification server (dunst) on a private session bus."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from jeepney.io.blocking import DBusConnection

from agent.notify import DesktopNotifier, Notice

from .conftest import Dunst, NotifyCalls
from .notices import ANKER, HOSTILE


def history(dunst: Dunst) -> list[dict[str, object]]:
    dunst.ctl("close-all")  # dunst lists a notification in its history once it is closed
    data = json.loads(dunst.ctl("history"))["data"][0]
    return [{key: field["data"] for key, field in entry.items()} for entry in data]


def test_notify_call_has_summary_body_urgency_and_actions(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst = dunst_factory("full")
    notifier = DesktopNotifier(connect=connect)
    result = notifier.send(ANKER)
    assert result.delivered and result.backend == "desktop" and result.notification_id
    assert result.actions == ("open", "handled")
    [call] = notify_calls.wait_for(1)
    app, replaces, _icon, summary, body, actions, hints, timeout = call
    assert (app, replaces, timeout) == ("recall-agent", 0, -1)
    assert summary == "Recalled: Anker 321 Power Bank (PowerCore 5K)"
    assert body.splitlines() == [
        "Anker recalls PowerCore 5K power banks",
        "Hazard: The battery can overheat and catch fire.",
        "What to do: Stop using it and request a replacement from Anker.",
        '<a href="https://www.anker.com/a1112-recall">https://www.anker.com/a1112-recall</a>',
    ]
    assert actions == ["open", "Open notice", "handled", "Mark handled"]
    assert hints["urgency"] == ("y", 2)
    assert hints["desktop-entry"] == ("s", "recall-agent")
    [shown] = history(dunst)
    assert (shown["appname"], shown["summary"], shown["id"]) == ("recall-agent", summary, result.notification_id)
    assert shown["body"] == body
    notifier.close()


def test_normal_urgency_when_the_hazard_is_not_fire_burn_or_shock(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst_factory("full")
    notifier = DesktopNotifier(connect=connect)
    assert notifier.send(HOSTILE).delivered
    [call] = notify_calls.wait_for(1)
    assert call[6]["urgency"] == ("y", 1)


def test_markup_and_control_characters_are_escaped_when_the_server_reads_markup(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst = dunst_factory("full")
    assert DesktopNotifier(connect=connect).send(HOSTILE).delivered
    [call] = notify_calls.wait_for(1)
    summary, body = call[3], call[4]
    assert summary == "May be recalled: Evil <b>Hub</b> & red txt.exe"  # the summary is never markup
    assert body.splitlines() == [
        "Hub &lt;i&gt;recall&lt;/i&gt;",
        "Hazard: Chips &amp; &lt;span&gt;wires&lt;/span&gt; may &lt;overheat&gt;",
        "What to do: Unplug it",
        "Check your unit: Serial starts with &lt;X&gt;",
        '<a href="https://example.org/?a=1&amp;b=2">https://example.org/?a=1&amp;b=2</a>',
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
    assert "Hazard: Chips & <span>wires</span> may <overheat>" in call[4].splitlines()
    assert call[4].splitlines()[-1] == "https://example.org/?a=1&b=2"


def test_mark_handled_from_the_servers_menu_reaches_the_callback(
    dunst_factory: Callable[[str], Dunst], connect: Callable[[], DBusConnection]
) -> None:
    dunst = dunst_factory("full")
    answered: list[tuple[str, str]] = []
    opened: list[str] = []

    def opener(url: str) -> bool:
        opened.append(url)
        return True

    notifier = DesktopNotifier(
        connect=connect,
        on_action=lambda notice, action: answered.append((notice.rule_id, action)),
        opener=opener,
    )
    result = notifier.send(ANKER)
    assert result.notification_id is not None
    dunst.choose("Mark handled")
    event = notifier.wait(result.notification_id, timeout=10)
    assert event is not None and (event.kind, event.action) == ("action", "handled")
    assert answered == [("anker-2025-a1112", "handled")]
    assert opened == []
    assert "#Mark handled (Recalled: Anker 321" in (dunst.folder / "menu.txt").read_text()


def test_open_notice_runs_the_desktop_opener_with_the_notice_url(
    dunst_factory: Callable[[str], Dunst],
    connect: Callable[[], DBusConnection],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dunst = dunst_factory("full")
    opened = tmp_path / "opened"
    fake = tmp_path / "bin" / "xdg-open"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    answered: list[str] = []
    notifier = DesktopNotifier(connect=connect, on_action=lambda _notice, action: answered.append(action))
    result = notifier.send(ANKER)
    assert result.notification_id is not None
    dunst.choose("Open notice")
    event = notifier.wait(result.notification_id, timeout=10)
    assert event is not None and event.action == "open"
    deadline = time.monotonic() + 5
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert opened.read_text() == ANKER.url
    assert answered == ["open"]


def test_no_open_action_without_a_url(
    dunst_factory: Callable[[str], Dunst], notify_calls: NotifyCalls, connect: Callable[[], DBusConnection]
) -> None:
    dunst_factory("full")
    notice = Notice(item_id="i", item_name="Kettle", rule_id="r", title="", hazard="Burns", remedy="Stop")
    assert DesktopNotifier(connect=connect).send(notice).actions == ("handled",)
    [call] = notify_calls.wait_for(1)
    assert call[5] == ["handled", "Mark handled"]


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
