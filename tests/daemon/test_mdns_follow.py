"""The daemon starts mDNS when a usable interface comes up after it started, and follows address changes.

Topology as in test_run_mdns.py: python-zeroconf announces space heaters in ra-follow-X, wired by a veth
pair to ra-scan-X, where the agent runs. The scanner's end is IPv4 only and down when the agent starts;
the test brings it up, then moves it to another address and announces a second heater.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from daemon.agents import Agent, AgentFactory, agent_env, until
from daemon.test_run_mdns import HEATER_RULE
from net.netns import Lan, Link, Published, Publisher

pytestmark = [pytest.mark.netns, pytest.mark.slow]

RULE_ID = "test-2025-emberline-eh200"


def heater(link: Link, name: str, host: int, mac: str) -> Published:
    return Published(
        "_hap._tcp.local.",
        f"Emberline {name}._hap._tcp.local.",
        f"emberline-{name.lower()}.local.",
        [link.address(host)],
        txt={b"md": b"EH-200", b"id": mac.encode(), b"ci": b"21", b"sf": b"1"},
    )


def found(agent: Agent) -> set[str]:
    try:
        report = json.loads(agent.findings.read_text())
    except (OSError, ValueError):
        return set()
    return {f["item"]["name"] for f in report["findings"] if f["rule"]["id"] == RULE_ID}


def test_mdns_starts_when_the_interface_comes_up_and_follows_its_address(
    agents: AgentFactory, tmp_path: Path, lan: Lan
) -> None:
    rules = tmp_path / "test-rules"
    rules.mkdir()
    (rules / "heater.toml").write_text(HEATER_RULE)
    link = lan.add_peer("follow")
    scan_if = link.scan_if
    lan.scan.run(["sysctl", "-q", "-w", f"net.ipv6.conf.{scan_if}.disable_ipv6=1"])  # IPv4 only: no v6 fallback
    lan.scan.run(["ip", "link", "set", scan_if, "down"])
    with Publisher.start(link, [heater(link, "Hall", 21, "3C:71:BF:00:11:22")], ipv4=True):
        agent = agents(
            ["run", "--no-usb", "--notify", "log", "--debounce", "0.3", "--window", "1.5",
             "--interface", scan_if, "--rules", str(rules), "-v"],
            env=agent_env(),
            prefix=tuple(lan.scan.exec_args([])),
        )  # fmt: skip
        agent.wait_for_scan(timeout=20)
        assert found(agent) == set()
        agent.wait_for_stderr("no network discovery for now")
        lan.scan.run(["ip", "link", "set", scan_if, "up"])
        until(lambda: found(agent) == {"Emberline Hall"}, "the heater found once the interface is up", 30)
        agent.wait_for_stderr("network discovery on")
        lan.scan.run(["ip", "addr", "del", f"{link.address(2)}/24", "dev", scan_if])
        lan.scan.run(["ip", "addr", "add", f"{link.address(3)}/24", "dev", scan_if])
        agent.wait_for_stderr("network discovery on", count=2, timeout=20)
        with Publisher.start(link, [heater(link, "Attic", 22, "3C:71:BF:00:11:33")], ipv4=True):
            until(
                lambda: found(agent) == {"Emberline Hall", "Emberline Attic"},
                "the second heater found on the new address",
                40,
            )
        assert agent.alive()
        # Most often a rescan is browsing when SIGTERM comes: the browse ends at once, not at its window.
        assert agent.terminate() == 0
