"""A finding that went only to the log, because no notification server answered, reaches the desktop once
a server appears: for the user unit's `run` and for the per-user `notifier` of a system install.

A private session bus without dunst at first; dunst (under Xvfb) is started while the agent runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from daemon.agents import AgentFactory, agent_env, cli, settle_calls
from notify.dunst import Dunst, NotifyCalls

from agent.daemon.published import render_published
from agent.matching.matcher import RuleIndex
from agent.model import Item
from agent.paths import shipped_rules_dir
from agent.rules.load import load_rules

pytestmark = pytest.mark.slow

POWER_BANK = ("Anker 321 Power Bank", "--brand", "Anker", "--model", "A1112")
LOGGED = "recall: Anker 321 Power Bank"


def test_the_user_unit_shows_on_the_desktop_what_it_logged_before_the_desktop_came(
    agents: AgentFactory,
    session_bus: str,
    dunst_factory: Callable[[str], Dunst],
    notify_calls: NotifyCalls,
) -> None:
    cli("inventory", "add", *POWER_BANK, "--id", "power-bank")
    env = agent_env(DBUS_SESSION_BUS_ADDRESS=session_bus)
    agent = agents(["run", "--no-network", "--no-usb", "--debounce", "0.3", "-v"], env=env)
    agent.wait_for_scan()
    agent.wait_for_stderr(LOGGED)
    assert notify_calls.calls() == []
    dunst_factory("full")
    [call] = notify_calls.wait_for(1, timeout=25)  # the server is looked for every 10 s
    assert "Anker 321 Power Bank" in call[3]
    agent.rescan()
    assert len(settle_calls(notify_calls)) == 1
    assert agent.stderr().count(LOGGED) == 1
    assert agent.terminate() == 0
    again = agents(["run", "--no-network", "--no-usb", "--debounce", "0.3"], env=env)
    again.wait_for_scan()
    assert len(settle_calls(notify_calls, 1.0)) == 1  # shown on the desktop now: not again
    assert again.terminate() == 0


def test_the_per_user_notifier_shows_on_the_desktop_what_it_logged_before_the_desktop_came(
    agents: AgentFactory,
    session_bus: str,
    dunst_factory: Callable[[str], Dunst],
    notify_calls: NotifyCalls,
    tmp_path: Path,
) -> None:
    rules = RuleIndex(load_rules([(shipped_rules_dir(), "shipped")]).rules)
    bank = Item(id="power-bank", name="Anker 321 Power Bank", brand="Anker", model="A1112")
    findings = tmp_path / "system" / "findings.json"
    findings.parent.mkdir()
    findings.write_text(render_published(rules.match([bank], dt.date(2025, 1, 1))), encoding="utf-8")
    env = agent_env(DBUS_SESSION_BUS_ADDRESS=session_bus)
    relay = agents(["notifier", "--findings", str(findings), "--interval", "0.2", "-v"], env=env)
    relay.wait_for_stderr(LOGGED)
    assert notify_calls.calls() == []
    dunst_factory("full")
    [call] = notify_calls.wait_for(1, timeout=25)
    assert "Anker 321 Power Bank" in call[3]
    assert len(settle_calls(notify_calls, 1.0)) == 1
    assert relay.stderr().count(LOGGED) == 1
    assert relay.terminate() == 0
