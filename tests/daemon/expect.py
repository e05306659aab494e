"""What one notification for a rule must look like, taken from the rule file itself."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import tomli

from agent.paths import shipped_rules_dir

ACTIONS = ["open", "Open notice", "handled", "Mark handled"]
CRITICAL = 2


def shipped_rule(name: str) -> Path:
    return shipped_rules_dir() / f"{name}.toml"


def check_notification(call: tuple[Any, ...], rule_file: Path, summary: str, urgency: int) -> None:
    """One recorded Notify call: summary, body (title, hazard, what to do, the notice's link), urgency, actions."""
    rule = tomli.loads(rule_file.read_text(encoding="utf-8"))
    app, _replaces, _icon, got_summary, body, actions, hints, _timeout = call
    assert app == "recall-agent"
    assert got_summary == summary
    lines = body.splitlines()
    assert lines[:3] == [
        html.escape(rule["title"], quote=False),
        f"Hazard: {html.escape(rule['hazard'], quote=False)}",
        f"What to do: {html.escape(rule['remedy'], quote=False)}",
    ]
    assert rule["url"] in lines[-1]
    assert hints["urgency"] == ("y", urgency)
    assert actions == ACTIONS
