"""The network progress line of a real `scan`, on a real pseudo-terminal, inside a private network namespace
(a veth pair of its own: nothing is sent on the machine's interfaces)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cli.terminals import run_in_pty, terminal_env
from conftest import Run, skip_or_fail

from agent.report.term import width_of

Cli = Callable[..., Run]
NAMESPACE = [
    "unshare", "-n", "sh", "-c",
    "ip link set lo up && ip link add ra0 type veth peer name ra1 && ip addr add 10.77.0.1/24 dev ra0 "
    '&& ip link set ra0 up && ip link set ra1 up && exec "$@"',
    "sh",
]  # fmt: skip


@pytest.fixture
def namespace() -> list[str]:
    probe = subprocess.run([*NAMESPACE, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        skip_or_fail(f"cannot create a network namespace with a veth pair (root needed): {probe.stderr.strip()}")
    return NAMESPACE


@pytest.mark.parametrize("columns", [80, 40])
def test_the_progress_line_stays_on_one_row_and_is_wiped(
    namespace: list[str], cli: Cli, tmp_path: Path, columns: int
) -> None:
    cli("inventory", "add", "Kettle")
    args = ["scan", "--source", "mdns", "--window", "1.5", "--no-save"]
    code, shown = run_in_pty(args, columns, terminal_env(), tmp_path, prefix=namespace)
    assert code == 0, shown
    progress, _, report = shown.rpartition("\r\x1b[K")  # the last wipe, then the report
    frames = [f for f in progress.split("\r\x1b[K") if f]
    assert len(frames) >= 5, shown  # it really was rewritten while browsing
    assert all(f.startswith("network: browsing") for f in frames)
    assert all("\n" not in f and width_of(f) <= columns - 1 for f in frames)
    assert report.startswith("No recalled items found.")
    _, quiet = run_in_pty([*args, "--quiet"], columns, terminal_env(), tmp_path, prefix=namespace)
    assert "\r" not in quiet and "network: browsing" not in quiet
