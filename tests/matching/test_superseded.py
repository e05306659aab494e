"""A shipped rule that stands for a feed's record of the same recall must not lose what the record lists:
the feed rule is left out of matching, so a model only it names would never be found."""

from __future__ import annotations

from pathlib import Path

from agent.matching.recalls import recall_keys
from agent.rules.load import load_rules
from agent.rules.schema import Rule
from matching.realdata import feed_rules

RULES = Path(__file__).resolve().parents[2] / "rules"


def _lost_models(feed: Rule, curated: list[Rule]) -> list[str]:
    exact = {key for rule in curated for product in rule.products for key in product.model_keys}
    prefixes = [p for rule in curated for product in rule.products for p in product.model_prefixes]
    lost = {
        key
        for product in feed.products
        for key in product.model_keys
        if key not in exact and not any(key.startswith(p) for p in prefixes)
    }
    lost |= {p + "*" for product in feed.products for p in product.model_prefixes if p not in prefixes}
    return sorted(lost)


def test_a_shipped_rule_holds_every_model_of_the_record_it_supersedes() -> None:
    shipped = load_rules([(RULES, "shipped")]).rules
    by_recall: dict[str, list[Rule]] = {}
    for rule in shipped:
        for key in recall_keys(rule):
            by_recall.setdefault(key, []).append(rule)
    checked, lost = 0, {}
    for feed in feed_rules():
        curated = [rule for key in recall_keys(feed) for rule in by_recall.get(key, [])]
        if not curated:
            continue
        checked += 1
        missing = _lost_models(feed, curated)
        if missing:
            lost[feed.id] = (missing, sorted({r.id for r in curated}))
    assert checked >= 10, "the real records should meet the shipped rules' recall numbers"
    assert lost == {}, f"shipped rules lose models of the records they supersede: {lost}"
