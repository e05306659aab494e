"""Which interfaces to browse on: up, multicast-capable, not loopback; all of them or the ones asked for."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Callable, Mapping, Sequence

from agent.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing before the first question
if TYPE_CHECKING:
    from typing import Any


class InterfacePlan(Record, kw_only=True):
    """What to hand to Zeroconf: IPv4 addresses and IPv6 interface indexes, and what was left out."""

    names: tuple[str, ...] = ()
    bind: tuple[str | int, ...] = ()
    problems: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()  # the chosen interfaces' subnets (CIDR): who may answer a unicast question


def _usable(name: str, stats: Any) -> str:
    """Why an interface cannot carry mDNS, or "" when it can."""
    if stats is None:
        return f"{name}: no such interface"
    flags = set(str(getattr(stats, "flags", "") or "").split(","))
    if not stats.isup:
        return f"{name}: interface is down"
    if "loopback" in flags:
        return f"{name}: loopback carries no mDNS"
    if flags != {""} and "multicast" not in flags:
        return f"{name}: interface is not multicast-capable"
    return ""


def plan_interfaces(
    wanted: Sequence[str] | None,
    stats: Mapping[str, Any],
    addresses: Mapping[str, Sequence[Any]],
    index_of: Callable[[str], int],
) -> InterfacePlan:
    """Choose interfaces from psutil-shaped ``net_if_stats`` (``isup``, ``flags``) and ``net_if_addrs``
    (``family``, ``address``, ``netmask``) data by interface name (injected for tests)."""
    names = list(wanted) if wanted is not None else sorted(stats)
    chosen: list[str] = []
    bind: list[str | int] = []
    problems: list[str] = []
    networks: list[str] = []
    for name in dict.fromkeys(names):
        reason = _usable(name, stats.get(name))
        if reason:
            if wanted is not None:
                problems.append(reason)
            continue
        v4 = [a.address for a in addresses.get(name, ()) if a.family == socket.AF_INET]
        has_v6 = any(a.family == socket.AF_INET6 for a in addresses.get(name, ()))
        found: list[str | int] = list(v4)
        if has_v6:
            with contextlib.suppress(OSError):  # no index: the interface went away meanwhile
                found.append(index_of(name))
        if not found:
            if wanted is not None:
                problems.append(f"{name}: interface has no IP address")
            continue
        chosen.append(name)
        bind.extend(found)
        networks.extend(_networks(addresses.get(name, ())))
    return InterfacePlan(names=tuple(chosen), bind=tuple(bind), problems=tuple(problems), networks=tuple(networks))


def _networks(addresses: Sequence[Any]) -> list[str]:
    """The subnets of an interface's addresses that have a netmask (IPv6 link-local is always on the link)."""
    found = []
    for a in addresses:
        netmask = getattr(a, "netmask", None)
        if a.family not in (socket.AF_INET, socket.AF_INET6) or not netmask:
            continue
        with contextlib.suppress(ValueError):
            prefix = bin(int(ipaddress.ip_address(netmask))).count("1")  # IPv6 masks come as addresses too
            found.append(str(ipaddress.ip_interface(f"{a.address.split('%')[0]}/{prefix}").network))
    return found


def current_interfaces(wanted: Sequence[str] | None) -> InterfacePlan:
    """The plan for this machine's interfaces right now."""
    import psutil  # imported here: the scan's other sources do not need it

    try:
        stats, addresses = psutil.net_if_stats(), psutil.net_if_addrs()
    except OSError as e:
        return InterfacePlan(problems=(f"cannot list the network interfaces: {e}",))
    return plan_interfaces(wanted, stats, addresses, socket.if_nametoindex)
