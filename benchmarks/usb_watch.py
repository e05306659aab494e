"""USB change detection: idle CPU cost and detection latency of netlink uevents and of sysfs polling,
and the time of one full sysfs scan of the recorded 40-device tree.

Netlink latency is measured on real kernel uevents: writing "change" to the uevent file of /dev/null's
device asks the kernel to broadcast one (needs root; the watcher listens for subsystem "mem" then).
Polling is measured on a copy of tests/data/sysfs/many whose devices are changed by the benchmark.

Run: python benchmarks/usb_watch.py [--quick]
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from agent.sources.usb.ids import UsbIds
from agent.sources.usb.sysfs import UsbSysfsSource
from agent.sources.usb.watch import NetlinkWatcher, PollingWatcher, UsbWatcher, open_uevent_socket

TREE = Path(__file__).parent.parent / "tests" / "data" / "sysfs" / "many"
TRIGGER = Path("/sys/devices/virtual/mem/null/uevent")
QUICK = "--quick" in sys.argv
IDLE_SECONDS = 3.0 if QUICK else 20.0
LATENCY_SAMPLES = 20 if QUICK else 200


def idle_cpu(watcher: UsbWatcher, seconds: float) -> float:
    """Per cent of one CPU used while ``watcher.wait`` sits through ``seconds`` without a change."""
    cpu, wall = time.process_time(), time.monotonic()
    while time.monotonic() - wall < seconds:
        watcher.wait(seconds - (time.monotonic() - wall))
    return 100 * (time.process_time() - cpu) / (time.monotonic() - wall)


def netlink_figures() -> list[str]:
    try:
        sock = open_uevent_socket()
    except OSError as e:
        return [f"netlink: unavailable here ({e})"]
    with NetlinkWatcher(sock, subsystems=("mem",), actions=("change",)) as watcher:
        idle = idle_cpu(watcher, IDLE_SECONDS)
        samples = []
        for _ in range(LATENCY_SAMPLES):
            start = time.perf_counter()
            try:
                TRIGGER.write_text("change", encoding="ascii")
            except OSError as e:
                return [f"netlink idle CPU: {idle:.4f} %", f"netlink latency: cannot trigger a uevent ({e})"]
            if not watcher.wait(5):
                return [f"netlink idle CPU: {idle:.4f} %", "netlink latency: uevent never arrived"]
            samples.append(time.perf_counter() - start)
            time.sleep(0.005)
    return [
        f"netlink idle CPU over {IDLE_SECONDS:.0f} s: {idle:.4f} % of one core",
        f"netlink latency over {len(samples)} real uevents: median {1e6 * statistics.median(samples):.0f} us, "
        f"p95 {1e6 * sorted(samples)[int(0.95 * len(samples)) - 1]:.0f} us, max {1e6 * max(samples):.0f} us",
    ]


def polling_figures(root: Path, interval: float) -> list[str]:
    watcher = PollingWatcher(root, interval)
    snapshot_cost = min(_timed(watcher.snapshot) for _ in range(50))
    idle = idle_cpu(watcher, IDLE_SECONDS)
    device = next(p for p in sorted(root.iterdir()) if ":" not in p.name and not p.name.startswith("usb"))
    detected: list[float] = []
    stop = threading.Event()

    def watch() -> None:  # as the daemon would: a thread blocked in wait()
        while not stop.is_set():
            if watcher.wait():
                detected.append(time.perf_counter())

    thread = threading.Thread(target=watch)
    thread.start()
    samples = []
    for n in range(max(10, LATENCY_SAMPLES // 20)):
        time.sleep(random.uniform(0.5, 1.5) * interval)  # changes fall at any phase of the poll
        seen = len(detected)
        changed_at = time.perf_counter()
        (device / "devnum").write_text(f"{100 + n}\n", encoding="ascii")  # a replug on the same port
        while len(detected) == seen:
            time.sleep(0.001)
        samples.append(detected[seen] - changed_at)
    stop.set()
    watcher.close()
    thread.join()
    return [
        f"polling every {interval} s: one snapshot of {len(list(root.iterdir()))} entries takes "
        f"{1e6 * snapshot_cost:.0f} us; idle CPU {idle:.3f} % of one core",
        f"polling every {interval} s: latency over {len(samples)} changes: "
        f"median {1e3 * statistics.median(samples):.0f} ms, max {1e3 * max(samples):.0f} ms",
    ]


def scan_figure(root: Path) -> str:
    ids = UsbIds()
    ids.vendor_name("0000")  # read usb.ids once, outside the timing
    source = UsbSysfsSource(root=root, ids=ids)
    count = len(source.collect().observations)
    best = min(_timed(source.collect) for _ in range(20))
    return f"full sysfs scan of {count} devices (recorded tree): {1e3 * best:.1f} ms"


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    lines = netlink_figures()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "many"
        shutil.copytree(TREE, copy, symlinks=True)
        root = copy / "sys" / "bus" / "usb" / "devices"
        for interval in (1.0, 0.25):
            lines += polling_figures(root, interval)
        lines.append(scan_figure(root))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
