"""Print this namespace's interfaces as ifaces.py reads them and as psutil does, as JSON. Run in a test's
namespace only (tests/net/test_ifaces_peers.py); it reads the kernel's tables and sends nothing."""

from __future__ import annotations

import json
import socket

import psutil

from agent.sources.mdns import ifaces
from agent.sources.mdns.net import plan_interfaces

FAMILIES = (socket.AF_INET, socket.AF_INET6)


def main() -> None:
    stats, addresses = ifaces.interface_stats(), ifaces.interface_addresses()
    their_stats, their_addresses = psutil.net_if_stats(), psutil.net_if_addrs()
    names = sorted(set(stats) | set(their_stats))
    ours = {n: [stats[n].isup, stats[n].flags] if n in stats else None for n in names}
    theirs = {n: [their_stats[n].isup, their_stats[n].flags] if n in their_stats else None for n in names}
    ours_addresses = {n: sorted([a.family, a.address, a.netmask] for a in addresses.get(n, [])) for n in names}
    their_found = {n: [a for a in their_addresses.get(n, []) if a.family in FAMILIES] for n in names}
    theirs_addresses = {
        n: sorted([int(a.family), a.address.split("%")[0], a.netmask] for a in found)
        for n, found in their_found.items()
    }
    plans = [
        plan_interfaces(None, s, a, socket.if_nametoindex)
        for s, a in ((stats, addresses), (their_stats, their_addresses))
    ]
    print(
        json.dumps(
            {
                "stats": [ours, theirs],
                "addresses": [ours_addresses, theirs_addresses],
                "plans": [[list(p.names), list(p.bind), list(p.networks)] for p in plans],
            }
        )
    )


if __name__ == "__main__":
    main()
