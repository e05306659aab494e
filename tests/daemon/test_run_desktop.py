"""`recall-agent run` end to end: a private session bus, dunst under Xvfb, and the agent as a subprocess.

Each test counts the Notify calls dbus-monitor recorded on the bus: exactly one per (item, recall), none
again after a rescan or a restart, none once the finding is acknowledged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tomli
from daemon.agents import Agent, AgentFactory, agent_env, cli, settle_calls, until
from daemon.expect import CRITICAL, check_notification, shipped_rule
from daemon.sysfs import ANKER_NAME, SysfsCopy
from notify.dunst import Dunst, NotifyCalls

pytestmark = pytest.mark.slow

RUN = ["run", "--no-network", "--debounce", "0.3", "-v"]
POWER_BANK_RULE = "anker-2024-321-power-bank"
SPEAKERPHONE_RULE = "anker-2024-powerconf-s3"
POWER_BANK = ("Anker 321 Power Bank", "--brand", "Anker", "--model", "A1112")


def desktop(bus: str) -> dict[str, str]:
    return agent_env(DBUS_SESSION_BUS_ADDRESS=bus)


def add_power_bank(item_id: str = "power-bank") -> None:
    cli("inventory", "add", *POWER_BANK, "--id", item_id)


def findings(agent: Agent) -> dict[tuple[str, str], dict[str, Any]]:
    report = json.loads(agent.findings.read_text())
    return {(f["item"]["id"], f["rule"]["id"]): f for f in report["findings"]}


def test_a_recalled_usb_device_plugged_in_is_notified_once(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str, tmp_path: Path
) -> None:
    tree = SysfsCopy.of("hubs", tmp_path / "sysfs")
    agent = agents([*RUN, "--sysfs-root", str(tree.root)], env=desktop(session_bus))
    agent.wait_for_scan()
    assert notify_calls.calls() == []  # the recorded devices are not recalled
    tree.plug_anker()
    # Only the USB watcher can notice this in time: the full rescan is an hour away.
    [call] = notify_calls.wait_for(1, timeout=6)
    check_notification(call, shipped_rule(SPEAKERPHONE_RULE), f"Recalled: {ANKER_NAME}", CRITICAL)
    agent.rescan()
    assert len(settle_calls(notify_calls.calls)) == 1
    assert agent.terminate() == 0


def test_a_recalled_item_added_to_the_inventory_while_running_is_notified_once(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str, inventory_path: Path
) -> None:
    agent = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    agent.wait_for_scan()
    assert notify_calls.calls() == []
    cli("inventory", "add", *POWER_BANK)
    [call] = notify_calls.wait_for(1, timeout=12)  # the inventory file is looked at every 5 s
    check_notification(call, shipped_rule(POWER_BANK_RULE), "Recalled: Anker 321 Power Bank", CRITICAL)
    agent.rescan()
    assert len(settle_calls(notify_calls.calls)) == 1
    assert agent.terminate() == 0


def test_a_restart_does_not_notify_the_same_finding_again(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str, tmp_path: Path
) -> None:
    tree = SysfsCopy.of("hubs", tmp_path / "sysfs")
    tree.plug_anker()
    args = [*RUN, "--sysfs-root", str(tree.root)]
    first = agents(args, env=desktop(session_bus))
    first.wait_for_scan()
    [call] = notify_calls.wait_for(1)
    check_notification(call, shipped_rule(SPEAKERPHONE_RULE), f"Recalled: {ANKER_NAME}", CRITICAL)
    assert first.terminate(timeout=3) == 0
    add_power_bank()  # a new finding for the second run: it must still notify what is new
    second = agents(args, env=desktop(session_bus))
    second.wait_for_scan()
    calls = settle_calls(notify_calls.calls)
    assert [c[3] for c in calls] == [f"Recalled: {ANKER_NAME}", "Recalled: Anker 321 Power Bank"]
    assert {key[1] for key in findings(second)} == {SPEAKERPHONE_RULE, POWER_BANK_RULE}
    assert second.terminate(timeout=3) == 0


def test_mark_handled_from_dunst_is_recorded_and_silences_the_finding(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str, inventory_path: Path
) -> None:
    add_power_bank()
    first = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    first.wait_for_scan()
    [call] = notify_calls.wait_for(1)
    check_notification(call, shipped_rule(POWER_BANK_RULE), "Recalled: Anker 321 Power Bank", CRITICAL)
    dunst.choose("Mark handled")

    def recorded() -> bool:
        item = tomli.loads(inventory_path.read_text())["items"]["power-bank"]
        return POWER_BANK_RULE in item.get("handled", {})

    until(recorded, "the inventory to record the finding as handled", timeout=10)
    handled = tomli.loads(inventory_path.read_text())["items"]["power-bank"]["handled"][POWER_BANK_RULE]
    assert handled["status"] == "checked"
    assert "desktop notification" in handled["reason"]
    assert first.terminate() == 0
    second = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    second.wait_for_scan()
    assert findings(second)[("power-bank", POWER_BANK_RULE)]["handled"]["status"] == "checked"
    assert len(settle_calls(notify_calls.calls)) == 1
    assert second.terminate() == 0


def test_a_finding_acknowledged_before_the_start_is_never_notified(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str
) -> None:
    add_power_bank()
    cli("ack", "power-bank", POWER_BANK_RULE, "--as", "disposed")
    agent = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    agent.wait_for_scan()
    # The rule still matches (the report says so); only the notification is left out.
    assert findings(agent)[("power-bank", POWER_BANK_RULE)]["handled"]["status"] == "disposed"
    agent.rescan()
    assert settle_calls(notify_calls.calls) == []
    assert agent.terminate() == 0


@pytest.mark.parametrize("missing", ["bus", "server"])
def test_without_a_session_bus_or_server_the_finding_goes_to_stderr_and_the_agent_carries_on(
    agents: AgentFactory, request: pytest.FixtureRequest, missing: str
) -> None:
    add_power_bank()
    env = agent_env() if missing == "bus" else desktop(request.getfixturevalue("session_bus"))
    agent = agents([*RUN, "--no-usb"], env=env)
    agent.wait_for_scan()
    agent.rescan()
    agent.rescan()
    lines = [line for line in agent.stderr().splitlines() if "recall: Anker 321 Power Bank" in line]
    assert len(lines) == 1, agent.stderr()
    assert f"rule={POWER_BANK_RULE}" in lines[0] and "hazard: " in lines[0] and "what to do: " in lines[0]
    assert agent.alive()
    assert agent.terminate() == 0
