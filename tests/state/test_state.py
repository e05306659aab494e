"""The daemon's notification memory: what is due, what survives a restart, and how it is written."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from agent.state import NotifyState
from agent.tomlio import atomic_write_bytes as write_atomic

T0 = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
KEY = ("anker-a1112", "anker-2025-a1112")
WEEK = dt.timedelta(days=7)


def test_a_new_finding_is_due_once() -> None:
    state = NotifyState()
    assert state.due(KEY, "confirmed", T0, WEEK)
    state.notified(KEY, "confirmed", T0)
    assert not state.due(KEY, "confirmed", T0 + dt.timedelta(days=365), WEEK)  # confirmed: no reminders


@pytest.mark.parametrize(
    ("after", "remind_after", "due"),
    [
        (dt.timedelta(days=6), WEEK, False),
        (dt.timedelta(days=7), WEEK, True),
        (dt.timedelta(days=30), None, False),
    ],
)
def test_an_unhandled_likely_finding_is_reminded_after_the_set_time(
    after: dt.timedelta, remind_after: dt.timedelta | None, due: bool
) -> None:
    state = NotifyState()
    state.notified(KEY, "likely", T0)
    assert state.due(KEY, "likely", T0 + after, remind_after) is due


def test_a_reminder_restarts_the_clock_and_keeps_the_first_time() -> None:
    state = NotifyState()
    state.notified(KEY, "likely", T0)
    record = state.notified(KEY, "likely", T0 + WEEK)
    assert (record.first_notified, record.last_reminded) == (T0, T0 + WEEK)
    assert not state.due(KEY, "likely", T0 + WEEK + dt.timedelta(days=1), WEEK)


def test_a_finding_that_grows_certain_is_due_again() -> None:
    state = NotifyState()
    state.notified(KEY, "likely", T0)
    assert state.due(KEY, "confirmed", T0, WEEK)
    state.notified(KEY, "confirmed", T0)
    assert not state.due(KEY, "likely", T0 + WEEK * 10, WEEK)


def test_an_acknowledged_finding_stays_quiet() -> None:
    state = NotifyState()
    state.notified(KEY, "likely", T0)
    state.acknowledge(KEY, T0 + dt.timedelta(hours=1))
    assert not state.due(KEY, "confirmed", T0 + WEEK * 10, WEEK)


def test_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / "notified.json"
    state = NotifyState()
    state.notified(KEY, "likely", T0)
    state.notified(("usb-1", "r2"), "confirmed", T0)
    state.acknowledge(("usb-1", "r2"), T0 + WEEK)
    state.save(path)
    again = NotifyState.load(path)
    assert again.records == state.records
    assert again.get(("usb-1", "r2")) is not None
    assert json.loads(path.read_text())["notices"][0]["item"] == "anker-a1112"


def test_files_are_0600_and_new_folders_0700(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    old = os.umask(0o022)
    try:
        NotifyState().save(shared / "a" / "b" / "notified.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((shared / "a" / "b" / "notified.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((shared / "a" / "b").stat().st_mode) == 0o700
    assert stat.S_IMODE((shared / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # an existing folder keeps its mode


def test_a_published_file_gets_the_mode_asked_for_despite_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "findings.json", b"[]\n", mode=0o644)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "findings.json").stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    path = folder / "notified.json"
    path.write_bytes(b"old")

    def crash(src: object, dst: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)  # the rename fails, as on a full or lost disk
    with pytest.raises(OSError, match="disk gone"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["notified.json"]


def test_no_temporary_is_left_after_a_write(tmp_path: Path) -> None:
    write_atomic(tmp_path / "state" / "x.json", b"1")
    write_atomic(tmp_path / "state" / "x.json", b"2")
    assert [p.name for p in (tmp_path / "state").iterdir()] == ["x.json"]
    assert (tmp_path / "state" / "x.json").read_bytes() == b"2"


def test_a_missing_file_is_an_empty_state(tmp_path: Path) -> None:
    assert NotifyState.load(tmp_path / "none.json").records == {}


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"format": 99, "notices": []}',
        b'{"format": 1, "notices": [{"item": "x"}]}',
        b'{"format": 1, "notices": [{"item": "x", "rule": "r", "confidence": "likely",'
        b' "first_notified": "yesterday", "last_reminded": "2025-01-01T00:00:00"}]}',
    ],
)
def test_a_damaged_file_is_moved_aside(tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "notified.json"
    path.write_bytes(content)
    assert NotifyState.load(path).records == {}
    assert (tmp_path / "notified.json.corrupt").read_bytes() == content
    assert not path.exists()
    assert "moved to notified.json.corrupt" in caplog.text
