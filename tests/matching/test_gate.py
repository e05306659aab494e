"""The gate of the indexed rule cache in the cases the real records do not reach: each one lets through a
candidate that only there gives a finding, so the stored index still finds what the index in memory finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write
from helpers import rule_text

from agent.matching import gate
from agent.matching.filing import file_rules
from agent.matching.matcher import RuleIndex
from agent.matching.stored_index import StoredIndex
from agent.model import Item
from agent.record import replace
from agent.rules import indexed
from agent.rules.cache import header
from agent.rules.codec import CodecError
from agent.rules.load import RuleSet, load_rules
from agent.rules.schema import Rule


def _rules(tmp_path: Path, product: str) -> tuple[Rule, ...]:
    write(tmp_path / "rules" / "r.toml", rule_text("gated", product))
    return tuple(load_rules([(tmp_path / "rules", "user")]).rules)


def _stored(rules: tuple[Rule, ...]) -> StoredIndex:
    data = indexed.layout(RuleSet(rules, (), 0), file_rules(rules))
    ruleset = indexed.from_bytes(data, header(["test"], indexed.FORMAT), Path("unused.db"))
    assert ruleset.stored is not None
    return StoredIndex(ruleset.stored)


def test_a_model_prefix_too_short_to_look_up_is_matched_by_any_code(tmp_path: Path) -> None:
    [rule] = _rules(tmp_path, '[[products]]\nname = "Acme Widget Heater"\nbrands = ["Acme"]\nmodels = ["ABX*"]\n')
    # The rule files refuse a prefix this short; a rule made some other way may still hold one.
    short = replace(rule, products=(replace(rule.products[0], model_prefixes=("AB",)),))
    item = Item(id="i", name="Widget heater", brand="Acme", model="AB1234")
    [found] = RuleIndex([short]).item_findings(item)
    assert "model AB1234" in found.evidence[0]
    assert _stored((short,)).item_findings(item) == [found]


def test_a_brand_that_gives_no_brand_key_is_not_taken_for_no_brand(tmp_path: Path) -> None:
    """An item branded "Inc.", no brand of its own, whose word the notice's name holds ("Inc Widget Gizmo")."""
    rules = _rules(tmp_path, '[[products]]\nname = "Inc Widget Gizmo"\nbrands = ["Zed"]\nmodels = ["Z100"]\n')
    item = Item(id="i", name="Widget gizmo", brand="Inc.")
    [found] = RuleIndex(rules).item_findings(item)
    assert "widget" in found.evidence[0] and "gizmo" in found.evidence[0]
    assert _stored(rules).item_findings(item) == [found]


def test_a_brand_holding_the_separator_leaves_its_product_ungated(tmp_path: Path) -> None:
    rules = _rules(tmp_path, '[[products]]\nname = "Widget Heater"\nbrands = ["Acme|Co"]\nmodels = ["W100"]\n')
    item = Item(id="i", name="Acme widget heater", brand="Acme|Co")
    [found] = RuleIndex(rules).item_findings(item)
    assert "widget heater" in found.evidence[0]
    assert _stored(rules).item_findings(item) == [found]


def test_gates_are_read_back_as_they_were_stored() -> None:
    e = gate.ELEMENT
    one: gate.Gate = ("acme", "acme", "Acme|Acme Co", f"{e}acme{e}", f"{e}heater|widget", f"{e}")
    empty: gate.Gate = ("", "", "", "", "", "")
    gates = [one, None, empty]
    assert gate.parsed(gate.stored(gates), 3) == gates
    assert gate.parsed(gate.stored([]), 0) == []


def test_a_gate_of_the_wrong_shape_is_refused() -> None:
    e = gate.ELEMENT
    text = gate.stored([("acme", "acme", "Acme", "", f"{e}heater", f"{e}heater")])
    bad = [
        (text, 2),  # another number of products
        (text.replace(gate.PART, "", 1), 1),  # a part missing
        (text.replace(e, "", 1), 1),  # a list part that does not begin with an element
        (text.replace(e + "heater", "", 1), 1),  # the words of one phrase, but not its distinctive words
    ]
    for found, count in bad:
        with pytest.raises(CodecError):
            gate.parsed(found, count)


def test_a_gate_holds_the_words_of_each_phrase_of_its_product(tmp_path: Path) -> None:
    [rule] = _rules(tmp_path, '[[products]]\nname = "Acme Widget Heater"\nbrands = ["Acme"]\nmodels = ["W100"]\n')
    found = gate.gate_of(rule, rule.products[0])
    assert found is not None
    implied, declared, listed, _, words, distinctive = found
    assert (implied, declared, listed) == ("acme", "acme", "Acme")
    assert words.split(gate.ELEMENT)[1:] == ["acme|heater|widget"]
    assert distinctive.split(gate.ELEMENT)[1:] == ["widget"]  # "heater" is a kind of thing: generic
