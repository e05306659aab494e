"""`recall-agent run` and `recall-agent notifier` as subprocesses, and bounded waits on what they do.

A scan is over when the daemon has published findings.json again: it notifies before it publishes, so
by then every Notify call of that scan has been made.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from notify.dunst import NotifyCalls

CLI = [sys.executable, "-m", "agent"]
# Variables of a surrounding service manager or desktop that must not leak into the agent under test.
FOREIGN = (
    "NOTIFY_SOCKET",
    "WATCHDOG_USEC",
    "WATCHDOG_PID",
    "DBUS_SESSION_BUS_ADDRESS",
    "DISPLAY",
    "STATE_DIRECTORY",
    "CONFIGURATION_DIRECTORY",
    "CACHE_DIRECTORY",
    "RECALL_AGENT_INVENTORY",
)
_numbers = itertools.count(1)

Stamp = tuple[int, int, int]


def until(check: Callable[[], bool], what: str, timeout: float = 15.0, on_timeout: Callable[[], str] = str) -> None:
    """Poll ``check`` every 20 ms until it holds; TimeoutError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}\n{on_timeout()}")
        time.sleep(0.02)


def agent_env(**extra: str) -> dict[str, str]:
    """This process's environment (with the test's XDG folders) minus FOREIGN, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
    env.update(extra)
    return env


def stamp(path: Path) -> Stamp | None:
    """Identifies one version of a file that is replaced atomically."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_ino, info.st_size)


@dataclass
class Agent:
    """One `python -m agent ...` process; stderr goes to a file the test reads."""

    proc: subprocess.Popen[bytes]
    log: Path
    state_dir: Path
    before: Stamp | None  # findings.json as an earlier run left it

    @classmethod
    def start(
        cls,
        args: Sequence[str],
        *,
        workdir: Path,
        logs: Path,
        env: dict[str, str] | None,
        prefix: Sequence[str] = (),
        state_dir: Path | None = None,
    ) -> Agent:
        if state_dir is None:
            state_dir = Path((env or os.environ)["XDG_STATE_HOME"]) / "recall-agent"
        before = stamp(state_dir / "findings.json")
        logs.mkdir(exist_ok=True)
        log = logs / f"agent-{next(_numbers)}.stderr"
        with log.open("wb") as sink:
            proc = subprocess.Popen(
                [*prefix, *CLI, *args],
                cwd=workdir,
                env=env if env is not None else agent_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=sink,
            )
        return cls(proc, log, state_dir, before)

    @property
    def findings(self) -> Path:
        return self.state_dir / "findings.json"

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")

    def _describe(self) -> str:
        code = self.proc.poll()
        state = "running" if code is None else f"exited with {code}"
        return f"agent {state}; its stderr:\n{self.stderr()}"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_for_scan(self, after: Stamp | None = None, timeout: float = 15.0) -> Stamp:
        """Wait until findings.json is published in a version other than ``after`` (default: the one an
        earlier run left); returns its stamp."""
        after = after or self.before

        def published() -> bool:
            if not self.alive():
                raise AssertionError(self._describe())
            now = stamp(self.findings)
            return now is not None and now != after

        until(published, "the agent to publish its findings", timeout, self._describe)
        found = stamp(self.findings)
        assert found is not None
        return found

    def rescan(self, timeout: float = 15.0) -> None:
        """SIGHUP asks for a rescan; returns once that rescan has published its findings."""
        before = stamp(self.findings)
        self.proc.send_signal(signal.SIGHUP)
        self.wait_for_scan(before, timeout)

    def wait_for_stderr(self, text: str, count: int = 1, timeout: float = 15.0) -> None:
        until(lambda: self.stderr().count(text) >= count, f"{text!r} on stderr", timeout, self._describe)

    def terminate(self, timeout: float = 5.0) -> int:
        """SIGTERM; the agent must exit within ``timeout`` seconds. Returns its exit code."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"no exit within {timeout} s of SIGTERM; {self._describe()}") from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


class AgentFactory(Protocol):
    def __call__(
        self,
        args: list[str],
        *,
        env: dict[str, str] | None = None,
        prefix: tuple[str, ...] = (),
        state_dir: Path | None = None,
    ) -> Agent: ...


def settle_calls(recorder: NotifyCalls, seconds: float = 0.3) -> list[tuple[Any, ...]]:
    """The Notify calls made up to ``seconds`` from now (a window for a repeated call to show), each one
    recorded by dbus-monitor however long it takes to write them down."""
    time.sleep(seconds)
    recorder.recorded_up_to_now()
    return recorder.calls()


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A one-shot command (inventory add, ack); fails the test when it fails."""
    done = subprocess.run(
        [*CLI, *args],
        env=env if env is not None else agent_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}: {done.stderr}"
    return done
