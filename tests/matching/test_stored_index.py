"""The indexed rule cache finds exactly what the index built in memory finds: every real record converted,
the shipped rules, the typed-entry cases and the household, each item as typed and without its model."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from agent.matching import gate
from agent.matching.brands import Relation
from agent.matching.filing import Filing, Ref, file_rules
from agent.matching.finding import Finding
from agent.matching.identify import relation_to
from agent.matching.item_view import ItemView, view
from agent.matching.matcher import Index, RuleIndex, evaluate
from agent.matching.stored_index import StoredIndex
from agent.model import Item
from agent.record import replace
from agent.rules import indexed
from agent.rules.cache import header, open_trusted
from agent.rules.codec import CodecError
from agent.rules.load import RuleSet, load_rules
from agent.rules.schema import Rule
from matching.realdata import feed_rules, household, typed_cases

SHIPPED = Path(__file__).resolve().parents[2] / "rules"
TODAY = dt.date(2026, 6, 1)


@functools.lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    return (*load_rules([(SHIPPED, "shipped")]).rules, *feed_rules())


@functools.lru_cache(maxsize=1)
def items() -> tuple[Item, ...]:
    typed = [case.item for case in typed_cases()] + household()
    bare = [replace(i, id=f"{i.id}-bare", model="") for i in typed]
    named = [replace(i, id=f"{i.id}-named", name=f"{i.brand} {i.name} {i.model}", brand="") for i in typed]
    return (*typed, *bare, *named)


def _from_file(tmp_path: Path, data: bytes) -> StoredIndex:
    """The index read back from a cache file, the way a scan reads it."""
    path, head = tmp_path / "rules.db", header(["test"], indexed.FORMAT)
    path.write_bytes(head + data)
    path.chmod(0o600)
    fd = open_trusted(path)
    assert fd is not None
    ruleset = indexed.from_file(fd, head, path, 1 << 30)
    assert ruleset.stored is not None
    return StoredIndex(ruleset.stored)


@pytest.fixture(scope="module")
def memory() -> RuleIndex:
    return RuleIndex(rules())


@functools.lru_cache(maxsize=1)
def _filing() -> Filing:
    return file_rules(rules())


@pytest.fixture(scope="module")
def expected(memory: RuleIndex) -> list[list[Finding]]:
    return _findings(memory)


def _layout(drop: str = "") -> bytes:
    filing = _filing()
    if drop:
        kept = {k: v for k, v in filing.buckets.items() if not k.startswith(drop)}
        filing = replace(filing, buckets=kept)
    return indexed.layout(RuleSet(rules(), (), 0), filing)


def _findings(index: Index) -> list[list[Finding]]:
    return [index.item_findings(item) for item in items()]


def test_the_indexed_cache_finds_what_the_index_in_memory_finds(
    tmp_path: Path, memory: RuleIndex, expected: list[list[Finding]]
) -> None:
    index = _from_file(tmp_path, _layout())
    assert sum(map(len, expected)) > 300  # the cases really find things
    assert _findings(index) == expected
    assert index.match(items(), TODAY) == memory.match(items(), TODAY)
    assert list(index.rules) == list(memory.rules) and list(index.superseded) == list(memory.superseded)
    assert len(index.superseded) > 0


def test_a_fresh_index_matches_one_read_back_one_item_at_a_time(memory: RuleIndex) -> None:
    ruleset = indexed.from_bytes(_layout(), header(["test"], indexed.FORMAT), Path("unused.db"))
    assert ruleset.stored is not None
    index = StoredIndex(ruleset.stored)  # nothing prepared: each bucket is read when asked for
    for item in items()[::7]:
        assert index.item_findings(item) == memory.item_findings(item)


@pytest.mark.parametrize("kind", ["m:", "w:", "wm:", "b:"])
def test_the_comparison_notices_a_missing_kind_of_key(tmp_path: Path, expected: list[list[Finding]], kind: str) -> None:
    """Each of these kinds of key matters for the cases, so a cache that lost one could not pass the test above."""
    assert _findings(_from_file(tmp_path, _layout(drop=kind))) != expected


class _Gated(RuleIndex):
    """The index in memory, with each candidate the gate rules out kept aside."""

    def __init__(self, given: tuple[Rule, ...]) -> None:
        super().__init__(given)
        self.ruled_out: list[tuple[ItemView, Ref]] = []

    def may_identify(self, ref: Ref, seen: ItemView) -> bool:
        rule, product = self.entry(ref)
        found = gate.gate_of(rule, product)
        if gate.admits(seen, gate.mark_of(product, found), lambda: _given(found)):
            return True
        self.ruled_out.append((seen, ref))
        return False


def test_the_gate_rules_out_only_candidates_that_identify_nothing(expected: list[list[Finding]]) -> None:
    index = _Gated(rules())
    assert _findings(index) == expected
    assert len(index.ruled_out) > 2000  # the gate does rule out much of what names and brands lead to (2,834)
    for seen, ref in index.ruled_out:
        rule, product = index.entry(ref)
        assert evaluate(seen.item, rule, product, seen) is None, (seen.item, rule.id)


def _given(found: gate.Gate | None) -> gate.Gate:
    assert found is not None  # a product without a gate is marked open, and its gate never asked for
    return found


_ADMITS = gate.admits
_MAY_HINT = gate._may_hint


def _same_brand_only(
    seen: ItemView, implied: frozenset[str], declared: frozenset[str], *rest: Any
) -> tuple[Relation | None, bool]:
    """A gate that takes a parent brand, a typo or a longer name of the brand for another brand."""
    relation, known = relation_to(seen, implied, declared, *rest)
    return (relation if relation is Relation.SAME else None), known


def _no_brand_in_the_name(seen: ItemView, mark: str, found: Callable[[], gate.Gate]) -> bool:
    """A gate that does not see a brand of the notice in the item's name."""
    return _ADMITS(replace(seen, name_brands=frozenset()), mark, found)


