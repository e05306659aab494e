"""This machine's network interfaces, asked of the Linux kernel directly: their flags by ioctl (SIOCGIFFLAGS)
and their addresses by one rtnetlink dump (RTM_GETADDR), in the shapes net.py plans from.

The standard library has no call for either, and the package that wraps them takes longer to import than
the whole question it is needed for: the one-shot browse asks its first question as soon as it knows
where to ask, so this is on the way to it.
"""

from __future__ import annotations

import fcntl
import ipaddress
import socket
import struct
from typing import NamedTuple

SIOCGIFFLAGS = 0x8913
FLAG_NAMES = (
    (0x1, "up"),
    (0x2, "broadcast"),
    (0x8, "loopback"),
    (0x10, "pointopoint"),
    (0x40, "running"),
    (0x80, "noarp"),
    (0x1000, "multicast"),
)
_RUNNING = 0x40
_RTM_NEWADDR, _RTM_GETADDR, _NLMSG_ERROR, _NLMSG_DONE = 20, 22, 2, 3
_NLM_F_REQUEST, _NLM_F_DUMP = 0x1, 0x300
_IFA_ADDRESS, _IFA_LOCAL = 1, 2
_HEADER = struct.Struct("=IHHII")  # struct nlmsghdr
_IFADDR = struct.Struct("=BBBBI")  # struct ifaddrmsg
_ATTR = struct.Struct("=HH")  # struct rtattr
_IFREQ = struct.Struct("16sH22x")  # struct ifreq: the name, then ifr_flags in its 24-byte union


class Stats(NamedTuple):
    isup: bool  # the interface is running (up, and its link is there)
    flags: str  # comma-separated names of its flags: "up,broadcast,running,multicast"


class Address(NamedTuple):
    family: int
    address: str
    netmask: str


def interface_stats() -> dict[str, Stats]:
    """Every interface by name, with its flags."""
    found: dict[str, Stats] = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            try:
                reply = fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, _IFREQ.pack(name.encode(), 0))
            except OSError:  # gone meanwhile
                continue
            flags = _IFREQ.unpack(reply)[1]
            names = ",".join(label for bit, label in FLAG_NAMES if flags & bit)
            found[name] = Stats(isup=bool(flags & _RUNNING), flags=names)
    return found


def interface_addresses() -> dict[str, list[Address]]:
    """Every interface's IPv4 and IPv6 addresses with their netmasks, by interface name."""
    names = dict(socket.if_nameindex())
    found: dict[str, list[Address]] = {}
    for index, address in _dump():
        if index in names:
            found.setdefault(names[index], []).append(address)
    return found


def _dump() -> list[tuple[int, Address]]:
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, socket.NETLINK_ROUTE) as sock:
        sock.bind((0, 0))
        body = _IFADDR.pack(socket.AF_UNSPEC, 0, 0, 0, 0)
        sock.send(_HEADER.pack(_HEADER.size + len(body), _RTM_GETADDR, _NLM_F_REQUEST | _NLM_F_DUMP, 1, 0) + body)
        found: list[tuple[int, Address]] = []
        while True:
            data = sock.recv(65536)
            offset = 0
            while offset + _HEADER.size <= len(data):
                length, kind = _HEADER.unpack_from(data, offset)[:2]
                if kind == _NLMSG_DONE or length < _HEADER.size:
                    return found
                if kind == _NLMSG_ERROR:
                    raise OSError("the kernel refused to list the interface addresses")
                if kind == _RTM_NEWADDR:
                    found.extend(_address(data, offset + _HEADER.size, offset + length))
                offset += (length + 3) & ~3


def _address(data: bytes, start: int, end: int) -> list[tuple[int, Address]]:
    """One RTM_NEWADDR message: its interface index and address, if it is IPv4 or IPv6."""
    family, prefix, _, _, index = _IFADDR.unpack_from(data, start)
    size = {socket.AF_INET: 4, socket.AF_INET6: 16}.get(family)
    attributes: dict[int, bytes] = {}
    offset = start + _IFADDR.size
    while offset + _ATTR.size <= end:
        length, kind = _ATTR.unpack_from(data, offset)
        if length < _ATTR.size:
            break
        attributes[kind] = data[offset + _ATTR.size : offset + length]
        offset += (length + 3) & ~3
    raw = attributes.get(_IFA_LOCAL) or attributes.get(_IFA_ADDRESS)  # LOCAL: ours on a point-to-point link
    if size is None or raw is None or len(raw) != size:
        return []
    text = socket.inet_ntop(family, raw)
    mask = ipaddress.ip_network(f"{text}/{prefix}", strict=False).netmask
    return [(index, Address(family, text, str(mask)))]
