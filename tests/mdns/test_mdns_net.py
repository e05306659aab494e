"""Choosing interfaces from psutil-shaped data; no socket is opened here."""

from __future__ import annotations

import socket
from dataclasses import dataclass

import pytest

from agent.sources.mdns.net import plan_interfaces
from agent.sources.mdns.source import MdnsProgress, MdnsSource


@dataclass
class Stats:
    isup: bool
    flags: str


@dataclass
class Addr:
    family: int
    address: str


STATS = {
    "lo": Stats(True, "up,loopback,running"),
    "eth0": Stats(True, "up,broadcast,running,multicast"),
    "wlan0": Stats(True, "up,broadcast,running,multicast"),
    "tun0": Stats(True, "up,pointopoint,running,noarp"),
    "eth1": Stats(False, "broadcast,multicast"),
    "bare0": Stats(True, "up,broadcast,multicast"),
}
ADDRS = {
    "lo": [Addr(socket.AF_INET, "127.0.0.1"), Addr(socket.AF_INET6, "::1")],
    "eth0": [Addr(socket.AF_INET, "192.168.1.5"), Addr(socket.AF_INET6, "fe80::5%eth0")],
    "wlan0": [Addr(socket.AF_INET6, "fe80::7%wlan0")],
    "tun0": [Addr(socket.AF_INET, "10.8.0.2")],
    "eth1": [Addr(socket.AF_INET, "192.168.2.5")],
    "bare0": [],
}
INDEX = {"lo": 1, "eth0": 2, "wlan0": 3, "tun0": 4, "eth1": 5, "bare0": 6}


def test_default_is_every_up_multicast_interface_with_an_address() -> None:
    plan = plan_interfaces(None, STATS, ADDRS, INDEX.__getitem__)
    assert plan.names == ("eth0", "wlan0")
    assert plan.bind == ("192.168.1.5", 2, 3)
    assert plan.problems == ()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("nope0", "nope0: no such interface"),
        ("eth1", "eth1: interface is down"),
        ("lo", "lo: loopback carries no mDNS"),
        ("tun0", "tun0: interface is not multicast-capable"),
        ("bare0", "bare0: interface has no IP address"),
    ],
)
def test_a_chosen_interface_that_cannot_carry_mdns_says_why(name: str, problem: str) -> None:
    plan = plan_interfaces([name, "eth0"], STATS, ADDRS, INDEX.__getitem__)
    assert plan.names == ("eth0",)
    assert plan.problems == (problem,)


def test_without_flags_from_an_old_psutil_up_interfaces_are_tried() -> None:
    @dataclass
    class OldStats:
        isup: bool

    plan = plan_interfaces(None, {"eth0": OldStats(True)}, ADDRS, INDEX.__getitem__)
    assert plan.bind == ("192.168.1.5", 2)


def test_an_interface_without_an_ipv6_index_keeps_ipv4() -> None:
    def no_index(name: str) -> int:
        raise OSError("gone")

    assert plan_interfaces(["eth0"], STATS, ADDRS, no_index).bind == ("192.168.1.5",)


@pytest.mark.parametrize("window", [0, -1.0, float("nan")])
def test_window_must_be_positive(window: float) -> None:
    with pytest.raises(ValueError, match="window"):
        MdnsSource(window=window)


def test_progress_line() -> None:
    running = MdnsProgress(elapsed=1.2, window=3.0, services=4, resolved=2)
    assert str(running) == "network: browsing, 4 services found, 2 resolved, 2s left"
    done = MdnsProgress(elapsed=3.1, window=3.0, services=4, resolved=4, done=True)
    assert str(done) == "network: 4 services, 4 resolved"
