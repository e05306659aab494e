"""Running the command line as another user in a forked child, without executing anything from disk."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from agent.cli.main import main

SERVICE = 47913  # an uid and gid no account uses


def as_service_user(*argv: str) -> tuple[int, str]:
    """Run the command line in a forked child that has become the service user (no extra groups)."""
    with tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 99
            try:
                sys.stderr = open(err.fileno(), "w", closefd=False)  # noqa: SIM115 - flushed below
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the child ends with os._exit
                os.setgroups([])
                os.setgid(SERVICE)
                os.setuid(SERVICE)
                code = main(list(argv))
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), err.read().decode()


def warm_up(tmp: Path) -> None:
    """Import everything the commands import lazily while still root (the child may not read the stdlib)."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        main(["--inventory", str(tmp / "w.toml"), "inventory", "add", "Kettle", "--model", "KT-100"])
        main(["--inventory", str(tmp / "w.toml"), "scan", "--source", "inventory", "--no-save"])
        main(["--inventory", str(tmp / "w.toml"), "rules", "list"])