def _no_kind_hints(seen: ItemView, every: str, distinctive: str) -> bool:
    return _MAY_HINT(replace(seen, typed_model="-"), every, distinctive)


def _no_name_hints(seen: ItemView, every: str, distinctive: str) -> bool:
    return not seen.typed_model and seen.words.issuperset(every.split(gate.SEPARATOR) if every else [])


@pytest.mark.parametrize(
    "stricter",
    [
        pytest.param(("relation_to", _same_brand_only), id="same-brand-only"),
        pytest.param(("admits", _no_brand_in_the_name), id="no-brand-in-the-name"),
        pytest.param(("_may_hint", _no_kind_hints), id="no-kind-hints"),
        pytest.param(("_may_hint", _no_name_hints), id="no-name-hints"),
    ],
)
def test_the_comparison_notices_a_gate_that_rules_out_too_much(
    tmp_path: Path, expected: list[list[Finding]], monkeypatch: pytest.MonkeyPatch, stricter: tuple[str, object]
) -> None:
    """Each part of the gate lets through candidates the cases find things with: a gate that ruled out one
    of them could not pass the tests above."""
    name, replacement = stricter
    monkeypatch.setattr(gate, name, replacement)
    monkeypatch.setattr("agent.matching.stored_index.admits", gate.admits)  # the name it was imported under
    assert _findings(_from_file(tmp_path, _layout())) != expected


def test_a_bucket_query_that_fails_leaves_nothing_behind() -> None:
    """A damaged cache raises where its buckets are read; asked again, the index asks again instead of
    answering from placeholders the failed query left (a daemon keeps its index across scans)."""
    ruleset = indexed.from_bytes(_layout(), header(["test"], indexed.FORMAT), Path("unused.db"))
    assert ruleset.stored is not None
    stored = ruleset.stored
    index = StoredIndex(stored)
    key = index.keys(view(household()[0]))[0][0]
    real, calls = stored.buckets, list[set[str]]()

    def failing_once(keys: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        calls.append(set(keys))
        if len(calls) == 1:
            raise CodecError("a damaged bucket")
        return real(keys)

    stored.buckets = failing_once  # type: ignore[method-assign]
    with pytest.raises(CodecError):
        index.bucket(key)
    assert index.bucket(key) == real({key}).get(key, ())
    assert len(calls) == 2
