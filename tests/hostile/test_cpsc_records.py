"""CPSC API records of any shape become a rule that the rule loader accepts, or a clear FeedError."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hostile.hostile_support import HOSTILE, TEXT, assert_one_line_naming
from hypothesis import given
from hypothesis import strategies as st

from agent.feeds import FeedError, cache, cpsc
from agent.rules.load import load_file

SAMPLE = Path(__file__).parents[1] / "feeds" / "data" / "cpsc-recall-7938.json"
RECORD: Mapping[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))[0]
KEYS = sorted(RECORD)
REQUIRED = ("RecallNumber", "Title", "RecallDate")  # what every rule needs: the converter stops without them
OTHER_KEYS = [k for k in KEYS if k not in REQUIRED]

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT | st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=15,
)
DATES = st.one_of(st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()), TEXT, JSON)
LISTS_OF_RECORDS = {
    "Products",
    "Hazards",
    "Remedies",
    "RemedyOptions",
    "Manufacturers",
    "Importers",
    "Distributors",
    "Images",
    "ProductUPCs",
    "Retailers",
    "ManufacturerCountries",
    "Injuries",
}


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A real record with some fields replaced by anything JSON can hold, the nested lists included."""
    record: dict[str, Any] = json.loads(json.dumps(RECORD))
    # Mostly the fields past the first guard, so that most records reach the conversion itself.
    keys = st.sampled_from(KEYS) if draw(st.integers(0, 9)) == 0 else st.sampled_from(OTHER_KEYS)
    for key in draw(st.lists(keys, max_size=6)):
        if key in LISTS_OF_RECORDS and draw(st.booleans()):
            entry_keys = st.sampled_from(
                ["Name", "Model", "Description", "Caption", "UPC", "HazardType", "Option", "NumberOfUnits", "Type"]
            )
            record[key] = draw(st.lists(st.dictionaries(entry_keys, TEXT | JSON, max_size=4), max_size=3))
        elif key in ("RecallDate", "LastPublishDate"):
            record[key] = draw(DATES)
        elif draw(st.booleans()):
            record[key] = draw(TEXT)
        else:
            record[key] = draw(JSON)
    for key in draw(st.lists(keys, max_size=3)):
        record.pop(key, None)
    return record


@st.composite
def new_records(draw: st.DrawFn) -> dict[str, Any]:
    """Any object with the fields every rule needs, so that the rest of it meets the conversion code."""
    record: dict[str, Any] = draw(st.dictionaries(TEXT | st.sampled_from(OTHER_KEYS), JSON, max_size=10))
    record["RecallNumber"] = draw(st.from_regex(r"[0-9]{2}-?[0-9]{3}", fullmatch=True) | TEXT)
    record["Title"] = draw(TEXT.filter(str.strip) | st.just("CPSC Warns Consumers to Stop Using Heaters"))
    record["RecallDate"] = draw(st.dates().map(str) | st.datetimes().map(lambda d: d.isoformat()))
    return record


def _as_rule_file(rule: Mapping[str, Any]) -> tuple[str, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / cache.file_name(rule)
        path.write_text(cache.rule_to_toml(rule), encoding="utf-8")
        loaded, problems = load_file(path, "feed")
        assert loaded is not None or problems
        return str(path), [str(p) for p in problems]


def _convert(record: Mapping[str, Any]) -> bool:
    """True when the record became a rule (which the loader must accept), False for a clear refusal."""
    try:
        rule = cpsc.rule_from_record(record)
    except FeedError as e:
        assert "\n" not in str(e)
        assert str(e).startswith("CPSC record ")
        return False
    problems = _as_rule_file(rule)[1]
    assert problems == [], problems  # the converter writes only rules the loader accepts
    return True


def test_the_sample_record_converts() -> None:
    _convert(RECORD)


@HOSTILE
@given(records())
def test_mutated_records(record: dict[str, Any]) -> None:
    _convert(record)


@HOSTILE
@given(st.dictionaries(TEXT | st.sampled_from(KEYS), JSON, max_size=10) | new_records())
def test_arbitrary_objects(record: dict[str, Any]) -> None:
    _convert(record)


def test_most_generated_records_reach_the_conversion() -> None:
    """A generator whose records all stop at the first missing-field guard tests nothing past it."""
    for strategy in (records(), new_records()):
        outcomes: list[bool] = []
        _count_conversions(strategy, outcomes)
        assert sum(outcomes) >= len(outcomes) // 2, f"{sum(outcomes)} of {len(outcomes)} records became rules"


def _count_conversions(strategy: st.SearchStrategy[dict[str, Any]], outcomes: list[bool]) -> None:
    @HOSTILE
    @given(strategy)
    def convert(record: dict[str, Any]) -> None:
        outcomes.append(_convert(record))

    convert()


@HOSTILE
@given(
    st.binary(max_size=300)
    | JSON.map(lambda v: json.dumps(v).encode())
    | st.lists(records(), max_size=3).map(lambda r: json.dumps(r).encode())
)
def test_arbitrary_responses(raw: bytes) -> None:
    """A response is a list of records or a one-line FeedError; every record is a rule or a skip reason."""
    try:
        found = cpsc.parse_response(raw, "response")
    except FeedError as e:
        assert_one_line_naming(str(e), "response")
        return
    rules, skipped = cpsc.rules_from_records(found)
    assert len(rules) + len(skipped) == len(found)
    for rule in rules:
        assert _as_rule_file(rule)[1] == []
