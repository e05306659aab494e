"""`recall-agent run` as a subprocess with a home of its own, optionally inside a network namespace."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from daemon.agents import FOREIGN
from net.netns import Netns, python_env

from .agentproc import private_file


class RunningAgent:
    """One agent with its own XDG folders under ``home``; stderr and stdout go to ``home/agent.log``."""

    def __init__(self, home: Path, args: list[str], ns: Netns | None = None) -> None:
        self.home = home
        env = {k: v for k, v in python_env().items() if k not in FOREIGN and k != "RECALL_AGENT_CONFIG"}
        for name, sub in (
            ("XDG_DATA_HOME", "data"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
        ):
            (home / sub).mkdir(parents=True, exist_ok=True)
            env[name] = str(home / sub)
        env["HOME"] = str(home)
        self.log = home / "agent.log"
        command = [sys.executable, "-m", "agent", "-v", "run", "--no-usb", "--no-network", "--debounce", "0.2", *args]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                ns.exec_args(command) if ns else command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=home
            )

    @property
    def inventory(self) -> Path:
        return self.home / "data" / "recall-agent" / "inventory.toml"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            # ip netns exec runs the agent itself (it execs), so the signal reaches it.
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode


def mqtt_config(home: Path, port: int, node_id: str, *, outlets: str = '["log", "mqtt"]', extra: str = "") -> Path:
    """config.toml in the agent's configuration folder: the broker on 127.0.0.1:``port``."""
    path = home / "config" / "recall-agent" / "config.toml"
    text = f'[agent]\noutlets = {outlets}\n\n[mqtt]\nhost = "127.0.0.1"\nport = {port}\nnode_id = "{node_id}"\n{extra}'
    return private_file(path, text)
