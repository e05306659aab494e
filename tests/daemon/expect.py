"""What one notification for a rule must look like, taken from the rule file itself."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import tomli

from agent.paths import shipped_rules_dir

CONFIRMED_ACTIONS = [
    "default",
    "Open the notice",
    "open",
    "What to do",
    "returned",
    "Done: returned",
    "disposed",
    "Done: disposed",
    "repaired",
    "Done: repaired",
    "later",
    "Remind me later",
]
LIKELY_ACTIONS = [
    "default",
    "Open the notice",
    "check",
    "Check my unit",
    "checked",
    "Not affected",
    "later",
    "Remind me later",
]
CRITICAL, NORMAL = 2, 1
BODY_LIMIT = 200
# Link text of any shape: written out, bare domains, mail addresses.
LINK_TEXT = re.compile(r"https?://|www\.|@|\b[\w-]+\.(?:com|org|gov|net|ca|uk|au)\b", re.IGNORECASE)


def shipped_rule(name: str) -> Path:
    return Path(shipped_rules_dir(), f"{name}.toml")


def visible(body: str) -> str:
    """What a person reads of a markup body."""
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _from_rule(line: str, source: str) -> bool:
    """``line`` is a run of the rule's own words (a cut may add a full stop or an ellipsis)."""
    return _words(line.rstrip(".…")) in _words(source)


def check_notification(
    call: tuple[Any, ...], rule_file: Path, summary: str, urgency: int, confidence: str = "confirmed"
) -> list[str]:
    """One recorded Notify call: summary, a short link-free body from the rule's words, urgency, actions.

    Returns the body's lines as a person reads them.
    """
    rule = tomli.loads(rule_file.read_text(encoding="utf-8"))
    app, _replaces, icon, got_summary, body, actions, hints, timeout = call
    assert (app, icon, timeout) == ("recall-agent", "dialog-warning-symbolic", 0)  # 0: stays until answered
    assert got_summary == summary
    shown = visible(body)
    assert len(shown) <= BODY_LIMIT, shown
    assert not LINK_TEXT.search(shown), shown
    lines = shown.splitlines()
    assert len(lines) == 2, lines
    if confidence == "confirmed":
        assert _from_rule(lines[0], rule["hazard"]), lines[0]
        assert _from_rule(lines[1], rule["remedy"]), lines[1]
    else:
        assert lines[0].startswith("Check "), lines[0]
        why = lines[1].removeprefix("If affected: ")
        assert why.startswith("If ") or lines[1].startswith("If affected: "), lines[1]
        assert _from_rule(why, rule["hazard"]), lines[1]
    assert hints["urgency"] == ("y", urgency)
    assert hints["desktop-entry"] == ("s", "recall-agent")
    assert actions == (CONFIRMED_ACTIONS if confidence == "confirmed" else LIKELY_ACTIONS)
    return lines
