"""A household of 300 real gadgets that are not recalled raises no notification against every real record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from agent.matching.matcher import RuleIndex
from agent.model import Item
from agent.record import replace
from agent.rules.load import load_rules
from matching.realdata import feed_rules, household

SHIPPED = Path(__file__).resolve().parents[2] / "rules"


def as_typed(items: list[Item], way: str) -> list[Item]:
    if way == "no model":  # people often leave the model out
        return [replace(i, model="") for i in items]
    if way == "all in the name":  # or type everything into the name
        return [replace(i, name=f"{i.brand} {i.name} {i.model}", brand="", model="") for i in items]
    return items


@pytest.fixture(scope="module")
def index() -> RuleIndex:
    rules = (*load_rules([(SHIPPED, "shipped")]).rules, *feed_rules())
    assert len(feed_rules()) > 1400  # 818 website records and the older API samples, converted
    return RuleIndex(rules)


def test_the_household_is_real_sized() -> None:
    items = household()
    assert len(items) >= 300
    assert len({(i.brand.casefold(), i.model.casefold()) for i in items}) == len(items)


@pytest.mark.slow
@pytest.mark.parametrize("way", ["as written", "no model", "all in the name"])
def test_no_notification_for_gadgets_that_are_not_recalled(index: RuleIndex, way: str) -> None:
    findings = index.match(as_typed(household(), way), dt.date(2026, 11, 25))
    alarms = [f"{f.item.name} / {f.item.brand} / {f.item.model} -> {f.rule.id}" for f in findings if f.serious]
    assert alarms == []
