"""The plain rule cache keeps what matching reads from each product, so a start does not work it out again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.matching import product_facts
from agent.paths import shipped_rules_dir
from agent.rules import cache as rule_cache
from agent.rules.cache import load_cached
from agent.rules.codec import CodecError
from agent.rules.load import load_rules


def test_facts_come_from_the_cache_equal_to_worked_out_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders, cache = [(shipped_rules_dir(), "shipped")], tmp_path / "rules.json"
    load_cached(folders, cache)  # writes the cache
    work_out = product_facts._facts

    def not_here(*args: object) -> None:
        raise AssertionError("the rule files were parsed, or facts worked out, although the cache holds them")

    monkeypatch.setattr(rule_cache, "load_rules", not_here)
    monkeypatch.setattr(product_facts, "_facts", not_here)
    ruleset = load_cached(folders, cache)  # reads it
    worked_out = {
        (rule.id, n): work_out(rule, product) for rule in ruleset.rules for n, product in enumerate(rule.products)
    }
    cached = {
        (rule.id, n): product_facts.facts(rule, product)
        for rule in ruleset.rules
        for n, product in enumerate(rule.products)
    }
    assert cached == worked_out and len(cached) >= 40


@pytest.mark.parametrize(
    "damage",
    [
        lambda body: body.pop("facts"),
        lambda body: body["facts"].pop(),  # one rule's facts missing
        lambda body: body["facts"][0].append(body["facts"][0][0]),  # a product too many
        lambda body: body["facts"][0][0].__setitem__(0, 7),  # brand keys that are no text
        lambda body: body["facts"].__setitem__(0, {"__reduce__": "os.system"}),
    ],
)
def test_damaged_facts_make_the_cache_unusable(damage: object) -> None:
    ruleset = load_rules([(shipped_rules_dir(), "shipped")])
    body = json.loads(rule_cache.encode([], ruleset).split(b"\n", 1)[1])
    assert callable(damage)
    damage(body)
    with pytest.raises(CodecError):
        rule_cache.decode(json.dumps(body).encode())


def test_a_cache_with_damaged_facts_is_rebuilt_from_the_files(tmp_path: Path) -> None:
    folders, cache = [(shipped_rules_dir(), "shipped")], tmp_path / "rules.json"
    first = load_cached(folders, cache)
    head, body = cache.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    data["facts"] = data["facts"][1:]
    cache.write_bytes(head + b"\n" + json.dumps(data).encode())
    assert load_cached(folders, cache) == first
    assert len(json.loads(cache.read_bytes().split(b"\n", 1)[1])["facts"]) == len(first.rules)  # written anew
