"""Run the agent's command line inside a namespace, and write the configuration files tests give it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import Run
from net.netns import Netns, python_env

CLI = [sys.executable, "-m", "agent"]


def run_cli(ns: Netns | None, *args: str, timeout: float = 120) -> Run:
    command = [*CLI, *args]
    done = subprocess.run(
        ns.exec_args(command) if ns else command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=python_env(),
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def scan_json(ns: Netns | None, *args: str) -> dict[str, Any]:
    done = run_cli(ns, "scan", "--format", "json", "--no-network", *args)
    assert done.code in (0, 1), done.err
    return json.loads(done.out)  # type: ignore[no-any-return]


def private_file(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    return path


RECALLED_PLUG = """
[[products]]
name = "Acme SP-100 Smart Plug"
brands = ["Acme"]
models = ["SP-100"]
"""
