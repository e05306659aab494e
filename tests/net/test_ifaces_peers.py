"""ifaces.py reads the kernel's interface flags and addresses as psutil does, on real interfaces in a namespace:
veth pairs up and down, IPv4 and IPv6 addresses, a second address on one interface, loopback."""

from __future__ import annotations

import json

import pytest

from .netns import HERE, Lan

pytestmark = [pytest.mark.netns]


def test_interfaces_and_addresses_read_as_psutil_reads_them(lan: Lan) -> None:
    first = lan.add_peer("ifa")
    second = lan.add_peer("ifb", ipv4=False)
    lan.scan.run(["ip", "addr", "add", "10.77.0.9/16", "dev", first.scan_if])
    lan.scan.run(["ip", "addr", "add", "fd77:99::9/48", "dev", first.scan_if, "nodad"])
    lan.scan.run(["ip", "link", "set", second.scan_if, "down"])
    done = lan.scan.python([str(HERE / "ifaces_once.py")])
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    ours, theirs = seen["stats"]
    assert ours == theirs
    assert ours[first.scan_if] == [True, "up,broadcast,running,multicast"]
    assert ours[second.scan_if][0] is False
    ours, theirs = seen["addresses"]
    assert ours == theirs
    assert ["2", "10.77.0.9", "255.255.0.0"] in [[str(f), a, m] for f, a, m in ours[first.scan_if]]
    plan, their_plan = seen["plans"]
    assert plan == their_plan
    assert plan[0] == [first.scan_if]
