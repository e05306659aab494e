"""Private networks for tests: network namespaces joined by veth pairs, and real mDNS peers inside them.

Nothing here touches the host's interfaces: every interface is created inside a namespace the test owns
(``ip netns exec A ip link add ... peer ... netns B``), every daemon runs inside one, and avahi-daemon
additionally runs in a private mount namespace with its own /run, services directory and hosts file.
Needs root and iproute2; avahi needs the avahi-daemon package.

Usage::

    with Lan.create() as lan:
        printers = lan.add_peer("avahi")
        with Avahi.start(printers, tmp_path, groups={"printer.service": avahi_group_xml(...)}):
            result = scan(lan.scan, "--window", "2")
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape

import agent

HERE = Path(__file__).resolve().parent
# The folder holding the agent package this test process uses: the checkout or the installed copy.
AGENT_ROOT = Path(agent.__file__).resolve().parents[1]
NEEDED_TOOLS = ("ip", "unshare", "mount")


def missing_requirements(*, avahi: bool = False) -> str:
    """Why namespace tests cannot run here, or "" when they can."""
    if os.geteuid() != 0:
        return "network namespace tests need root (to create namespaces and veth pairs)"
    tools = [*NEEDED_TOOLS, *(("avahi-daemon",) if avahi else ())]
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        return f"missing tools: {', '.join(missing)} (see tests/system-packages.txt)"
    return ""


def _run(args: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(args), check=False, capture_output=True, text=True, timeout=30)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def python_env() -> dict[str, str]:
    """The environment for Python run inside a namespace: the same agent package as this process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(AGENT_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


@dataclass
class Netns:
    """One network namespace, deleted by ``close``."""

    name: str

    @classmethod
    def create(cls, role: str, suffix: str) -> Netns:
        ns = cls(f"ra-{role}-{suffix}")
        _run(["ip", "netns", "add", ns.name])
        ns.run(["ip", "link", "set", "lo", "up"])
        # No duplicate address detection: addresses are usable at once, nothing waits for a timer.
        ns.run(["sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0"])
        return ns

    def exec_args(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *args]

    def run(self, args: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run(self.exec_args(args), check=check)

    def python(self, args: Sequence[str], *, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run this test environment's Python inside the namespace."""
        return subprocess.run(
            self.exec_args([sys.executable, *args]),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=python_env(),
            check=False,
        )

    def close(self) -> None:
        _run(["ip", "netns", "delete", self.name], check=False)


@dataclass
class Link:
    """A peer namespace wired to the scanning namespace by one veth pair, on subnet 10.77.N.0/24 and fd77:N::/64."""

    peer: Netns
    number: int
    peer_if: str
    scan_if: str

    def address(self, host: int, *, v6: bool = False) -> str:
        """An address on this link's subnet: host 1 is the peer's, host 2 the scanner's."""
        return f"fd77:{self.number}::{host:x}" if v6 else f"10.77.{self.number}.{host}"

    def add_peer_address(self, address: str) -> None:
        """Another address on the peer side, for a device with a host name of its own."""
        if ":" in address:
            self.peer.run(["ip", "addr", "add", f"{address}/64", "dev", self.peer_if, "nodad"])
        else:
            self.peer.run(["ip", "addr", "add", f"{address}/24", "dev", self.peer_if])


@dataclass
class Lan:
    """A scanning namespace and the peer namespaces wired to it, all deleted by ``close``."""

    scan: Netns
    suffix: str
    links: list[Link] = field(default_factory=list)

    @classmethod
    def create(cls) -> Lan:
        suffix = secrets.token_hex(3)
        return cls(scan=Netns.create("scan", suffix), suffix=suffix)

    def add_peer(self, role: str, *, ipv4: bool = True) -> Link:
        """A new namespace ``ra-<role>-<suffix>`` with a veth pair to the scanner; ``ipv4=False``: IPv6 only."""
        number = len(self.links)
        link = Link(Netns.create(role, self.suffix), number, f"ra{number}p-{self.suffix}", f"ra{number}s-{self.suffix}")
        self.links.append(link)
        link.peer.run(
            ["ip", "link", "add", link.peer_if, "type", "veth", "peer", "name", link.scan_if, "netns", self.scan.name]
        )
        for ns, ifname, host in ((link.peer, link.peer_if, 1), (self.scan, link.scan_if, 2)):
            if ipv4:
                ns.run(["ip", "addr", "add", f"{link.address(host)}/24", "dev", ifname])
            ns.run(["ip", "addr", "add", f"{link.address(host, v6=True)}/64", "dev", ifname, "nodad"])
            ns.run(["ip", "link", "set", ifname, "multicast", "on", "up"])
        return link

    def scanner_side(self, link: Link) -> Link:
        """``link`` seen from the scanning namespace: a daemon started on it runs on the scanning host."""
        return Link(self.scan, link.number, link.scan_if, link.scan_if)

    def close(self) -> None:
        for link in self.links:
            link.peer.close()
        self.scan.close()

    def __enter__(self) -> Lan:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class _Daemon:
    """A process whose output is read on a thread, so waiting for a line never blocks forever."""

    def __init__(self, args: Sequence[str], *, stdin: str | None = None) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.proc = subprocess.Popen(
            list(args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=python_env(),
        )
        assert self.proc.stdin is not None
        if stdin is not None:
            self.proc.stdin.write(stdin)
        self.proc.stdin.close()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, text: str, *, count: int = 1, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(text in line for line in self.lines) < count:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise RuntimeError(f"{text!r} never appeared; output:\n" + "\n".join(self.lines))
                self._changed.wait(min(left, 0.2))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def __enter__(self) -> _Daemon:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


@dataclass(frozen=True)
class AvahiService:
    type: str
    port: int
    txt: Mapping[str, str] = field(default_factory=dict)


def avahi_group_xml(name: str, services: Sequence[AvahiService], host_name: str = "") -> str:
    """An avahi service file (avahi.service(5)) publishing ``services`` under one instance name."""
    parts = [f'<?xml version="1.0" standalone="no"?>\n<service-group>\n  <name>{escape(name)}</name>']
    for s in services:
        host = f"<host-name>{escape(host_name)}</host-name>" if host_name else ""
        txt = "".join(f"<txt-record>{escape(k)}={escape(v)}</txt-record>" for k, v in s.txt.items())
        parts.append(f"  <service><type>{escape(s.type)}</type><port>{s.port}</port>{host}{txt}</service>")
    parts.append("</service-group>\n")
    return "\n".join(parts)


AVAHI_CONF = """[server]
host-name={host}
domain-name=local
use-ipv4=yes
use-ipv6=yes
allow-interfaces={interface}
enable-dbus=no
[wide-area]
enable-wide-area=no
[publish]
publish-workstation=no
publish-hinfo=no
publish-addresses=yes
[reflector]
enable-reflector=no
"""


class Avahi(_Daemon):
    """Debian's avahi-daemon in the peer namespace, publishing the test's own service files.

    It runs in a private mount namespace where a tmpfs covers /run (its pid file and socket) and the
    test's directories are bind-mounted over /etc/avahi/services and /etc/avahi/hosts.
    """

    @classmethod
    def start(
        cls,
        link: Link,
        workdir: Path,
        groups: Mapping[str, str],
        hosts: Mapping[str, str | Sequence[str]] | None = None,
    ) -> Avahi:
        """``groups``: service file name -> XML; ``hosts``: extra host name -> address (or addresses).

        Host addresses are published, not assigned: avahi refuses a static host name for an address of
        its own interface (the reverse record would collide with its own host name).
        """
        services = workdir / "services"
        services.mkdir(parents=True)
        for filename, xml in groups.items():
            (services / filename).write_text(xml)
        hosts_file = workdir / "hosts"
        lines = [
            f"{ip} {host}\n" for host, ips in (hosts or {}).items() for ip in ([ips] if isinstance(ips, str) else ips)
        ]
        hosts_file.write_text("".join(lines))
        conf = workdir / "avahi-daemon.conf"
        conf.write_text(AVAHI_CONF.format(host=link.peer.name, interface=link.peer_if))
        script = (
            "mount -t tmpfs -o mode=0755 ra-run /run"
            ' && mount --bind "$1" /etc/avahi/services && mount --bind "$2" /etc/avahi/hosts'
            ' && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$3"'
        )
        daemon = cls(
            link.peer.exec_args(
                [
                    "unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    script,
                    "avahi",
                    str(services),
                    str(hosts_file),
                    str(conf),
                ]
            )
        )
        try:
            daemon.wait_for("Server startup complete")
            daemon.wait_for("successfully established", count=len(groups) + len(lines))
        except BaseException:
            daemon.stop()
            raise
        return daemon


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


@dataclass(frozen=True)
class Published:
    """One service for the python-zeroconf publisher. ``txt`` may hold any bytes; ``raw_txt`` is sent verbatim."""

    type: str
    name: str
    server: str
    addresses: Sequence[str]
    port: int = 80
    txt: Mapping[bytes, bytes | None] = field(default_factory=dict)
    raw_txt: bytes | None = None

    def spec(self) -> dict[str, object]:
        return {
            "type": self.type,
            "name": self.name,
            "server": self.server,
            "addresses": list(self.addresses),
            "port": self.port,
            "txt": [[_b64(k), _b64(v)] for k, v in self.txt.items()],
            "raw_txt": _b64(self.raw_txt),
        }


class Publisher(_Daemon):
    """python-zeroconf announcing services from a namespace (tests/net/publisher.py)."""

    @classmethod
    def start(cls, link: Link, services: Sequence[Published], *, ipv4: bool = True) -> Publisher:
        bind = [link.address(1)] if ipv4 else []
        spec = json.dumps({"bind": [*bind, link.address(1, v6=True)], "services": [s.spec() for s in services]})
        daemon = cls(link.peer.exec_args([sys.executable, str(HERE / "publisher.py")]), stdin=spec)
        try:
            daemon.wait_for("registered", count=len(services), timeout=20)
        except BaseException:
            daemon.stop()
            raise
        return daemon


def scan(ns: Netns, *args: str) -> dict[str, Any]:
    """Run MdnsSource once in ``ns`` (tests/net/scan_once.py) and return what it printed."""
    done = ns.python([str(HERE / "scan_once.py"), *args])
    if done.returncode != 0:
        raise RuntimeError(f"scan failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


class LateResponder(_Daemon):
    """A device that answers every question about its one service ``delay`` seconds late (late_responder.py)."""

    @classmethod
    def start(cls, link: Link, instance: str, txt: Mapping[str, str], *, delay: float = 1.0) -> LateResponder:
        host = instance.lower().replace(" ", "-")
        spec = {
            "type": "_hap._tcp.local.",
            "name": f"{instance}._hap._tcp.local.",
            "server": f"{host}.local.",
            "address": link.address(1),
            "port": 80,
            "txt": dict(txt),
            "delay": delay,
        }
        daemon = cls(link.peer.exec_args([sys.executable, str(HERE / "late_responder.py")]), stdin=json.dumps(spec))
        try:
            daemon.wait_for("listening")
        except BaseException:
            daemon.stop()
            raise
        return daemon
