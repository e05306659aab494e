"""Network: the whole `recall-agent scan` against 50 devices published by avahi-daemon, next to
`avahi-browse -art` on the same devices in the same network namespace; then the same with one more device
that answers every question a second late. MdnsSource alone is timed too.

Run: python benchmarks/network.py [--runs N]   (needs root; without it, prints why and exits)

Everything runs in network namespaces created here and deleted afterwards (tests/net/netns.py): a peer
namespace where avahi-daemon publishes the devices (each on a host name of its own), for the second
round a peer namespace with a responder that answers only after a second (tests/net/late_responder.py),
both wired by veth pairs to a scanning namespace. No packet leaves them. Every side starts cold against
the already-running publishers, one after the other, in turn, a few seconds apart:

- MdnsSource: a fresh process runs ``MdnsSource().collect()`` (default window); the clock starts when
  collect() is called; the figures are the first progress report with every service resolved and the
  moment collect() returns.
- recall-agent scan: a fresh `recall-agent scan --format json` (every source: inventory, USB, mDNS; the
  rule cache already warm), timed from its start to its exit; the devices it found are counted from its
  JSON.
- probed scan (second round only): the same scan run through benchmarks/scan_phases.py, which notes when
  the first one-shot questions leave, when the last service is heard, when the wait ends and when the
  inventory is written; the rows give the medians of each phase.
- avahi-browse: a fresh avahi-daemon (empty cache) and a private system D-Bus for it start in the scanning
  namespace, inside a private mount namespace with a tmpfs over /run; once the daemon is up, the clock
  starts when avahi-browse -art is started; the figures are the moment it has printed a resolved ("=")
  line for every service and the moment it exits by itself (-t).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from net.netns import (  # noqa: E402 - after the path set-up above
    Avahi,
    AvahiService,
    Lan,
    LateResponder,
    Link,
    Netns,
    avahi_group_xml,
    missing_requirements,
    python_env,
)

SERVICES = 50
RUNS = 5
PAUSE = 2.0  # seconds between runs: a responder multicasts one record at most once a second
SETTLE = 8.0  # avahi-daemon announces a new service at 0, 1, 3 and 7 s; runs start after that
TIMEOUT = 30.0
LATE_DELAY = 1.0
LATE_TXT = {"md": "Sleepy Heater", "id": "8A:3C:11:72:0B:FF"}
CHILD_OURS = "--child-ours"
CHILD_SCAN = "--child-scan"
CHILD_PHASES = "--child-phases"
PHASES = (  # (row, from event, to event) of a probed scan (benchmarks/scan_phases.py); "exec" is its start
    ("exec -> first question", "exec", "ask>"),
    ("first question -> last service heard", "ask>", "heard>"),
    ("first question -> end of the wait", "ask>", "quiet<"),
    ("end of the wait -> inventory written", "quiet<", "write<"),
    ("inventory written -> exit", "write<", "exit"),
)
CHILD_AVAHI = "--child-avahi-browse"

DBUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""

SCAN_AVAHI_CONF = """[server]
host-name={host}
domain-name=local
use-ipv4=yes
use-ipv6=yes
allow-interfaces={interface}
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
disable-publishing=yes
publish-workstation=no
publish-hinfo=no
publish-addresses=no
[reflector]
enable-reflector=no
"""


def device_services(count: int = SERVICES) -> dict[str, str]:
    """Service file name -> XML: ``count`` devices of the kinds homes have, each on a host of its own."""
    kinds: list[tuple[str, int, Callable[[int], dict[str, str]]]] = [
        ("_ipp._tcp", 631, lambda n: {"ty": f"Laser {n}", "usb_MFG": "Brother", "usb_MDL": f"HL-{n}"}),
        ("_googlecast._tcp", 8009, lambda n: {"id": f"{n:032x}", "md": f"Chromecast {n}", "fn": f"TV {n}"}),
        ("_hap._tcp", 80, lambda n: {"md": f"Heater {n}", "id": f"8A:3C:11:72:0B:{n:02X}", "ci": "8"}),
        (
            "_airplay._tcp",
            7000,
            lambda n: {"manufacturer": "Sonos", "model": f"One {n}", "deviceid": f"5C:AA:FD:01:02:{n:02X}"},
        ),
        ("_spotify-connect._tcp", 4070, lambda n: {"CPath": "/zc", "VERSION": "1.0", "model": f"Speaker {n}"}),
    ]
    groups = {}
    for n in range(count):
        type_, port, txt = kinds[n % len(kinds)]
        services = [AvahiService(type_, port, txt(n))]
        groups[f"device-{n:02d}.service"] = avahi_group_xml(f"Device {n:02d}", services, f"device-{n:02d}.local")
    return groups


def device_hosts(link: Link, count: int = SERVICES) -> dict[str, list[str]]:
    """Each device's host name and its IPv4 and IPv6 addresses on the publisher's link, published by avahi
    (a host without an IPv6 address would keep avahi-browse's IPv6 resolves waiting for their timeout)."""
    return {f"device-{n:02d}.local": [link.address(100 + n), link.address(100 + n, v6=True)] for n in range(count)}


@dataclass(frozen=True)
class Sample:
    """One cold run: seconds to the first service found and to every service resolved (None: never),
    services found and resolved."""

    first_found: float | None
    all_resolved: float | None
    found: int
    resolved: int
    finished: float  # collect() returned, or avahi-browse exited
    cpu: float | None = None  # seconds of CPU (user + system) the scan process used
    phases: dict[str, float] | None = None  # a probed scan's events, seconds after its start

    @classmethod
    def from_json(cls, text: str) -> Sample:
        data = json.loads(text)
        return cls(
            data["first_found"],
            data["all_resolved"],
            data["found"],
            data["resolved"],
            data["finished"],
            data.get("cpu"),
            data.get("phases"),
        )


def child_ours(expected: int) -> None:
    """In the scanning namespace: one cold MdnsSource with its default window."""
    from agent.sources.mdns.source import MdnsProgress, MdnsSource

    first_found: float | None = None
    all_resolved: float | None = None
    last = MdnsProgress(elapsed=0.0, window=0.0, services=0, resolved=0)
    start = 0.0

    def progress(p: MdnsProgress) -> None:
        nonlocal first_found, all_resolved, last
        last = p
        if first_found is None and p.services:
            first_found = time.monotonic() - start
        if all_resolved is None and p.resolved >= expected:
            all_resolved = time.monotonic() - start

    source = MdnsSource(progress=progress)
    start = time.monotonic()
    result = source.collect()
    finished = time.monotonic() - start
    if result.skipped:
        raise SystemExit(f"mDNS source skipped: {result.skipped}")
    print(
        json.dumps(
            {
                "first_found": first_found,
                "all_resolved": all_resolved,
                "found": last.services,
                "resolved": last.resolved,
                "finished": finished,
            }
        )
    )


def _scan_command(workdir: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, **{f"XDG_{d.upper()}_HOME": str(workdir / d) for d in ("data", "cache", "config", "state")}}
    program = Path(sys.executable).with_name("recall-agent")
    command = [str(program)] if program.exists() else [sys.executable, "-m", "agent"]
    subprocess.run([*command, "scan", "--source", "inventory"], env=env, capture_output=True, check=False)  # cache
    return command, env


def _devices(done: subprocess.CompletedProcess[str]) -> int:
    if done.returncode not in (0, 1):
        raise SystemExit(f"recall-agent scan failed ({done.returncode}): {done.stderr[-1000:]}")
    sources = {s["name"]: s for s in json.loads(done.stdout)["sources"]}
    return int(sources["mdns"]["devices"])


def child_scan(workdir: Path) -> None:
    """In the scanning namespace: the whole `recall-agent scan` (every source), from start to exit."""
    command, env = _scan_command(workdir)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([*command, "scan", "--format", "json"], env=env, capture_output=True, text=True, check=False)
    finished = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    devices = _devices(done)
    sample = {"first_found": None, "all_resolved": None, "found": devices, "resolved": devices, "finished": finished}
    print(json.dumps({**sample, "cpu": cpu}))


def child_phases(workdir: Path) -> None:
    """The same scan with timing probes (benchmarks/scan_phases.py): when each of its phases ended."""
    _, env = _scan_command(workdir)
    out = workdir / "phases.txt"
    probed = [sys.executable, str(Path(__file__).with_name("scan_phases.py")), str(out), "scan", "--format", "json"]
    start = time.monotonic()
    done = subprocess.run(probed, env=env, capture_output=True, text=True, check=False)
    finished = time.monotonic() - start
    devices = _devices(done)
    events: dict[str, float] = {"exec": 0.0, "exit": finished}
    for line in out.read_text().splitlines():
        when, name = line.split(" ", 1)
        at = float(when) - start
        events[name] = at if name == "heard>" else events.get(name, at)  # the last service heard, else the first
    sample = {"first_found": None, "all_resolved": None, "found": devices, "resolved": devices, "finished": finished}
    print(json.dumps({**sample, "phases": events}))


def _wait_for_path(path: Path, proc: subprocess.Popen[str], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{path} never appeared")
        time.sleep(0.01)


def child_avahi_browse(expected: int, workdir: Path, interface: str) -> None:
    """In the scanning namespace and a private mount namespace: D-Bus, a fresh avahi-daemon, avahi-browse."""
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "ra-run", "/run"], check=True)
    empty = workdir / "empty"
    empty.mkdir(exist_ok=True)
    subprocess.run(["mount", "--bind", str(empty), "/etc/avahi/services"], check=True)
    Path("/run/dbus").mkdir()
    dbus_conf = workdir / "dbus.conf"
    dbus_conf.write_text(DBUS_CONF)
    avahi_conf = workdir / "avahi-daemon.conf"
    avahi_conf.write_text(SCAN_AVAHI_CONF.format(host=f"scan-{os.getpid()}", interface=interface))
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/run/dbus/system_bus_socket"}
    dbus = subprocess.Popen(["dbus-daemon", f"--config-file={dbus_conf}", "--nofork", "--nopidfile"], text=True)
    daemon: subprocess.Popen[str] | None = None
    try:
        _wait_for_path(Path("/run/dbus/system_bus_socket"), dbus)
        daemon = subprocess.Popen(
            ["avahi-daemon", "--no-drop-root", "--no-chroot", "--no-rlimits", "-f", str(avahi_conf)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        assert daemon.stdout is not None
        for line in daemon.stdout:
            if "Server startup complete" in line:
                break
        else:
            raise SystemExit("avahi-daemon in the scanning namespace did not start")
        threading.Thread(target=daemon.stdout.read, daemon=True).start()  # keep its pipe drained
        print(json.dumps(_time_avahi_browse(expected, env)))
    finally:
        for proc in (daemon, dbus):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=5)


def _time_avahi_browse(expected: int, env: dict[str, str]) -> dict[str, Any]:
    found: set[str] = set()
    resolved: set[str] = set()
    first_found: float | None = None
    all_resolved: float | None = None
    start = time.monotonic()
    browse = subprocess.Popen(
        ["avahi-browse", "-art"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert browse.stdout is not None
    for line in browse.stdout:
        if line[:1] not in "+=" or len(line.split(None, 3)) < 4:
            continue
        service = line.split(None, 3)[3].strip()  # instance, type and domain; the same over IPv4 and IPv6
        (found if line[0] == "+" else resolved).add(service)
        if first_found is None:
            first_found = time.monotonic() - start
        if all_resolved is None and len(resolved) >= expected:
            all_resolved = time.monotonic() - start
    browse.wait(timeout=TIMEOUT)
    return {
        "first_found": first_found,
        "all_resolved": all_resolved,
        "found": len(found | resolved),
        "resolved": len(resolved),
        "finished": time.monotonic() - start,
    }


def _child(ns: Netns, args: Sequence[str], *, mount_namespace: bool = False) -> Sample:
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    if mount_namespace:
        command = ["unshare", "--mount", "--propagation", "private", *command]
    done = subprocess.run(
        ns.exec_args(command), capture_output=True, text=True, timeout=TIMEOUT * 2, env=python_env(), check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return Sample.from_json(done.stdout.strip().splitlines()[-1])


Sides = dict[str, list[Sample]]


def measure(runs: int = RUNS, count: int = SERVICES, *, late: bool = False) -> Sides:
    """``runs`` cold runs of each side, in turn, against one publisher of ``count`` devices (and, with
    ``late``, a device that answers a second late, and a probed scan that times its phases)."""
    sides: Sides = {"ours": [], "scan": [], "theirs": [], **({"phases": []} if late else {})}
    with tempfile.TemporaryDirectory(prefix="ra-bench-") as tmp, Lan.create() as lan:
        link: Link = lan.add_peer("pub")
        with contextlib.ExitStack() as peers:
            peers.enter_context(Avahi.start(link, Path(tmp) / "publisher", device_services(count), device_hosts(link)))
            if late:
                slow = lan.add_peer("late")
                peers.enter_context(LateResponder.start(slow, "Late Heater", LATE_TXT, delay=LATE_DELAY))
            time.sleep(SETTLE)
            for n in range(runs):
                workdir = Path(tmp) / f"browse-{n}"
                workdir.mkdir()
                order = list(sides) if n % 2 == 0 else list(reversed(sides))
                for side in order:
                    sides[side].append(_one(side, lan, link, workdir, count + late))
                    time.sleep(PAUSE)
    return sides


def _one(side: str, lan: Lan, link: Link, workdir: Path, expected: int) -> Sample:
    if side == "ours":
        return _child(lan.scan, [CHILD_OURS, str(expected)])
    if side == "scan":
        return _child(lan.scan, [CHILD_SCAN, str(workdir)])
    if side == "phases":
        phased = workdir / "phases"
        phased.mkdir(exist_ok=True)
        return _child(lan.scan, [CHILD_PHASES, str(phased)])
    return _child(lan.scan, [CHILD_AVAHI, str(expected), str(workdir), link.scan_if], mount_namespace=True)


def _seconds(values: Sequence[float | None]) -> tuple[str, str]:
    """Median and max of a list of seconds, "never" when a run never got there."""
    if any(v is None for v in values):
        missing = sum(v is None for v in values)
        return "never", f"{missing} of {len(values)} runs never got there"
    done = [v for v in values if v is not None]
    return f"{statistics.median(done):.2f} s", f"max {max(done):.2f} s"


def run(runs: int = RUNS) -> list[tuple[str, str, str]]:
    reason = missing_requirements(avahi=True) or ("" if shutil.which("avahi-browse") else "avahi-browse is missing")
    if reason:
        return [("network", "skipped", reason)]
    rows: list[tuple[str, str, str]] = []
    for late in (False, True):
        sides = measure(runs, late=late)
        expected = SERVICES + late
        where = f"{SERVICES} devices" + (f" + one answering {LATE_DELAY:.0f} s late" if late else "")
        rows.append((f"-- {where}", "", f"{runs} cold runs of each, in turn"))
        rows += _rows(sides, expected)
    return rows


def _rows(sides: Sides, expected: int) -> list[tuple[str, str, str]]:
    ours, scan, theirs = sides["ours"], sides["scan"], sides["theirs"]
    rows: list[tuple[str, str, str]] = []
    median, spread = _seconds([s.all_resolved for s in ours])
    rows.append((f"MdnsSource: all {expected} resolved", median, spread))
    median, spread = _seconds([s.finished for s in ours])
    rows.append(("MdnsSource: collect() returns", median, f"{spread}; found {min(s.resolved for s in ours)}"))
    median, spread = _seconds([s.finished for s in scan])
    rows.append(("recall-agent scan (all sources): exits", median, f"{spread}; devices {min(s.found for s in scan)}"))
    median, spread = _seconds([s.cpu for s in scan])
    rows.append(("recall-agent scan: CPU (user + system)", median, f"{spread}; the rest of the time it waits"))
    median, spread = _seconds([s.all_resolved for s in theirs])
    rows.append((f"avahi-browse -art: all {expected} resolved", median, spread))
    median, spread = _seconds([s.finished for s in theirs])
    rows.append(("avahi-browse -art: exits", median, f"{spread}; resolved {min(s.resolved for s in theirs)}"))
    ratio = statistics.median(s.finished for s in scan) / statistics.median(s.finished for s in theirs)
    found = all(s.found >= expected for s in scan)
    rows.append(("scan / avahi-browse exit, median", f"{ratio:.2f}x", f"target <= 0.8x; all found: {found}"))
    phased = [s.phases for s in sides.get("phases", []) if s.phases]
    for name, begin, end in PHASES if phased else ():
        spans = [p[end] - p[begin] for p in phased if begin in p and end in p]
        median, spread = _seconds(spans) if spans else ("never", "")
        rows.append((f"probed scan: {name}", median, spread))
    return rows


def main(argv: list[str]) -> int:
    if argv[:1] == [CHILD_OURS]:
        child_ours(int(argv[1]))
        return 0
    if argv[:1] == [CHILD_SCAN]:
        child_scan(Path(argv[1]))
        return 0
    if argv[:1] == [CHILD_PHASES]:
        child_phases(Path(argv[1]))
        return 0
    if argv[:1] == [CHILD_AVAHI]:
        child_avahi_browse(int(argv[1]), Path(argv[2]), argv[3])
        return 0
    if os.geteuid() != 0:
        print("network benchmark: needs root (it builds network namespaces and veth pairs); skipped")
        return 0
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else RUNS
    for name, value, note in run(runs):
        print(f"{name:<44} {value:>12}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
