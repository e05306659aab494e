"""install / uninstall / status into a temporary root, with systemctl replaced by a recorder."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from conftest import Run

from agent.service import (
    ServiceError,
    Targets,
    find_executable,
    install,
    render,
    status,
    uninstall,
    units_dir,
)


class Recorder:
    """Stands in for running systemctl: records each command and answers with a chosen exit code."""

    def __init__(self, fail: tuple[str, ...] = ()) -> None:
        self.commands: list[tuple[str, ...]] = []
        self.fail = fail

    def __call__(self, command: Sequence[str]) -> int:
        self.commands.append(tuple(command))
        return 1 if any(word in command for word in self.fail) else 0


@pytest.fixture
def root(tmp_path: Path) -> Targets:
    return Targets(
        system_units=tmp_path / "etc/systemd/system",
        global_user_units=tmp_path / "etc/systemd/user",
        user_units=tmp_path / "home/.config/systemd/user",
        sysusers=tmp_path / "etc/sysusers.d",
    )


PROGRAM = Path("/opt/recall-agent/bin/recall-agent")


def test_user_install_writes_the_unit_with_the_program_path_and_enables_it(root: Targets) -> None:
    run = Recorder()
    assert install("user", targets=root, executable=PROGRAM, run=run) == []
    unit = (root.user_units / "recall-agent-user.service").read_text()
    assert "ExecStart=/opt/recall-agent/bin/recall-agent run\n" in unit
    assert "@BINDIR@" not in unit
    assert (root.user_units / "recall-agent-user.service").stat().st_mode & 0o777 == 0o644
    assert run.commands == [
        ("systemctl", "--user", "daemon-reload"),
        ("systemctl", "--user", "enable", "--now", "recall-agent-user.service"),
    ]
    assert not root.system_units.exists()


def test_system_install_adds_the_user_the_service_and_a_notifier_for_every_user(root: Targets) -> None:
    run = Recorder()
    install("system", targets=root, executable=PROGRAM, run=run)
    assert (
        "ExecStart=/opt/recall-agent/bin/recall-agent run --system\n"
        in (root.system_units / "recall-agent.service").read_text()
    )
    assert (
        "ExecStart=/opt/recall-agent/bin/recall-agent notifier\n"
        in (root.global_user_units / "recall-agent-notifier.service").read_text()
    )
    assert (root.sysusers / "recall-agent.conf").read_text().splitlines()[-1].startswith("u recall-agent ")
    assert run.commands == [
        ("systemd-sysusers", str(root.sysusers / "recall-agent.conf")),
        ("systemctl", "daemon-reload"),
        ("systemctl", "enable", "--now", "recall-agent.service"),
        ("systemctl", "--global", "enable", "recall-agent-notifier.service"),
    ]


def test_scan_install_enables_only_the_timer(root: Targets) -> None:
    run = Recorder()
    install("scan", targets=root, executable=PROGRAM, run=run)
    assert sorted(p.name for p in root.system_units.iterdir()) == [
        "recall-agent-scan.service",
        "recall-agent-scan.timer",
    ]
    assert ("systemctl", "enable", "--now", "recall-agent-scan.timer") in run.commands


def test_dry_run_prints_everything_and_touches_nothing(root: Targets, tmp_path: Path) -> None:
    out = io.StringIO()
    run = Recorder()
    assert install("system", dry_run=True, targets=root, executable=PROGRAM, run=run, out=out) == []
    text = out.getvalue()
    assert f"write: {root.system_units / 'recall-agent.service'}" in text
    assert "    ExecStart=/opt/recall-agent/bin/recall-agent run --system" in text
    assert "run: systemctl enable --now recall-agent.service" in text
    assert "run: systemctl --global enable recall-agent-notifier.service" in text
    assert run.commands == []
    assert not (tmp_path / "etc").exists()


def test_failed_commands_are_reported(root: Targets) -> None:
    failed = install("user", targets=root, executable=PROGRAM, run=Recorder(fail=("enable",)))
    assert failed == [(("systemctl", "--user", "enable", "--now", "recall-agent-user.service"), 1)]


def test_uninstall_disables_then_removes_then_reloads(root: Targets) -> None:
    install("system", targets=root, executable=PROGRAM, run=Recorder())
    run = Recorder()
    assert uninstall("system", targets=root, run=run) == []
    assert run.commands == [
        ("systemctl", "disable", "--now", "recall-agent.service"),
        ("systemctl", "--global", "disable", "recall-agent-notifier.service"),
        ("systemctl", "daemon-reload"),
    ]
    assert list(root.system_units.iterdir()) == []
    assert list(root.global_user_units.iterdir()) == []


def test_uninstall_dry_run(root: Targets) -> None:
    install("scan", targets=root, executable=PROGRAM, run=Recorder())
    out = io.StringIO()
    uninstall("scan", dry_run=True, targets=root, run=Recorder(), out=out)
    assert out.getvalue().splitlines() == [
        "run: systemctl disable --now recall-agent-scan.timer",
        f"remove: {root.system_units / 'recall-agent-scan.service'}",
        f"remove: {root.system_units / 'recall-agent-scan.timer'}",
        "run: systemctl daemon-reload",
    ]
    assert (root.system_units / "recall-agent-scan.timer").exists()


def test_status_asks_systemctl_about_each_unit(root: Targets) -> None:
    install("user", targets=root, executable=PROGRAM, run=Recorder())
    asked: list[tuple[str, ...]] = []

    def query(command: Sequence[str]) -> str:
        asked.append(tuple(command))
        return "enabled" if "is-enabled" in command else "active"

    [unit] = status("user", targets=root, query=query)
    assert (unit.name, unit.installed, unit.enabled, unit.active) == (
        "recall-agent-user.service",
        True,
        "enabled",
        "active",
    )
    assert asked == [
        ("systemctl", "--user", "is-enabled", "recall-agent-user.service"),
        ("systemctl", "--user", "is-active", "recall-agent-user.service"),
    ]


@pytest.mark.parametrize(
    ("program", "problem"),
    [
        ("/home/ann/.local/bin/recall-agent", "its sandbox hides /home; install recall-agent .* under /opt"),
        ("/root/venv/bin/recall-agent", "its sandbox hides /root"),
        ("/tmp/venv/bin/recall-agent", "its sandbox hides /tmp"),
        ("/var/tmp/venv/bin/recall-agent", "its sandbox hides /var/tmp"),
    ],
)
def test_system_units_refuse_a_program_the_sandbox_hides(root: Targets, program: str, problem: str) -> None:
    with pytest.raises(ServiceError, match=problem):
        install("system", targets=root, executable=Path(program), run=Recorder())


def test_a_user_install_may_run_from_home(root: Targets) -> None:
    install("user", targets=root, executable=Path("/home/ann/.local/bin/recall-agent"), run=Recorder())
    assert "/home/ann/.local/bin/recall-agent run" in (root.user_units / "recall-agent-user.service").read_text()


def test_render_escapes_systemd_specifiers_and_refuses_spaces() -> None:
    assert render("ExecStart=@BINDIR@/recall-agent run", Path("/opt/a%b$c/recall-agent")) == (
        "ExecStart=/opt/a%%b$$c/recall-agent run"
    )
    with pytest.raises(ServiceError, match="spaces or quotes"):
        render("ExecStart=@BINDIR@/recall-agent", Path("/opt/my apps/recall-agent"))


def test_unknown_mode(root: Targets) -> None:
    with pytest.raises(ServiceError, match="unknown service mode 'both'"):
        install("both", targets=root, executable=PROGRAM, run=Recorder())


def test_units_dir_holds_every_unit() -> None:
    names = {p.name for p in units_dir().iterdir()}
    assert {
        "recall-agent.service",
        "recall-agent-user.service",
        "recall-agent-notifier.service",
        "recall-agent-scan.service",
        "recall-agent-scan.timer",
        "recall-agent.sysusers",
    } <= names


def test_find_executable_argv0_then_beside_python_then_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def program(folder: str) -> Path:
        path = tmp_path / folder / "recall-agent"
        path.parent.mkdir()
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
        return path

    started, venv, on_path = program("started"), program("venv"), program("path")
    monkeypatch.setattr("sys.executable", str(venv.parent / "python"))
    monkeypatch.setenv("PATH", str(on_path.parent))
    assert find_executable(str(started)) == started
    assert find_executable(str(tmp_path / "python")) == venv
    venv.unlink()
    assert find_executable(str(tmp_path / "python")) == on_path
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ServiceError, match="cannot find the installed recall-agent program"):
        find_executable(str(tmp_path / "python"))


def test_system_units_refuse_a_program_whose_interpreter_the_sandbox_hides(
    root: Targets, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("agent.service.HIDDEN", ("/root",))  # tmp_path itself lies under /tmp
    program = tmp_path / "opt" / "bin" / "recall-agent"
    program.parent.mkdir(parents=True)
    program.write_text("#!/root/.pyenv/versions/3.11/bin/python3\nimport sys\n")
    program.chmod(0o755)
    with pytest.raises(
        ServiceError, match=r"/root/.pyenv/versions/3.11/bin/python3: .*interpreter: its sandbox hides /root"
    ):
        install("system", targets=root, executable=program, run=Recorder())
    linked = tmp_path / "opt" / "bin" / "python3"
    linked.symlink_to("/root/.pyenv/versions/3.11/bin/python3")
    program.write_text(f"#!{linked}\nimport sys\n")  # a venv's python that is a link into /root
    with pytest.raises(ServiceError, match="interpreter: its sandbox hides /root"):
        install("system", targets=root, executable=program, run=Recorder())
    program.write_text("#!/usr/bin/python3\nimport sys\n")
    install("system", targets=root, executable=program, run=Recorder())
    assert f"{program} run --system" in (root.system_units / "recall-agent.service").read_text()


def test_system_before_the_subcommand_means_the_system_units(cli: Callable[..., Run]) -> None:
    before = cli("--system", "service", "install", "--dry-run")
    after = cli("service", "install", "--system", "--dry-run")
    user = cli("service", "install", "--dry-run")
    assert (before.code, before.out, before.err) == (after.code, after.out, after.err)
    assert before.out + before.err != user.out + user.err
    assert "recall-agent-user.service" not in before.out
