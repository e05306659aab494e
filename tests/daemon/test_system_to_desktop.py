"""A system install end to end: `run --system` publishes findings, `notifier` shows them on the desktop.

The system service runs with systemd's STATE_DIRECTORY, CONFIGURATION_DIRECTORY and CACHE_DIRECTORY
pointed at temporary folders and logs its findings (no session bus); the per-user notifier reads the
published findings.json and notifies on the private session bus, remembering what it showed and what the
person answered in its own state under XDG_STATE_HOME.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from daemon.agents import AgentFactory, agent_env, cli, settle_calls, stamp, until
from daemon.expect import CRITICAL, NORMAL, check_notification, shipped_rule
from notify.dunst import Dunst, NotifyCalls

pytestmark = pytest.mark.slow

POWER_BANK_RULE = "anker-2024-321-power-bank"
LIKELY_RULE = "anker-2025-powercore-10000-a1263"


def test_the_system_services_finding_is_shown_once_on_the_desktop_and_an_answer_sticks(
    agents: AgentFactory, dunst: Dunst, notify_calls: NotifyCalls, session_bus: str, tmp_path: Path
) -> None:
    system = tmp_path / "system"
    folders = {
        name: system / name.split("_")[0].lower()
        for name in ("STATE_DIRECTORY", "CONFIGURATION_DIRECTORY", "CACHE_DIRECTORY")
    }
    for folder in folders.values():
        folder.mkdir(parents=True)
    system_env = agent_env(**{name: str(folder) for name, folder in folders.items()})
    state = folders["STATE_DIRECTORY"]
    inventory = state / "inventory.toml"
    cli(
        "inventory",
        "add",
        "Anker 321 Power Bank",
        "--brand",
        "Anker",
        "--model",
        "A1112",
        "--id",
        "power-bank",
        "--system",
        "--inventory",
        str(inventory),
        env=system_env,
    )
    service = agents(
        [
            "run",
            "--system",
            "--notify",
            "log",
            "--no-network",
            "--no-usb",
            "--debounce",
            "0.3",
            "--inventory",
            str(inventory),
        ],
        env=system_env,
        state_dir=state,
    )
    service.wait_for_scan()
    assert service.stderr().count("recall: Anker 321 Power Bank") == 1
    findings = state / "findings.json"
    assert os.stat(findings).st_mode & 0o777 == 0o644  # every desktop user's notifier may read it

    relay_args = ["notifier", "--findings", str(findings), "--interval", "0.2", "-v"]
    desktop_env = agent_env(DBUS_SESSION_BUS_ADDRESS=session_bus)
    notifier = agents(relay_args, env=desktop_env)
    [call] = notify_calls.wait_for(1)
    check_notification(call, shipped_rule(POWER_BANK_RULE), "Recalled: Anker 321 Power Bank (fire hazard)", CRITICAL)
    dunst.choose("Done: disposed")
    own_state = Path(os.environ["XDG_STATE_HOME"]) / "recall-agent" / "notifier.json"

    def acknowledged() -> bool:
        if not own_state.exists():
            return False
        notices = json.loads(own_state.read_text())["notices"]
        return any(n["rule"] == POWER_BANK_RULE and n["acknowledged"] for n in notices)

    until(acknowledged, "the notifier to record the acknowledgement")
    command = f"recall-agent ack --system power-bank {POWER_BANK_RULE} --as disposed"
    notifier.wait_for_stderr(command)
    notifier.wait_for_stderr("action 'disposed' (Done: disposed) on #")
    until(lambda: len(notify_calls.closes()) == 1, "the notifier to close the answered notification")
    until(lambda: len(notify_calls.confirmations()) == 1, "the confirmation after the answer")
    [confirmation] = notify_calls.confirmations()
    assert confirmation[4] == f"Hidden on this desktop. For the whole machine: {command}"
    assert notifier.terminate() == 0

    # After a restart of the notifier, only a new finding of the system service reaches the desktop.
    again = agents(relay_args, env=desktop_env)
    before = stamp(findings)
    cli(
        "inventory",
        "add",
        "Anker PowerCore 10000",
        "--brand",
        "Anker",
        "--model",
        "A1263",
        "--id",
        "big-bank",
        "--system",
        "--inventory",
        str(inventory),
        env=system_env,
    )
    service.wait_for_scan(after=before)  # the service notices the edit and publishes both findings
    calls = notify_calls.wait_for(2)
    assert [c[3] for c in settle_calls(notify_calls)] == [
        "Recalled: Anker 321 Power Bank (fire hazard)",
        "Check your Anker PowerCore 10000 (A1263): may be recalled",
    ]
    lines = check_notification(
        calls[1],
        shipped_rule(LIKELY_RULE),
        "Check your Anker PowerCore 10000 (A1263): may be recalled",
        NORMAL,
        "likely",
    )
    assert lines[0].startswith("Check ")
    assert again.terminate() == 0
    assert service.terminate() == 0
