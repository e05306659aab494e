"""open_url with stand-in openers on PATH: which command runs, with which arguments."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from agent.notify.opener import open_url

RECORD = '#!/bin/sh\nn=${{0##*/}}\nprintf "%s\\n" "$n" "$@" > "{out}.$n"\n'  # builtins only: PATH is bare


def stand_ins(folder: Path, *names: str, fail: tuple[str, ...] = ()) -> Path:
    """A folder of scripts that record their name and arguments; those in ``fail`` exit 1."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name in names:
        script = bin_dir / name
        script.write_text(RECORD.format(out=folder / "ran") + ("exit 1\n" if name in fail else ""))
        script.chmod(0o755)
    return bin_dir


def ran(folder: Path, name: str, timeout: float = 5.0) -> list[str]:
    path = folder / f"ran.{name}"
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("INVOCATION_ID", raising=False)
    return monkeypatch


def test_xdg_open_gets_the_url(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PATH", str(stand_ins(tmp_path, "xdg-open", "gio")))
    assert open_url("https://example.org/notice?a=1")
    assert ran(tmp_path, "xdg-open") == ["xdg-open", "https://example.org/notice?a=1"]
    assert ran(tmp_path, "gio", timeout=0.2) == []


def test_gio_open_when_there_is_no_xdg_open(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PATH", str(stand_ins(tmp_path, "gio")))
    assert open_url("http://example.org/")
    assert ran(tmp_path, "gio") == ["gio", "open", "http://example.org/"]


def test_inside_a_unit_the_opener_starts_through_systemd_run(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PATH", str(stand_ins(tmp_path, "xdg-open", "systemd-run")))
    clean_env.setenv("INVOCATION_ID", "0123456789abcdef")
    assert open_url("https://example.org/")
    assert ran(tmp_path, "systemd-run") == [
        "systemd-run",
        "--user",
        "--quiet",
        "--collect",
        "--",
        "xdg-open",
        "https://example.org/",
    ]
    assert ran(tmp_path, "xdg-open", timeout=0.2) == []


def test_a_failing_systemd_run_falls_back_to_a_direct_start(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PATH", str(stand_ins(tmp_path, "xdg-open", "systemd-run", fail=("systemd-run",))))
    clean_env.setenv("INVOCATION_ID", "0123456789abcdef")
    assert open_url("https://example.org/")
    assert ran(tmp_path, "xdg-open") == ["xdg-open", "https://example.org/"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "--help", "javascript:alert(1)", ""])
def test_only_web_links_are_opened(url: str, tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PATH", str(stand_ins(tmp_path, "xdg-open")))
    assert not open_url(url)
    assert ran(tmp_path, "xdg-open", timeout=0.2) == []


def test_no_opener_at_all(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PATH", str(stand_ins(tmp_path)))
    assert not open_url("https://example.org/")
