"""Installing, inspecting and removing recall-agent's systemd units. Logic only; the CLI wraps it.

Modes: "user" (one user unit that scans and notifies), "system" (the system service plus a notifier in
every desktop session), "scan" (a system timer that scans once a day, no daemon).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import agent
from agent.errors import RecallAgentError

MODES = ("user", "system", "scan")
PLACEHOLDER = "@BINDIR@/recall-agent"
SYSUSERS = "recall-agent.sysusers"
# What the system units' sandbox hides: ProtectHome=yes hides the first three, PrivateTmp=yes the others.
HIDDEN = ("/home", "/root", "/run/user", "/tmp", "/var/tmp")  # noqa: S108 - folders refused, never written
SYSTEM_INSTALL = (
    "install recall-agent where the service can see it, for example in a virtual environment under /opt "
    "(python3 -m venv /opt/recall-agent; /opt/recall-agent/bin/pip install recall-agent) and run "
    "/opt/recall-agent/bin/recall-agent service install --system"
)
Runner = Callable[[Sequence[str]], int]


class ServiceError(RecallAgentError):
    """The units cannot be installed or removed as asked."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Targets:
    """Where units go. Tests point every path into a temporary root."""

    system_units: Path = Path("/etc/systemd/system")
    global_user_units: Path = Path("/etc/systemd/user")
    user_units: Path = field(default_factory=lambda: _config_home() / "systemd" / "user")
    sysusers: Path = Path("/etc/sysusers.d")


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """What to do, in order: commands before, files to write, files to remove, commands after."""

    before: tuple[tuple[str, ...], ...] = ()
    write: tuple[tuple[Path, str], ...] = ()
    remove: tuple[Path, ...] = ()
    after: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitStatus:
    name: str
    path: Path
    installed: bool
    enabled: str  # systemctl is-enabled's answer, e.g. "enabled", "disabled", "not-found"
    active: str  # systemctl is-active's answer; "-" for units enabled for every user


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def units_dir() -> Path:
    """The shipped units: inside the installed package, else the source checkout's systemd/ folder."""
    package = Path(agent.__file__).parent
    for candidate in (package / "data" / "systemd", package.parent / "systemd"):
        if (candidate / "recall-agent.service").is_file():
            return candidate
    raise ServiceError(f"{package}: the systemd units are not installed with the package")


def find_executable(argv0: str | None = None) -> Path:
    """The installed recall-agent program: the one this process was started as, the one installed beside
    this Python (a virtual environment's bin folder), or the first on PATH."""
    start = Path(argv0 if argv0 is not None else sys.argv[0])
    beside = Path(sys.executable).parent / "recall-agent"
    found = shutil.which("recall-agent")
    for candidate in (start, beside, Path(found) if found else None):
        if candidate and candidate.name == "recall-agent" and candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate.absolute()
    raise ServiceError("cannot find the installed recall-agent program; install it first (see the README)")


def render(unit_text: str, executable: Path) -> str:
    """The unit with the placeholder replaced by ``executable``, escaped for systemd's command line."""
    path = str(executable).replace("%", "%%").replace("$", "$$")
    if any(ch.isspace() or ch in "\"'\\" for ch in path):
        raise ServiceError(f"{executable}: systemd units cannot name a program path with spaces or quotes")
    return unit_text.replace(PLACEHOLDER, path)


def _units(mode: str) -> tuple[tuple[str, str], ...]:
    """(unit file, kind) pairs for ``mode``; kind is "user", "global-user" or "system"."""
    if mode == "user":
        return (("recall-agent-user.service", "user"),)
    if mode == "system":
        return (("recall-agent.service", "system"), ("recall-agent-notifier.service", "global-user"))
    if mode == "scan":
        return (("recall-agent-scan.service", "system"), ("recall-agent-scan.timer", "system"))
    raise ServiceError(f"unknown service mode {mode!r}; choose one of {', '.join(MODES)}")


def hidden_by_sandbox(path: Path) -> str | None:
    """The folder of ``HIDDEN`` that ``path`` lies under, following symbolic links; None if visible."""
    for candidate in (path.absolute(), path.resolve()):
        for folder in HIDDEN:
            if Path(folder) in candidate.parents:
                return folder
    return None


def interpreter(program: Path) -> Path | None:
    """The interpreter a script's first line names (``#!/opt/venv/bin/python3``), if it names one."""
    try:
        with program.open("rb") as handle:
            first = handle.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    return Path(words[0]) if words and words[0].startswith("/") else None


def check_visible(executable: Path) -> None:
    """Refuse a program, or the interpreter it starts, that the system units' sandbox would hide."""
    python = interpreter(executable)
    for what, path in (("program", executable), ("program's interpreter", python)):
        if path is None:
            continue
        folder = hidden_by_sandbox(path)
        if folder is not None:
            raise ServiceError(
                f"{path.resolve()}: the system service cannot see this {what}: its sandbox hides {folder}; "
                + SYSTEM_INSTALL
            )


