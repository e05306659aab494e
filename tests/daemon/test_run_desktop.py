"""`recall-agent run` end to end: a private session bus, dunst under Xvfb, and the agent as a subprocess.

Each test counts the Notify calls dbus-monitor recorded on the bus: exactly one per (item, recall), none
again after a rescan or a restart, none once the finding is acknowledged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import tomli
from daemon.agents import Agent, AgentFactory, agent_env, cli, settle_calls, until
from daemon.expect import CRITICAL, NORMAL, check_notification, shipped_rule
from daemon.sysfs import ANKER_NAME, SysfsCopy
from notify.dunst import Dunst, NotifyCalls

pytestmark = pytest.mark.slow

RUN = ["run", "--no-network", "--debounce", "0.3", "-v"]
POWER_BANK_RULE = "anker-2024-321-power-bank"
SPEAKERPHONE_RULE = "anker-2024-powerconf-s3"
LIKELY_RULE = "anker-2025-powercore-10000-a1263"
POWER_BANK = ("Anker 321 Power Bank", "--brand", "Anker", "--model", "A1112")
BIG_BANK = ("Anker PowerCore 10000", "--brand", "Anker", "--model", "A1263")  # the serial decides: likely


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
    check_notification(call, shipped_rule(SPEAKERPHONE_RULE), f"Recalled: {ANKER_NAME} (fire hazard)", CRITICAL)
    agent.rescan()
    assert len(settle_calls(notify_calls)) == 1
    assert agent.terminate() == 0


def test_a_recalled_item_added_to_the_inventory_while_running_is_notified_once(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str, inventory_path: Path
) -> None:
    agent = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    agent.wait_for_scan()
    assert notify_calls.calls() == []
    cli("inventory", "add", *POWER_BANK)
    [call] = notify_calls.wait_for(1, timeout=12)  # the inventory file is looked at every 5 s
    check_notification(call, shipped_rule(POWER_BANK_RULE), "Recalled: Anker 321 Power Bank (fire hazard)", CRITICAL)
    agent.rescan()
    assert len(settle_calls(notify_calls)) == 1
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
    check_notification(call, shipped_rule(SPEAKERPHONE_RULE), f"Recalled: {ANKER_NAME} (fire hazard)", CRITICAL)
    assert first.terminate(timeout=3) == 0
    add_power_bank()  # a new finding for the second run: it must still notify what is new
    second = agents(args, env=desktop(session_bus))
    second.wait_for_scan()
    calls = settle_calls(notify_calls)
    assert [c[3] for c in calls] == [
        f"Recalled: {ANKER_NAME} (fire hazard)",
        "Recalled: Anker 321 Power Bank (fire hazard)",
    ]
    assert {key[1] for key in findings(second)} == {SPEAKERPHONE_RULE, POWER_BANK_RULE}
    assert second.terminate(timeout=3) == 0


def shown_id(agent: Agent, rule: str) -> int:
    """The id the server gave the notification of ``rule``, from the agent's log of what it showed (-v)."""
    agent.wait_for_stderr(f"/ {rule} (")
    found = re.search(rf"notified \S+ / {re.escape(rule)} \(.*?\) as #(\d+)", agent.stderr())
    assert found, agent.stderr()
    return int(found.group(1))


def handled(inventory: Path, item: str) -> dict[str, Any]:
    return dict(tomli.loads(inventory.read_text())["items"][item].get("handled", {}))


@pytest.mark.parametrize(
    ("item", "rule", "label", "status"),
    [
        (POWER_BANK, POWER_BANK_RULE, "Done: returned", "returned"),
        (POWER_BANK, POWER_BANK_RULE, "Done: disposed", "disposed"),
        (POWER_BANK, POWER_BANK_RULE, "Done: repaired", "repaired"),
        (BIG_BANK, LIKELY_RULE, "Not affected", "checked"),
    ],
)
def test_an_answer_on_the_notification_records_its_honest_state_closes_it_and_silences_the_finding(
    *,
    agents: AgentFactory,
    dunst: Dunst,
    notify_calls: NotifyCalls,
    session_bus: str,
    inventory_path: Path,
    item: tuple[str, ...],
    rule: str,
    label: str,
    status: str,
) -> None:
    cli("inventory", "add", *item, "--id", "bank")
    first = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    first.wait_for_scan()
    [call] = notify_calls.wait_for(1)
    if rule == LIKELY_RULE:
        lines = check_notification(
            call, shipped_rule(rule), "Check your Anker PowerCore 10000 (A1263): may be recalled", NORMAL, "likely"
        )
        assert "serial number" in lines[0] and "“Check my unit”" in lines[0]
    else:
        check_notification(call, shipped_rule(rule), "Recalled: Anker 321 Power Bank (fire hazard)", CRITICAL)
    notification_id = shown_id(first, rule)
    dunst.choose(label)
    until(lambda: rule in handled(inventory_path, "bank"), f"the inventory to record {status}", timeout=10)
    record = handled(inventory_path, "bank")[rule]
    assert record["status"] == status and "desktop notification" in record["reason"]
    until(lambda: notify_calls.closes() == [notification_id], "CloseNotification after the answer", timeout=10)
    until(lambda: dunst.displayed() == 0, "dunst to take the notification down", timeout=10)
    until(lambda: len(notify_calls.confirmations()) == 1, "the confirmation after the answer")
    [confirmation] = notify_calls.confirmations()
    want = "Recorded as not affected." if status == "checked" else f"Recorded as {status}."
    assert confirmation[4] == want
    first.wait_for_stderr(f"action {status!r} ({label}) on #{notification_id} for bank / {rule}")
    first.wait_for_stderr(f"recorded bank / {rule} as {status} in the inventory")
    assert first.terminate() == 0
    second = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    second.wait_for_scan()
    assert ("bank", rule) not in findings(second)  # handled: no longer published for the notifiers
    assert len(settle_calls(notify_calls)) == 1
    assert second.terminate() == 0


def test_remind_me_later_records_nothing_closes_the_notification_and_keeps_the_finding_due(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str, inventory_path: Path
) -> None:
    add_power_bank()
    agent = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    agent.wait_for_scan()
    notify_calls.wait_for(1)
    dunst.choose("Remind me later")
    until(lambda: len(notify_calls.closes()) == 1, "CloseNotification after the answer", timeout=10)
    until(lambda: len(notify_calls.confirmations()) == 1, "the confirmation after the answer")
    [confirmation] = notify_calls.confirmations()
    assert confirmation[4] == "You will be reminded tomorrow."
    state = json.loads((agent.state_dir / "notified.json").read_text())["notices"]
    [record] = [n for n in state if n["rule"] == POWER_BANK_RULE]
    assert record["remind_at"] and record["acknowledged"] is None
    assert handled(inventory_path, "power-bank") == {}  # nothing was done about the power bank
    agent.rescan()
    assert len(settle_calls(notify_calls)) == 1  # quiet until tomorrow
    assert ("power-bank", POWER_BANK_RULE) in findings(agent)  # still open, still published
    assert agent.terminate() == 0


def test_a_finding_acknowledged_before_the_start_is_never_notified(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str
) -> None:
    add_power_bank()
    cli("ack", "power-bank", POWER_BANK_RULE, "--as", "disposed")
    agent = agents([*RUN, "--no-usb"], env=desktop(session_bus))
    agent.wait_for_scan()
    # Handled before the start: neither notified nor published for the per-user notifiers.
    assert ("power-bank", POWER_BANK_RULE) not in findings(agent)
    agent.rescan()
    assert settle_calls(notify_calls) == []
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
