"""Rule documents written by the feed's own TOML writer read back as the same data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import tomli
from hypothesis import given
from hypothesis import strategies as st

from agent.feeds import cpsc
from agent.feeds.cache import rule_to_toml
from agent.feeds.toml_out import document

DATA = Path(__file__).parent / "data"

texts = st.text(st.characters(codec="utf-8"), max_size=40)
keys = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12)
scalars = st.one_of(texts, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.dates())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=12)
tables = st.recursive(
    st.dictionaries(keys, values, max_size=5),
    lambda inner: st.dictionaries(keys, st.one_of(values, inner, st.lists(inner, min_size=1, max_size=3)), max_size=4),
    max_leaves=20,
)


def plain(data: Any) -> Any:
    """What TOML gives back: tuples as lists."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [plain(v) for v in data]
    return data


@given(tables)
def test_any_document_reads_back_the_same(doc: dict[str, Any]) -> None:
    assert tomli.loads(document(doc, "a comment\nwith a line break")) == plain(doc)


def test_every_converted_record_reads_back_as_the_rule_it_came_from() -> None:
    records = json.loads((DATA / "cpsc-recall-7938.json").read_text(encoding="utf-8"))
    rules, _ = cpsc.rules_from_records(records if isinstance(records, list) else [records])
    assert rules
    for rule in rules:
        text = rule_to_toml(rule)
        assert text.startswith("# Converted from U.S. Consumer Product Safety Commission data")
        assert tomli.loads(text) == plain(rule)


def test_the_layout_is_the_familiar_one() -> None:
    rule = {
        "id": "x-1",
        "published": dt.date(2024, 6, 6),
        "hazards": ["fire"],
        "issuer": {"name": 'A "B"', "type": "agency"},
        "products": [{"name": "P", "serial": {"ranges": [["A1", "A9"]]}, "usb": [{"vendor_id": "1d6b"}]}],
    }
    assert document(rule) == (
        'id = "x-1"\npublished = 2024-06-06\nhazards = ["fire"]\n\n[issuer]\nname = "A \\"B\\""\ntype = "agency"\n'
        '\n[[products]]\nname = "P"\n\n[products.serial]\nranges = [["A1", "A9"]]\n\n[[products.usb]]\nvendor_id = "1d6b"\n'
    )
