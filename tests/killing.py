"""Start a writer and SIGKILL it at a random moment of its work, however long its start-up takes."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

READY_TIMEOUT = 60.0  # seconds a writer may take to import on a loaded machine


def kill_while_writing(writer: Path, args: list[str], rng: random.Random, low: float, high: float) -> None:
    """Run ``writer``, wait for its "ready" line (imports done), let it write for ``low``..``high`` s, kill it."""
    process = subprocess.Popen([sys.executable, str(writer), *args], stdout=subprocess.PIPE)
    assert process.stdout is not None
    try:
        readable, _, _ = select.select([process.stdout], [], [], READY_TIMEOUT)
        assert readable and process.stdout.readline() == b"ready\n", f"{writer.name} did not start"
        time.sleep(rng.uniform(low, high))
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
