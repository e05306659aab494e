"""Start-up: `recall-agent scan --source inventory` on a 200-item inventory with the shipped rules,
as a ratio to a bare `python -c pass` on the same machine in the same run.

Run: python benchmarks/startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 21


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


def timed(command: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run() -> list[tuple[str, str, str]]:
    script = Path(sys.executable).with_name("recall-agent")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "XDG_DATA_HOME": f"{tmp}/data",
            "XDG_CACHE_HOME": f"{tmp}/cache",
            "XDG_CONFIG_HOME": f"{tmp}/config",
        }
        write_inventory(Path(tmp) / "data" / "recall-agent" / "inventory.toml")
        scan = [str(script), "scan", "--source", "inventory"]
        subprocess.run(scan, env=env, stdout=subprocess.DEVNULL, check=False)  # warm the page cache
        bare = timed([sys.executable, "-c", "pass"], env)
        agent = timed(scan, env)
    return [
        ("python -c pass", f"{bare * 1000:.1f} ms", f"median of {RUNS}"),
        ("scan --source inventory, 200 items", f"{agent * 1000:.1f} ms", f"median of {RUNS}"),
        ("start-up ratio", f"{agent / bare:.2f}x", "target < 4x"),
    ]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<44} {value:>12}  {note}")
