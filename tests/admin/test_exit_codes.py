"""Every failure is one line naming the file and the problem: exit 2 for input and permission problems,
70 for an internal error; never a traceback, never exit 1 (which means "recalled item found")."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from admin.service_user import as_service_user, warm_up
from conftest import Run, skip_or_fail

from agent.cli import main as cli_main

SAMPLE = Path(__file__).parents[1] / "feeds" / "data" / "cpsc-recall-7938.json"


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def shared_top(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Root-owned system folders (0755), as on a machine where a normal user runs a --system command."""
    if os.geteuid() != 0:
        skip_or_fail("becoming another user needs root")
    top = Path(tempfile.mkdtemp(prefix="recall-agent-codes-", dir="/var/tmp"))
    top.chmod(0o755)
    for name in ("state", "config"):
        (top / name).mkdir(mode=0o755)
    monkeypatch.setenv("STATE_DIRECTORY", str(top / "state"))
    monkeypatch.setenv("CONFIGURATION_DIRECTORY", str(top / "config"))
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    try:
        yield top
    finally:
        shutil.rmtree(top)


def test_a_system_command_run_by_a_normal_user(shared_top: Path, tmp_path: Path) -> None:
    warm_up(tmp_path)
    code, err = as_service_user("--system", "inventory", "add", "Kettle")
    assert code == 2
    assert one_line(err) == (
        f"recall-agent: error: {shared_top}/state/.inventory.toml.lock: Permission denied; "
        "the system-wide files belong to the service: run the command as root (sudo)"
    )


def test_an_unreadable_feed_cache(shared_top: Path, tmp_path: Path) -> None:
    warm_up(tmp_path)
    feeds = shared_top / "state" / "cache" / "feeds"
    feeds.mkdir(parents=True, mode=0o700)  # as older versions' `rules import --system` left it
    code, err = as_service_user("rules", "list", "--system")
    assert code == 2
    assert one_line(err).startswith(f"recall-agent: error: {feeds}: Permission denied")


def test_a_home_that_does_not_exist(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", "/proc/nonexistent")  # not even root can create it
    done = cli("inventory", "add", "Kettle")
    assert done.code == 2
    assert one_line(done.err).startswith("recall-agent: error: /proc/nonexistent")


def test_a_folder_that_cannot_be_written(cli: Callable[..., Run]) -> None:
    done = cli("--inventory", "/proc/self/recall/inventory.toml", "inventory", "add", "Kettle")
    assert done.code == 2
    assert one_line(done.err).startswith("recall-agent: error: /proc/self/recall")


def test_an_internal_error_has_its_own_code_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_: object) -> int:
        raise TypeError("unsupported operand")

    monkeypatch.setattr("agent.cli.rules_cmd.list_rules", broken)  # the parser is built inside main()
    code = cli_main.main(["rules", "list"])
    err = capsys.readouterr().err
    assert code == cli_main.EXIT_INTERNAL == 70
    assert one_line(err) == (
        "recall-agent: internal error: TypeError: unsupported operand (a bug: please report it with the output of -vv)"
    )


@pytest.mark.parametrize("command", [["scan", "--source", "inventory"], ["rules", "list"], ["run", "--no-usb"]])
def test_a_missing_rules_folder_is_an_error(cli: Callable[..., Run], tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "rulez"
    done = cli("--rules", str(missing), *command)
    assert done.code == 2
    assert one_line(done.err) == f"recall-agent: error: {missing}: no such rule folder or file (given with --rules)"
