"""The daemon's core imports no D-Bus library until a desktop notifier is built."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_daemon_and_the_answers_loads_no_jeepney() -> None:
    code = "import sys, agent.daemon.runner, agent.notify.actions; print('jeepney' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
