"""Run the CLI on a real pseudo-terminal of a chosen width, or inside tmux, and read what it shows."""

from __future__ import annotations

import fcntl
import os
import shutil
import struct
import subprocess
import termios
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from conftest import CLI, skip_or_fail


def terminal_env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_in_pty(
    args: list[str], columns: int, env: Mapping[str, str], cwd: Path, prefix: Sequence[str] = ()
) -> tuple[int, str]:
    """Everything the program wrote to its terminal (stdout and stderr), line ends as written.

    ``prefix`` runs the program under another command (a network namespace, say)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    command = [*prefix, *CLI, *args]
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=dict(env), cwd=cwd)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the program closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


class Tmux:
    """A private tmux server (its own socket) with one window of a fixed size.

    The server is kept alive between commands (``exit-empty off``) until ``close``: a tmux server exits
    once its last session is gone, and a ``new-session`` that reaches it while it is exiting fails with
    "server exited unexpectedly".
    """

    def __init__(self, columns: int, rows: int = 200) -> None:
        if shutil.which("tmux") is None:
            skip_or_fail("tmux is not installed (tests/system-packages.txt lists it)")
        self.socket = f"recall-agent-test-{uuid.uuid4().hex[:10]}"
        self.columns, self.rows = columns, rows

    def _tmux(self, *args: str) -> str:
        command = ["tmux", "-L", self.socket, "-f", os.devnull, *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{' '.join(args[:1])} exited {done.returncode}: {done.stderr.strip()}"
        return done.stdout

    def run(self, command: str, env: Mapping[str, str], timeout: float = 60) -> str:
        """Run ``command`` in a shell in the window; return the screen once it has finished."""
        marker = f"done-{uuid.uuid4().hex[:8]}"
        wanted = ("PATH", "HOME", "LANG", "TERM", "PYTHONPATH", "NO_COLOR")
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items() if k in wanted or k.startswith("XDG_"))
        script = f"env -i {exports} {command}; echo; echo {marker}; sleep 600"
        size = ("-x", str(self.columns), "-y", str(self.rows))
        # One command list: the server applies the option before it could find itself empty.
        self._tmux(
            "new-session", "-d", *size, "-s", "t", "sh", "-c", script, ";", "set-option", "-s", "exit-empty", "off"
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self._tmux("capture-pane", "-p", "-J", "-t", "t", "-S", "-", "-E", "-")
            if marker in screen:
                self._tmux("kill-session", "-t", "t")
                return screen.split(marker)[0]
            time.sleep(0.2)
        raise AssertionError(f"tmux command did not finish: {command}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"
