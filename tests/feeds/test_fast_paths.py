"""The converter's quick tests, each against the full reading it stands for, over every real record copied
into tests/ (the CPSC records of tests/matching/data and the labelled notices): where a quick test rules a
text out, the full reading finds nothing there either."""

from __future__ import annotations

import functools
import json
from typing import Any

from matching.realdata import RECORD_FILES, records

from agent.feeds import cpsc, criteria, extract
from feeds.feedkit import LABELLED


@functools.lru_cache(maxsize=1)
def _real() -> tuple[dict[str, Any], ...]:
    out = [r for name in RECORD_FILES for r in records(name)]
    for path in sorted(LABELLED.glob("**/*.json")):
        out += json.loads(path.read_text(encoding="utf-8"))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _texts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(text, models) as the criteria read them: each description, its sentences and each record's prose,
    with the record's models."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for record in _real():
        description = cpsc._prose(record.get("Description"))
        prose = cpsc.record_prose(record)
        models = tuple(extract.model_numbers(prose))
        out += [(description, models), (prose, models), *((s, models) for s in extract.sentences(description))]
    return tuple(out)


def test_the_real_records_hold_serial_sentences_of_every_kind() -> None:
    """The test below can fail: texts about serials are among the real ones, so are texts without any."""
    said = [t for t, m in _texts() if any(criteria.SERIAL.search(s) for s in extract.sentences(t))]
    assert len(said) > 100
    assert len(_texts()) - len(said) > 1000


def test_a_text_ruled_out_for_serials_has_no_serial_sentence_once_its_cells_are_apart() -> None:
    ruled_out = 0
    for text, models in _texts():
        if criteria.may_name_serial(text):
            continue
        ruled_out += 1
        for given in (models, ()):
            unglued = extract.sentences(criteria.unglue_models(text, given))
            assert not [s for s in unglued if criteria.SERIAL.search(s)], text[:200]
        assert criteria.serial(text, models) == criteria.serial_in_full(text, models), text[:200]
    assert ruled_out > 1000
