"""Every benchmark, one table: `python benchmarks/run.py [NAME ...]` (names: matching startup feed usb
network daemon). `bash benchmarks/run.sh` installs what they need first.

The network benchmark needs root (it builds network namespaces); the feed benchmark takes a few minutes,
the daemon benchmark about 70 s.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from pathlib import Path

BENCHMARKS = {
    "matching": "matching",
    "startup": "startup",
    "feed": "feed_scale",
    "usb": "usb_scan",
    "network": "network",
    "daemon": "daemon",
}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {system}"


def main(names: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    chosen = names or list(BENCHMARKS)
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark: {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    print(f"{'benchmark':<48} {'figure':>12}  note")
    for name in chosen:
        start = time.monotonic()
        try:
            rows = importlib.import_module(BENCHMARKS[name]).run()
        except Exception as e:  # one broken benchmark still prints the others
            rows = [(name, "failed", f"{type(e).__name__}: {e}")]
        for row_name, value, note in rows:
            print(f"{row_name:<48} {value:>12}  {note}")
        print(f"{'':<48} {'':>12}  ({name}: {time.monotonic() - start:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