def _folder(kind: str, targets: Targets) -> Path:
    return {"user": targets.user_units, "global-user": targets.global_user_units}.get(kind, targets.system_units)


def install_plan(mode: str, executable: Path, targets: Targets, source: Path | None = None) -> Plan:
    """What ``install`` writes and runs, computed without touching anything."""
    source = source or units_dir()
    units = _units(mode)
    files = [(_folder(kind, targets) / name, render((source / name).read_text(), executable)) for name, kind in units]
    if mode == "user":
        enable = ("systemctl", "--user", "enable", "--now", "recall-agent-user.service")
        return Plan(write=tuple(files), after=(("systemctl", "--user", "daemon-reload"), enable))
    sysusers = targets.sysusers / "recall-agent.conf"
    files.append((sysusers, (source / SYSUSERS).read_text()))
    first = "recall-agent.service" if mode == "system" else "recall-agent-scan.timer"
    after = [
        ("systemd-sysusers", str(sysusers)),
        ("systemctl", "daemon-reload"),
        ("systemctl", "enable", "--now", first),
    ]
    if mode == "system":
        after.append(("systemctl", "--global", "enable", "recall-agent-notifier.service"))
    return Plan(write=tuple(files), after=tuple(after))


def uninstall_plan(mode: str, targets: Targets) -> Plan:
    """Stop and disable the mode's units, then remove their files. State and the service user stay."""
    before: list[tuple[str, ...]] = []
    for name, kind in _units(mode):
        if kind == "global-user":
            before.append(("systemctl", "--global", "disable", name))
        elif name != "recall-agent-scan.service":  # started by its timer, never enabled itself
            before.append(("systemctl", *_scope(kind), "disable", "--now", name))
    reload = ("systemctl", *_scope("user" if mode == "user" else "system"), "daemon-reload")
    removed = tuple(_folder(kind, targets) / name for name, kind in _units(mode))
    return Plan(before=tuple(before), remove=removed, after=(reload,))


def _scope(kind: str) -> tuple[str, ...]:
    return {"user": ("--user",), "global-user": ("--global",)}.get(kind, ())


def describe(plan: Plan) -> str:
    """The plan as a person reads it: every command and every file, with the text to be written."""
    lines = [f"run: {' '.join(c)}" for c in plan.before]
    for path, text in plan.write:
        lines += [f"write: {path}", *(f"    {line}" for line in text.splitlines())]
    lines += [f"remove: {path}" for path in plan.remove]
    lines += [f"run: {' '.join(c)}" for c in plan.after]
    return "\n".join(lines) + "\n"


def run_command(command: Sequence[str]) -> int:
    try:
        return subprocess.run(list(command), check=False).returncode
    except FileNotFoundError as e:
        raise ServiceError(f"{command[0]}: not found; is this a systemd machine?") from e


def carry_out(plan: Plan, run: Runner = run_command) -> list[tuple[tuple[str, ...], int]]:
    """Do the plan; returns the commands that failed with their exit codes (files are always written)."""
    failed = [(c, rc) for c in plan.before if (rc := run(c)) != 0]
    for path, text in plan.write:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.new")
        temp.write_text(text)
        temp.chmod(0o644)
        temp.replace(path)
    for path in plan.remove:
        path.unlink(missing_ok=True)
    failed += [(c, rc) for c in plan.after if (rc := run(c)) != 0]
    return failed


def install(
    mode: str,
    *,
    dry_run: bool = False,
    targets: Targets | None = None,
    executable: Path | None = None,
    run: Runner = run_command,
    out: TextIO = sys.stdout,
) -> list[tuple[tuple[str, ...], int]]:
    """Write the mode's units naming the installed program, reload systemd and enable them."""
    program = executable or find_executable()
    if mode != "user":
        check_visible(program)
    plan = install_plan(mode, program, targets or Targets())
    if dry_run:
        out.write(describe(plan))
        return []
    return carry_out(plan, run)


def uninstall(
    mode: str,
    *,
    dry_run: bool = False,
    targets: Targets | None = None,
    run: Runner = run_command,
    out: TextIO = sys.stdout,
) -> list[tuple[tuple[str, ...], int]]:
    plan = uninstall_plan(mode, targets or Targets())
    if dry_run:
        out.write(describe(plan))
        return []
    return carry_out(plan, run)


def query_command(command: Sequence[str]) -> str:
    done = subprocess.run(list(command), capture_output=True, text=True, check=False)
    return done.stdout.strip() or done.stderr.strip()


def status(
    mode: str, *, targets: Targets | None = None, query: Callable[[Sequence[str]], str] = query_command
) -> list[UnitStatus]:
    """Whether each of the mode's units is installed, enabled and running."""
    targets = targets or Targets()
    found = []
    for name, kind in _units(mode):
        path = _folder(kind, targets) / name
        enabled = query(("systemctl", *_scope(kind), "is-enabled", name))
        active = "-" if kind == "global-user" else query(("systemctl", *_scope(kind), "is-active", name))
        found.append(UnitStatus(name=name, path=path, installed=path.is_file(), enabled=enabled, active=active))
    return found
