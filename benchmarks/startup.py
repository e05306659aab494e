"""Start-up: the CPU time of `recall-agent scan --source inventory` (200 items, shipped rules, warm rule
cache) and of a shell-completion call (what Tab runs: the program with argcomplete's variables), as
ratios to a bare `python -c pass` on the same machine in the same run. CPU time (user + system of the
child, from wait4) is steadier than wall time on a shared machine, and the three commands are run in
turn, so that each meets the machine as the others do. Bytecode is written and used, as on
a user's machine (PYTHONDONTWRITEBYTECODE is removed from the children's environment).

Run: python benchmarks/startup.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RUNS = 31


def write_inventory(path: Path, count: int = 200) -> None:
    lines = ["version = 1\n"]
    for n in range(count):
        lines.append(
            f'\n[items.item-{n}]\nname = "Gadget {n}"\nbrand = "Brand{n % 17}"\nmodel = "M{n:04d}"\n'
            f'serial = "S{n:06d}"\npurchased = 2023-05-02\nlocation = "shelf {n % 5}"\n'
        )
    lines.append('\n[items.power-bank]\nname = "Anker 321 Power Bank"\nbrand = "Anker"\nmodel = "A1112"\n')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines))


def cpu_seconds(command: list[str], env: dict[str, str]) -> float:
    """User plus system CPU seconds of one run of ``command``."""
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(command, env=env, stdout=null, stderr=null)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_utime + usage.ru_stime


def interleaved_cpu(runs: int, *commands: tuple[list[str], dict[str, str]]) -> list[float]:
    """The median CPU seconds of each command, run in turn (one of each, ``runs`` times over), so that a
    machine whose speed drifts from one minute to the next meets them all alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for n, (command, env) in enumerate(commands):
            times[n].append(cpu_seconds(command, env))
    return [statistics.median(t) for t in times]


def program() -> list[str]:
    script = Path(sys.executable).with_name("recall-agent")
    found = str(script) if script.exists() else shutil.which("recall-agent")
    return [found] if found else [sys.executable, "-m", "agent"]


def completion_env(env: dict[str, str], line: str = "recall-agent sc") -> dict[str, str] | None:
    """The environment a shell's Tab sets for the program (argcomplete's protocol), when this version has it."""
    probe = subprocess.run([sys.executable, "-c", "import argcomplete"], env=env, capture_output=True, check=False)
    if probe.returncode != 0:
        return None
    return {
        **env,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_SHELL": "bash",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "COMP_TYPE": "9",
        "_ARGCOMPLETE_STDOUT_FILENAME": os.devnull,
    }


def import_costs(command: list[str], env: dict[str, str], runs: int = 5) -> tuple[int, float, list[str]]:
    """Where start-up goes (``python -X importtime``): modules imported, their summed own time in
    seconds, and the five dearest, each the least it cost over ``runs`` runs."""
    own: dict[str, int] = {}
    for _ in range(runs):
        command_line = [sys.executable, "-X", "importtime", *command]
        done = subprocess.run(command_line, env=env, capture_output=True, text=True, check=False)
        for line in done.stderr.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) == 3 and parts[0].strip().isdigit():
                name, micros = parts[2].strip(), int(parts[0])
                own[name] = min(own.get(name, micros), micros)
    dearest = sorted(own, key=lambda n: -own[n])[:5]
    return len(own), sum(own.values()) / 1e6, [f"{n} {own[n] / 1000:.1f}" for n in dearest]


def run() -> list[tuple[str, str, str]]:
    agent = program()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "XDG_DATA_HOME": f"{tmp}/data",
            "XDG_CACHE_HOME": f"{tmp}/cache",
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "XDG_STATE_HOME": f"{tmp}/state",
        }
        write_inventory(Path(tmp) / "data" / "recall-agent" / "inventory.toml")
        scan = [*agent, "scan", "--source", "inventory"]
        subprocess.run(scan, env=env, stdout=subprocess.DEVNULL, check=False)  # warm the rule cache
        tab = completion_env(env)
        timed = [([sys.executable, "-c", "pass"], env), (scan, env)] + ([(agent, tab)] if tab else [])
        bare, scanned, *tabbed = interleaved_cpu(RUNS, *timed)
        completed = tabbed[0] if tabbed else None
        entry = agent if len(agent) == 1 else ["-m", "agent"]  # the installed script itself, as users start it
        modules, imports, dearest = import_costs([*entry, "scan", "--source", "inventory"], env)
    rows = [
        ("python -c pass, CPU", f"{bare * 1000:.1f} ms", f"median of {RUNS}, in turn with the two below"),
        ("scan --source inventory, 200 items, CPU", f"{scanned * 1000:.1f} ms", f"median of {RUNS}"),
        ("  ratio to python -c pass", f"{scanned / bare:.2f}x", "target <= 4x"),
        (f"  imports: {modules} modules", f"{imports * 1000:.1f} ms", f"dearest (ms): {', '.join(dearest)}"),
    ]
    if completed is None:
        rows.append(("completion call", "n/a", "argcomplete is not installed"))
    else:
        rows.append(
            ("completion call (Tab after `recall-agent sc`), CPU", f"{completed * 1000:.1f} ms", f"median of {RUNS}")
        )
        rows.append(("  ratio to python -c pass", f"{completed / bare:.2f}x", "target <= 3x"))
    return rows


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<44} {value:>12}  {note}")
