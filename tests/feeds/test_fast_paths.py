"""The converter's quick tests, each against the full reading it stands for, over every real record copied
into tests/ (the CPSC records of tests/matching/data and the labelled notices): where a quick test rules a
text out, the full reading finds nothing there either."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from matching.realdata import RECORD_FILES, records

from agent.feeds import brands, cpsc, criteria, extract, model_lists, model_tables, printed, sizes
from agent.feeds.cells import named_models, unglue
from agent.feeds.patterns import may_hold
from agent.feeds.text import respaced, rewhitened
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
        assert criteria.serial(text, models) == criteria.serial(text, models, quick=False), text[:200]
    assert ruled_out > 1000


@functools.lru_cache(maxsize=1)
def _model_sentences() -> list[tuple[str, frozenset[str], list[str]]]:
    """(sentence, model shapes kept, codes known) for each sentence extract.model_numbers reads in each
    record's prose, as it reads them; the codes known are those after the sentence's keywords and all the
    record's models."""
    out: list[tuple[str, frozenset[str], list[str]]] = []
    for record in _real():
        prose = cpsc.record_prose(record)
        models = extract.model_numbers(prose)
        lines = extract.sentences(printed.headed_cells(unglue(prose)))
        for sentence, kept in zip(lines, model_tables.spec_tables(lines, named_models(prose)), strict=True):
            out.append((sentence, kept, [*model_lists.after_keywords(sentence), *models]))
    return out


def test_a_sentence_without_a_token_shaped_like_a_code_is_read_for_codes_by_shape_as_in_full() -> None:
    found = 0
    for sentence, kept, _ in _model_sentences():
        shaped = model_tables.by_shape(sentence, kept)
        assert shaped == model_tables.by_shape(sentence, kept, quick=False), sentence[:200]
        found += bool(shaped)
    assert found > 500


def test_column_cells_without_a_number_to_stand_beside_are_those_read_in_full() -> None:
    beside = 0
    for sentence, _, known in _model_sentences():
        for given in (known, []):
            cells = model_tables.column_cells(sentence, given)
            assert cells == model_tables.column_cells(sentence, given, quick=False), sentence[:200]
            beside += len(cells) > 1
    assert beside >= 1


def test_a_product_line_after_a_brand_is_found_in_real_notices_as_the_pattern_of_the_two_finds_it() -> None:
    """brands._after_brand against _LINE compiled for the brand and name, for every pair of names each real
    notice's title, product names and first printed brands give, in the text brands.lines reads."""
    after = 0
    for record in _real():
        title, description = cpsc._text(record.get("Title")), cpsc._prose(record.get("Description"))
        names = cpsc._product_names(record)
        text = "\n".join([title, description, *names])
        words = {w for phrase in [title, *names] for w in phrase.split()[:3]}
        for name in words:
            for brand in words - {name}:
                line = brands._after_brand(name, brand, text)
                pattern = re.compile(brands._LINE.format(brand=re.escape(brand), name=re.escape(name)))
                assert line == bool(pattern.search(text)), (brand, name)
                after += line
    assert after > 100


def test_the_space_checks_find_in_real_texts_what_their_alternations_find() -> None:
    spaced = 0
    for record in _real():
        for field in ("Title", "Description"):
            raw = str(record.get(field) or "")
            assert respaced(raw) == bool(re.search(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]| [ ]", raw))
            assert rewhitened(raw) == bool(re.search(r"[^\S ]| [ ]", raw))
            spaced += respaced(raw)
    assert spaced > 10


def test_a_table_head_is_looked_for_only_where_its_word_is_and_found_where_it_is() -> None:
    heads = 0
    for sentence, _, _ in _model_sentences():
        head = bool(extract._TABLE_HEAD.search(sentence))
        assert head == bool(may_hold(sentence, extract._HEAD_WORDS) and extract._TABLE_HEAD.search(sentence))
        heads += head
    assert heads >= 5


def test_a_text_without_a_size_mark_has_none_once_sizes_are_apart() -> None:
    """sizes_apart reads _DIGIT_MARK once: the cuts before it put spaces between letters and digits only."""
    unmarked = 0
    for record in _real():
        for raw in (cpsc.record_prose(record), cpsc._prose(record.get("Description"))):
            prose = unglue(raw)
            if not sizes._DIGIT_MARK.search(prose):
                unmarked += 1
                cut = sizes._WORD_THEN_NUMBER.sub(" ", sizes._CODE_THEN_SIZE.sub(r"\1 \2", prose))
                assert not sizes._DIGIT_MARK.search(cut)
    assert unmarked > 100


def test_named_codes_that_stand_alone_cut_no_real_cell_apart() -> None:
    """cells._named_apart skips its scan where each code named after "model" stands alone; over the real
    texts (as they reach it, and as written) that gives what the scan gives."""
    from agent.feeds import cells

    cut = skipped = 0
    for record in _real():
        for raw in (cpsc.record_prose(record), cpsc._prose(record.get("Description"))):
            for given in (raw, unglue(raw)):
                apart = cells._named_apart(given, quick=False)
                assert cells._named_apart(given) == apart
                cut += apart != given
                skipped += bool(named_models(given)) and all(cells._stands_alone(c, given) for c in named_models(given))
    assert cut >= 1 and skipped > 100
