"""USB: enumerating the largest recorded sysfs tree (38 devices, two controllers, hub chains).

Run: python benchmarks/usb_scan.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from agent.sources.usb.ids import UsbIds
from agent.sources.usb.sysfs import UsbSysfsSource

TREE = Path(__file__).resolve().parents[1] / "tests" / "data" / "sysfs" / "many" / "sys" / "bus" / "usb" / "devices"
RUNS = 50


def run() -> list[tuple[str, str, str]]:
    devices = 0
    cold: list[float] = []
    warm: list[float] = []
    shared = UsbIds()
    for _ in range(RUNS):
        start = time.perf_counter()
        result = UsbSysfsSource(TREE, UsbIds()).collect()  # names looked up afresh each time
        cold.append(time.perf_counter() - start)
        devices = len(result.observations)
        start = time.perf_counter()
        UsbSysfsSource(TREE, shared).collect()
        warm.append(time.perf_counter() - start)
    return [
        (
            f"USB enumeration, {devices} devices",
            f"{statistics.median(cold) * 1000:.2f} ms",
            f"median of {RUNS}, usb.ids read each time; target < 20 ms",
        ),
        (
            f"USB enumeration, {devices} devices, names cached",
            f"{statistics.median(warm) * 1000:.2f} ms",
            f"median of {RUNS}, as the daemon rescans",
        ),
    ]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<44} {value:>12}  {note}")
