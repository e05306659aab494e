"""One-shot questions from an ephemeral port (RFC 6762 5.1 and 6.7), answered at once by unicast to it.

A responder multicasts a record at most once a second (RFC 6762 6): when another querier, or the scan
before this one, has just asked, it stays silent to a multicast question and answers only the querier's
second query, a second later. The browser's first query asks for a unicast answer instead (the QU bit,
section 5.4), but that answer goes to port 5353, and on a desktop avahi-daemon has a socket there too:
the kernel may hand the answer to it. A question sent from an ephemeral port is a legacy query: the
responder answers it by unicast to that very port, at once and whatever it multicast lately
(avahi-daemon and python-zeroconf both do), so the answer reaches this program and nobody else.

avahi-daemon fits a legacy answer in 512 bytes and leaves out what does not fit, without saying so
(no truncation bit): a service type's answer carries only about three services with their records. So
each type and each service is asked in a packet of its own, and the ordinary multicast browse still runs
beside these questions for whatever a short answer left out.

An answer counts only when it comes from port 5353, from an address on the chosen interfaces' subnets
(or IPv6 link-local, RFC 6762 11), and with the id of the questions asked here; it goes into Zeroconf's
cache on Zeroconf's event loop, so browsers and resolves take it as if it had been multicast. The first
questions go out before python-zeroconf is imported (it takes a tenth of a second and more to load):
answers that arrive before ``attach`` are kept and handed over then.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import select
import socket
import struct
import threading
from collections.abc import Iterable, Sequence

from agent.sources.mdns.net import InterfacePlan

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing before the first question
if TYPE_CHECKING:
    from zeroconf import Zeroconf

log = logging.getLogger(__name__)

GROUP_V4 = "224.0.0.251"
GROUP_V6 = "ff02::fb"
PORT = 5353
TYPE_PTR, TYPE_TXT, TYPE_SRV, CLASS_IN = 12, 16, 33, 1
_LARGEST = 9000  # bytes of one answer read; RFC 6762 17 allows a packet up to the interface's MTU
_KEPT = 256  # answers kept until Zeroconf is attached; more before then is a flood

_Destination = tuple[str, int] | tuple[str, int, int, int]


class OneShot:
    """Sockets on ephemeral ports, one per chosen IPv4 address and IPv6 interface, and the thread that
    reads their answers into the Zeroconf given to ``attach``. Close it before that Zeroconf."""

    def __init__(self, plan: InterfacePlan) -> None:
        self._networks = [ipaddress.ip_network(n, strict=False) for n in plan.networks]
        # Answers must carry the id back. os.urandom, not secrets: its hashlib import costs more than the question.
        self._id = 1 + int.from_bytes(os.urandom(2), "big") % 0xFFFF
        self._sockets: list[tuple[socket.socket, _Destination]] = []
        for where in plan.bind:
            try:
                self._sockets.append(_ipv4(where) if isinstance(where, str) else _ipv6(where))
            except OSError as e:  # that interface is left to the multicast browse
                log.debug("no one-shot mDNS socket for %r: %s", where, e)
        self._lock = threading.Lock()
        self._zc: Zeroconf | None = None
        self._kept: list[tuple[bytes, str, int | None]] = []
        self._closed = False
        self.responders: set[str] = set()  # the addresses whose answers were handed to Zeroconf
        self._wake, self._waker = socket.socketpair()
        self._thread = threading.Thread(target=self._read, name="mdns-oneshot", daemon=True)
        self._thread.start()

    def ask_types(self, types: Iterable[str]) -> None:
        """The services of each type (fully qualified), one packet per type."""
        for type_ in types:
            self._ask([(_labels(type_), TYPE_PTR)])

    def ask_service(self, type_: str, name: str) -> None:
        """One service's host, port and TXT record; ``name`` ends with its ``type_``."""
        instance = name[: -len(type_)].removesuffix(".") if name.lower().endswith(type_.lower()) else ""
        labels = [instance, *_labels(type_)] if instance else _labels(name)
        self._ask([(labels, TYPE_SRV), (labels, TYPE_TXT)])

    def attach(self, zc: Zeroconf) -> None:
        """Hand answers to ``zc`` from now on, those kept so far first."""
        with self._lock:
            self._zc = zc
            kept, self._kept = self._kept, []
        for data, host, scope in kept:
            self._forward(zc, data, host, scope)

    def _ask(self, questions: Sequence[tuple[list[str], int]]) -> None:
        packet = query(self._id, questions)
        if packet is None:
            return
        for sock, destination in self._sockets:
            with contextlib.suppress(OSError):  # an interface that went away meanwhile
                sock.sendto(packet, destination)

    def _read(self) -> None:
        readers = [sock for sock, _ in self._sockets]
        while True:
            try:
                ready, _, _ = select.select([self._wake, *readers], [], [])
            except (OSError, ValueError):  # closed under us
                return
            if self._wake in ready:
                return
            for sock in ready:
                try:
                    data, source = sock.recvfrom(_LARGEST)
                except OSError:
                    continue
                self._take(data, source)

    def _take(self, data: bytes, source: _Destination) -> None:
        host, port = source[0].split("%")[0], source[1]
        if port != PORT or len(data) < 12 or int.from_bytes(data[:2], "big") != self._id or not self._on_link(host):
            return
        scope = source[3] if len(source) == 4 else None
        with self._lock:
            zc = self._zc
            if zc is None:
                if len(self._kept) < _KEPT:
                    self._kept.append((data, host, scope))
                return
        self._forward(zc, data, host, scope)

    def _forward(self, zc: Zeroconf, data: bytes, host: str, scope: int | None) -> None:
        from zeroconf import current_time_millis
        from zeroconf._protocol.incoming import DNSIncoming

        message = DNSIncoming(data, (host, PORT), scope, current_time_millis())
        if not message.valid or message.is_query():
            return
        loop = zc.loop
        if loop is None or zc.done:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(zc.record_manager.async_updates_from_response, message)
            self.responders.add(host)

    def _on_link(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        if address.version == 6 and address.is_link_local:
            return True
        return any(address in network for network in self._networks)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._waker.send(b"x")
        self._thread.join(timeout=2)
        for sock, _ in self._sockets:
            sock.close()
        self._wake.close()
        self._waker.close()


def _labels(name: str) -> list[str]:
    return [label for label in name.split(".") if label]


def query(id_: int, questions: Sequence[tuple[list[str], int]]) -> bytes | None:
    """A DNS query (RFC 1035 4.1) asking each (labels, type) in class IN; None if a name cannot be sent."""
    body = b""
    for labels, type_ in questions:
        encoded = [label.encode() for label in labels]
        too_long = sum(len(label) + 1 for label in encoded) + 1 > 255  # RFC 1035 2.3.4
        if not encoded or too_long or any(not 0 < len(label) < 64 for label in encoded):
            return None
        body += b"".join(bytes([len(label)]) + label for label in encoded) + b"\0" + struct.pack("!HH", type_, CLASS_IN)
    return struct.pack("!HHHHHH", id_, 0, len(questions), 0, 0, 0) + body


def _ipv4(address: str) -> tuple[socket.socket, _Destination]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        sock.bind((address, 0))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    except OSError:
        sock.close()
        raise
    return sock, (GROUP_V4, PORT)


def _ipv6(index: int) -> tuple[socket.socket, _Destination]:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(("::", 0))
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    except OSError:
        sock.close()
        raise
    return sock, (GROUP_V6, PORT, 0, index)
