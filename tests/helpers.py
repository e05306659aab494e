"""Small builders shared by the tests."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from agent.fields import Problems
from agent.rules.parse import rule_from_table
from agent.rules.schema import Rule
from agent.tomlio import parse_toml

RULE_HEAD = """
id = "{id}"
title = "Test rule {id}"
kind = "{kind}"
published = 2024-06-06
url = "https://example.org/notice/{id}"
hazard = "The battery can overheat and catch fire."
hazards = ["fire"]
remedy = "Stop using it."
check = "Look at the label on the bottom."
certainty = "{certainty}"

[issuer]
name = "Example Firm"
type = "manufacturer"
"""


def rule(products: str, rule_id: str = "test-rule", kind: str = "recall", certainty: str = "exact") -> Rule:
    """A Rule through the real parser, from the TOML of its [[products]] blocks."""
    text = RULE_HEAD.format(id=rule_id, kind=kind, certainty=certainty) + textwrap.dedent(products)
    problems = Problems("test.toml")
    parsed = rule_from_table(parse_toml(text, Path("test.toml")), "test.toml", problems, "extra")
    assert not problems.items, problems.items
    assert parsed is not None
    return parsed


def rule_text(rule_id: str, products: str, **extra: Any) -> str:
    head = RULE_HEAD.format(id=rule_id, kind=extra.get("kind", "recall"), certainty="exact")
    return head + textwrap.dedent(products)
