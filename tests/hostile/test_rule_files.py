"""Rule files of any shape: the loader never raises, and every problem is one safe line naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hostile.hostile_support import (
    HOSTILE,
    TEXT,
    assert_one_line_naming,
    dump_toml,
    mutate,
    mutations,
    toml_tables,
    toml_values,
)
from hypothesis import given
from hypothesis import strategies as st

from agent.rules.load import load_rules
from agent.tomlio import parse_toml

VALID_RULE = (Path(__file__).parent / "fuzz" / "seeds_rules" / "valid.toml").read_text(encoding="utf-8")
RULE_KEYS = list(parse_toml(VALID_RULE, Path("valid.toml")))


def _load(text: str | bytes) -> tuple[int, tuple[str, ...], str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rule.toml"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(text)
        ruleset = load_rules([(Path(folder), "extra")])
        return len(ruleset.rules), tuple(map(str, ruleset.problems)), str(path)


def _check(text: str | bytes) -> None:
    rules, problems, path = _load(text)
    for problem in problems:
        assert_one_line_naming(problem, path)
    assert rules + bool(problems) >= 1, "a file is either a rule or a reason"


def test_the_valid_rule_loads() -> None:
    assert _load(VALID_RULE)[:2] == (1, ())


@HOSTILE
@given(toml_tables())
def test_any_toml_document(document: dict[str, Any]) -> None:
    text = dump_toml(document)
    if text is not None:
        _check(text)


@HOSTILE
@given(st.data())
def test_a_valid_rule_with_one_field_replaced_or_removed(data: st.DataObject) -> None:
    document = parse_toml(VALID_RULE, Path("valid.toml"))
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(RULE_KEYS))
        if data.draw(st.booleans()):
            document.pop(key, None)
        else:
            document[key] = data.draw(toml_values())
    if data.draw(st.booleans()):
        document[data.draw(TEXT)] = data.draw(toml_values())
    text = dump_toml(document)
    if text is not None:
        _check(text)


@HOSTILE
@given(mutations())
def test_text_mutations_of_a_valid_rule(edits: list[tuple[int, int, str]]) -> None:
    _check(mutate(VALID_RULE, edits))


@HOSTILE
@given(st.binary(max_size=400) | st.binary(max_size=40).map(lambda b: VALID_RULE.encode()[:300] + b))
def test_arbitrary_bytes(data: bytes) -> None:
    _check(data)
