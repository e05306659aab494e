"""The shipped units as the installer writes them: systemd-analyze verify and security, and their comments."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import skip_or_fail

from agent.service import Targets, install_plan, units_dir

SYSTEM = ("recall-agent.service", "recall-agent-scan.service", "recall-agent-scan.timer")
USER = ("recall-agent-user.service", "recall-agent-notifier.service")
MAX_EXPOSURE = {"recall-agent.service": 1.5, "recall-agent-scan.service": 1.5}
HARDENING = re.compile(
    r"^(Protect|Private|Restrict|SystemCall|Capability|Ambient|NoNewPrivileges|LockPersonality"
    r"|MemoryDeny|UMask|Keyring|Device|IPAddress|RemoveIPC|User|Group|DynamicUser|State"
    r"|Configuration|ProcSubset)"
)


def need_systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found:
        return found
    skip_or_fail("needs systemd-analyze (Debian package systemd, in tests/system-packages.txt)")
    raise AssertionError("unreachable")


@pytest.fixture
def written(tmp_path: Path) -> Path:
    """Every unit rendered by the installer's plan into one folder, naming a real executable."""
    program = tmp_path / "bin" / "recall-agent"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    out = tmp_path / "units"
    targets = Targets(system_units=out, global_user_units=out, user_units=out, sysusers=tmp_path / "sysusers")
    for mode in ("user", "system", "scan"):
        for path, text in install_plan(mode, program, targets).write:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
    return out


def analyze(*args: str, user: bool, runtime: Path) -> subprocess.CompletedProcess[str]:
    command = [need_systemd_analyze(), *(["--user"] if user else []), *args]
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}  # the user manager's lookup paths need one
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize("unit", SYSTEM + USER)
def test_systemd_analyze_verify_passes(unit: str, written: Path, tmp_path: Path) -> None:
    done = analyze("verify", str(written / unit), user=unit in USER, runtime=tmp_path)
    assert done.returncode == 0, done.stderr
    assert unit not in done.stderr, done.stderr  # verify reports a unit's problems prefixed with its name


def exposure(unit: Path, *, user: bool, runtime: Path) -> float:
    done = analyze("security", "--offline=true", str(unit), user=user, runtime=runtime)
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d)", done.stdout)
    assert match, done.stdout + done.stderr
    return float(match.group(1))


@pytest.mark.parametrize("unit", list(MAX_EXPOSURE))
def test_system_units_exposure(unit: str, written: Path, tmp_path: Path) -> None:
    assert exposure(written / unit, user=False, runtime=tmp_path) <= MAX_EXPOSURE[unit]


def test_exposure_measure_can_tell_a_weak_unit(tmp_path: Path) -> None:
    weak = tmp_path / "weak.service"
    weak.write_text("[Service]\nExecStart=/bin/true\n")
    assert exposure(weak, user=False, runtime=tmp_path) > 5


@pytest.mark.parametrize("unit", [*SYSTEM, *USER])
def test_every_hardening_line_has_a_comment_above_it(unit: str) -> None:
    """A hardening line must sit in a block of lines that starts right under a comment."""
    commented = False
    for number, line in enumerate((units_dir() / unit).read_text().splitlines(), 1):
        if line.startswith("#"):
            commented = True
        elif not line.strip() or line.startswith("["):
            commented = False
        elif HARDENING.match(line):
            assert commented, f"{unit}:{number}: {line!r} has no comment above it"


def test_no_unit_sets_proc_subset() -> None:
    for unit in SYSTEM + USER:
        assert "ProcSubset=" not in re.sub(r"(?m)^#.*$", "", (units_dir() / unit).read_text()), unit
