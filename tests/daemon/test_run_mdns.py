"""`recall-agent run` notices a recalled device announced over mDNS, in network namespaces the test creates.

Topology: python-zeroconf announces a space heater in ra-heater-X, wired by a veth pair to ra-scan-X,
where the agent runs. The session bus is a unix socket path, which a process in another network
namespace can still reach, so dunst and the recorder run outside as in the other tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from daemon.agents import AgentFactory, agent_env, settle_calls
from daemon.expect import CRITICAL, check_notification
from net.netns import Lan, Published, Publisher
from notify.dunst import NotifyCalls

pytestmark = [pytest.mark.netns, pytest.mark.slow]

HEATER_RULE = """
id = "test-2025-emberline-eh200"
title = "Emberline EH-200 smart space heaters recalled: the thermostat can fail"
kind = "recall"
published = 2025-01-15
url = "https://example.org/recalls/emberline-eh200"
hazard = "The thermostat can fail & let the casing overheat; nearby curtains can catch fire."
hazards = ["fire"]
remedy = "Unplug the heater and ask Emberline for a refund."
check = "The label under the heater reads 'Model: EH-200'."

[issuer]
name = "Emberline"
type = "manufacturer"

[[products]]
name = "Emberline EH-200 smart space heater"
brands = ["Emberline"]
models = ["EH-200"]

[[products.mdns]]
service = "_hap._tcp"
model = "EH-200*"
"""


@pytest.mark.usefixtures("dunst")
def test_a_recalled_device_announced_over_mdns_is_notified_once(
    agents: AgentFactory, notify_calls: NotifyCalls, session_bus: str, tmp_path: Path, lan: Lan
) -> None:
    rules = tmp_path / "test-rules"
    rules.mkdir()
    (rules / "heater.toml").write_text(HEATER_RULE)
    link = lan.add_peer("heater")
    heater = Published(
        "_hap._tcp.local.",
        "Emberline Heater._hap._tcp.local.",
        "emberline-eh200.local.",
        [link.address(21)],
        txt={b"md": b"EH-200", b"id": b"3C:71:BF:00:11:22", b"ci": b"21", b"sf": b"1"},
    )
    with Publisher.start(link, [heater]):
        agent = agents(
            [
                "run",
                "--no-usb",
                "--debounce",
                "0.3",
                "--window",
                "1.5",
                "--interface",
                link.scan_if,
                "--rules",
                str(rules),
                "-v",
            ],
            env=agent_env(DBUS_SESSION_BUS_ADDRESS=session_bus),
            prefix=tuple(lan.scan.exec_args([])),
        )
        agent.wait_for_scan(timeout=20)
        [call] = notify_calls.wait_for(1)
        # Confirmed: the model comes from the TXT record and the brand from the instance name.
        check_notification(call, rules / "heater.toml", "Recalled: Emberline Heater (fire hazard)", CRITICAL)
        agent.rescan(timeout=20)
        assert len(settle_calls(notify_calls)) == 1
        assert agent.terminate() == 0
