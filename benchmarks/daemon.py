"""The background agent at rest: CPU time and resident memory of `recall-agent run` over 60 idle seconds.

Run: python benchmarks/daemon.py [--seconds N] [--usb-tree small|hubs|many]

The agent runs as a user would run it (`recall-agent run`, desktop notifications, USB and network
discovery on, the shipped rules) with a 20-item inventory in temporary XDG folders. With root it runs in
a fresh network namespace (`unshare -n`) with loopback and a veth pair whose one end is up and
multicast-capable, so mDNS browsing really runs and nothing leaves the namespace; without root it runs
with --no-network, and says so. There is no session bus, so findings fall back to the log, but the
notifier is the desktop one, which the agent polls for answers. USB is the machine's own /sys (kernel
uevents); with --usb-tree the agent reads a copy of a recorded tree from tests/data/sysfs instead, which
it polls once a second (uevents say nothing about a copy), for machines without USB devices of their own.

Idle starts when the first scan has published its findings. CPU is utime + stime from /proc/<pid>/stat
over the idle period, as a percentage of one core; memory is VmRSS sampled every second (the largest
sample and the last) and VmHWM (the peak over the whole life, first scan included).
Targets: under 0.5 % of one core, under 60 MB resident.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SECONDS = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 60.0
USB_TREE = sys.argv[sys.argv.index("--usb-tree") + 1] if "--usb-tree" in sys.argv else ""
RECORDED = Path(__file__).resolve().parents[1] / "tests" / "data" / "sysfs"
TICK = os.sysconf("SC_CLK_TCK")
CPU_TARGET = 0.5  # per cent of one core
RSS_TARGET = 60.0  # MB

# name, brand, model: a household's things; the first is recalled (the agent notifies it at the first scan).
ITEMS = [
    ("Anker 321 Power Bank", "Anker", "A1112"),
    ("Kitchen kettle", "Philips", "HD9350"),
    ("Laptop", "Lenovo", "20KH006MUS"),
    ("Phone", "Samsung", "SM-S911B"),
    ("Hair dryer", "Dyson", "HD07"),
    ("Space heater", "De'Longhi", "HFX30C18"),
    ("Baby monitor", "Philips", "SCD835"),
    ("Toaster", "Breville", "BTA840"),
    ("Robot vacuum", "iRobot", "J7158"),
    ("Router", "TP-Link", "AX55"),
    ("Smart speaker", "Sonos", "One SL"),
    ("E-bike battery", "Bosch", "PowerPack 500"),
    ("Air fryer", "Ninja", "AF101"),
    ("Headphones", "Sony", "WH-1000XM4"),
    ("Printer", "HP", "M404dn"),
    ("Desk lamp", "IKEA", "FORSÅ"),
    ("Power strip", "Belkin", "BSV804"),
    ("Tablet", "Apple", "A2602"),
    ("Electric toothbrush", "Oral-B", "iO7"),
    ("Dehumidifier", "Midea", "MAD50C1ZWS"),
]


def inventory_text() -> str:
    lines = ["version = 1", ""]
    for number, (name, brand, model) in enumerate(ITEMS, 1):
        lines += [f"[items.item-{number:02}]", f'name = "{name}"', f'brand = "{brand}"', f'model = "{model}"', ""]
    return "\n".join(lines)


@dataclass
class Figures:
    network: str
    cpu_percent: float
    rss_max_mb: float
    rss_end_mb: float
    hwm_mb: float
    rescans: int
    first_scan_s: float
    stderr: str


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat(5))


def status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def command(home: Path) -> tuple[list[str], str]:
    run = [sys.executable, "-m", "agent", "run", "--notify", "desktop"]
    if USB_TREE:
        shutil.copytree(RECORDED / USB_TREE, home / "sysfs", symlinks=True)
        run += ["--sysfs-root", str(home / "sysfs" / "sys" / "bus" / "usb" / "devices")]
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return [*run, "--no-network"], "--no-network (not root: no namespace of our own)"
    setup = (
        "ip link set lo up"
        " && sysctl -q -w net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0"
        " && ip link add ra-bench0 type veth peer name ra-bench1"
        " && ip link set ra-bench1 up && ip link set ra-bench0 multicast on up"
        ' && ip addr add 192.168.77.1/24 dev ra-bench0 && exec "$@"'
    )
    return (
        ["unshare", "-n", "sh", "-c", setup, "sh", *run, "--interface", "ra-bench0"],
        "mDNS on ra-bench0, a veth pair in a network namespace of its own (unshare -n)",
    )


def measure() -> Figures:
    with tempfile.TemporaryDirectory(prefix="ra-bench-") as folder:
        home = Path(folder)
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DBUS_SESSION_BUS_ADDRESS", "NOTIFY_SOCKET", "WATCHDOG_USEC", "RECALL_AGENT_INVENTORY")
        }
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[name] = str(home / name.lower())
        inventory = home / "xdg_data_home" / "recall-agent" / "inventory.toml"
        inventory.parent.mkdir(parents=True)
        inventory.write_text(inventory_text(), encoding="utf-8")
        findings = home / "xdg_state_home" / "recall-agent" / "findings.json"
        args, network = command(home)
        started = time.monotonic()
        log = (home / "stderr").open("wb")
        proc = subprocess.Popen(args, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=log)
        try:
            while not findings.exists():
                if proc.poll() is not None or time.monotonic() - started > 60:
                    raise RuntimeError(f"no first scan; stderr:\n{(home / 'stderr').read_text()}")
                time.sleep(0.05)
            first_scan = time.monotonic() - started
            published = findings.stat().st_mtime_ns
            rescans = 0
            ticks, wall = cpu_ticks(proc.pid), time.monotonic()
            rss_max = rss = status_kb(proc.pid, "VmRSS")
            while (left := SECONDS - (time.monotonic() - wall)) > 0:
                time.sleep(min(1.0, left))
                rss = status_kb(proc.pid, "VmRSS")
                rss_max = max(rss_max, rss)
                if findings.stat().st_mtime_ns != published:
                    published = findings.stat().st_mtime_ns
                    rescans += 1
            used = (cpu_ticks(proc.pid) - ticks) / TICK
            elapsed = time.monotonic() - wall
            hwm = status_kb(proc.pid, "VmHWM")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
        stderr = (home / "stderr").read_text(errors="replace")
    return Figures(network, 100 * used / elapsed, rss_max / 1024, rss / 1024, hwm / 1024, rescans, first_scan, stderr)


def run() -> list[tuple[str, str, str]]:
    f = measure()
    usb = f"a copy of tests/data/sysfs/{USB_TREE}, polled" if USB_TREE else "this machine's /sys, kernel uevents"
    warnings = [line for line in f.stderr.splitlines() if "WARNING" in line and "recall: " not in line]
    idle = f"{SECONDS:.0f} idle s after the first scan"
    return [
        ("daemon idle CPU", f"{f.cpu_percent:.3f} %", f"of one core over {idle}; target < {CPU_TARGET} %; {f.network}"),
        (
            "daemon resident memory, largest sample",
            f"{f.rss_max_mb:.1f} MB",
            f"VmRSS each second; target < {RSS_TARGET:.0f} MB",
        ),
        ("daemon resident memory at the end", f"{f.rss_end_mb:.1f} MB", "VmRSS"),
        ("daemon peak resident memory", f"{f.hwm_mb:.1f} MB", "VmHWM, first scan included"),
        ("daemon rescans while idle", f"{f.rescans}", f"findings republished during the {idle}; expected 0"),
        ("daemon start to first scan published", f"{f.first_scan_s:.2f} s", f"20 items, shipped rules; USB: {usb}"),
        ("daemon findings logged", str(f.stderr.count("recall: ")), "expected 1: the Anker A1112"),
        *(("daemon warning", "", line[:200]) for line in warnings),
    ]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<44} {value:>12}  {note}")
