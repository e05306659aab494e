"""The pattern helpers give what the regular expressions they stand for give."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.feeds.patterns import ALNUM, ALNUM_DASH, SHAPE, compiled, literal_heads, lowered, split_on, standing, stands

_TEXT = st.text(alphabet="AB1-2 a*", max_size=30)
_CODE = st.text(alphabet="AB1-2*", min_size=1, max_size=4)
_TAILS = [None, re.compile(r"(?![A-Za-z0-9])"), re.compile(r"(?!\*)(?![0-9](?![A-Za-z0-9.-]*\*))")]


def _regex(code: str, tail: re.Pattern[str] | None, before: frozenset[str]) -> re.Pattern[str]:
    edge = "(?<![" + "".join(re.escape(c) for c in sorted(before)) + "])"
    return re.compile(edge + re.escape(code) + (tail.pattern if tail else ""))


@given(code=_CODE | st.just(""), text=_TEXT, tail=st.sampled_from(_TAILS), dash=st.booleans())
def test_standing_finds_what_finditer_finds(code: str, text: str, tail: re.Pattern[str] | None, dash: bool) -> None:
    before = ALNUM_DASH if dash else ALNUM
    expected = [(m.start(), m.end()) for m in _regex(code, tail, before).finditer(text)]
    assert standing(code, text, tail, before) == expected
    assert stands(code, text, tail, before) == bool(expected)


def test_standing_examples() -> None:
    end = re.compile(r"(?![A-Za-z0-9])")
    assert standing("A12", "A12 XA12 A12B -A12", end) == [(0, 3), (15, 18)]
    assert standing("A12", "A12 XA12 A12B -A12", end, ALNUM_DASH) == [(0, 3)]


@given(token=_TEXT, codes=st.lists(_CODE, min_size=1, max_size=4))
def test_split_on_splits_as_re_split(token: str, codes: list[str]) -> None:
    codes = sorted(codes, key=len, reverse=True)
    expected = [p for p in re.split(f"({'|'.join(map(re.escape, codes))})", token) if p]
    assert split_on(token, codes) == expected


def test_split_on_takes_the_first_code_listed_where_two_begin() -> None:
    assert split_on("XFS600VDS20", ["FS600V", "FS6"]) == ["X", "FS600V", "DS20"]
    assert split_on("XFS600VDS20", ["FS6", "FS600V"]) == ["X", "FS6", "00VDS20"]


@pytest.mark.parametrize(
    ("pattern", "heads"),
    [
        (r"\bfires?\b|ignit|flam", ("fire", "ignit", "flam")),
        (r"tip-?over|\bco poisoning", ("tip", "co poisoning")),
        (r"batter(?:y|ies)|power ?banks?|smart (?:home|plug)", ("batter", "power", "smart ")),
        (r"a[|]b|c\|d", ("a", "c")),  # a bar in a class or escaped separates nothing
        (r"(?:x|y)z", None),
        (r"ab|", None),  # an empty alternative matches anywhere
        (r"[ab]c", None),
        (r"(?i)ab", None),
        (r".x", None),
        (r"e*f", None),  # the only letter before "*" may be missing: nothing is needed
    ],
)
def test_literal_heads_are_what_each_alternative_begins_with(pattern: str, heads: tuple[str, ...] | None) -> None:
    assert literal_heads(pattern) == heads


_HEADED = [r"\bfires?\b|ignit|flam", r"tip-?over|co poison", r"batter(?:y|ies)|power ?banks?", r"ia{2}b|lc+d|ef*g"]


@given(pattern=st.sampled_from(_HEADED), text=st.text(alphabet="abcdefiglmnoprstvy -?", max_size=40))
def test_a_text_without_any_head_never_matches(pattern: str, text: str) -> None:
    heads = literal_heads(pattern)
    assert heads is not None
    if re.search(pattern, text):
        assert any(head in text for head in heads)


@given(text=st.text(alphabet="AZaz09-/ \u0661\u00c9\uff21", max_size=20))
def test_shape_table_is_the_substitutions_of_capitals_and_digits(text: str) -> None:
    assert text.translate(SHAPE) == re.sub(r"[0-9]", "9", re.sub(r"[A-Z]", "A", text))


def test_lowered_is_lower() -> None:
    assert lowered("Serial No. ABC") == "serial no. abc"
    assert lowered("Serial No. ABC") is lowered("Serial No. ABC")


def test_compiled_keeps_one_pattern() -> None:
    assert compiled(r"(?<=\d)AB") is compiled(r"(?<=\d)AB")
    assert compiled("ab", re.IGNORECASE).search("xAB")


def test_no_other_letter_folds_onto_the_letters_of_model_or_upc() -> None:
    """cells.named_models and printed.headed_cells look for "model" and "upc" in the lower-cased text
    before running their case-insensitive patterns: only right if nothing else matches these letters."""
    pattern = re.compile("[modelupc]", re.IGNORECASE)
    assert {chr(c) for c in range(0x110000) if pattern.fullmatch(chr(c))} == set("modelupcMODELUPC")


_CAMEL_AS_WRITTEN = re.compile(  # cells._CAMEL before its quick first test was added
    r"(?<=[a-z0-9])(?=[A-Z0-9])(?:(?<=[a-z]{2})(?=[A-Z])|(?<=[a-z])(?=[A-Z][A-Z0-9]{2})|(?<=[0-9])(?=[A-Z][a-z]{2})"
    r"|(?<=[0-9])(?=(?:UPC|SKU|VIN|MPPT)\b)|(?<=[a-z])(?=(?:19|20)\d\d-(?:19|20)\d\d)"
    r"|(?<=Numbers)(?=\d)|(?<=Number)(?=\d)|(?<=Models)(?=\d)|(?<=Model)(?=\d)"
    r")"
    r"|(?<=[A-Z0-9][A-Z])(?=[A-Z][a-z]{2})"
    r"|(?<=[0-9])(?=[A-Z][a-z]\b|[A-Z]{3,}[a-z]\b)(?!Ah|Wh|Hz)"
    r"|(?<=\bRANGE)(?=[A-Z]{2,}\d)"
)


@given(text=st.text(alphabet="aAbhHMWzZ019 -RANGEUPCSKUModelNumbers", max_size=40))
def test_camel_cuts_where_the_pattern_as_written_cuts(text: str) -> None:
    from agent.feeds.cells import _CAMEL

    assert _CAMEL.sub(" ", text) == _CAMEL_AS_WRITTEN.sub(" ", text)


_SENTENCE_AS_WRITTEN = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])|\n+|(?<=[a-z0-9])\.(?=[A-Z][a-z])")


@given(text=st.text(alphabet='aZ9.!? \n\t\u201c"(x', max_size=40))
def test_sentences_end_where_the_pattern_as_written_ends_them(text: str) -> None:
    from agent.feeds.extract import _SENTENCE

    assert _SENTENCE.split(text) == _SENTENCE_AS_WRITTEN.split(text)


@given(
    sentence=st.lists(st.sampled_from(["date codes", "codes", "serial", "S/N", "model", "Lot", "x", " ", "1"]))
    .map(" ".join)
    .filter(bool),
    data=st.data(),
)
def test_the_other_key_after_a_place_is_the_one_a_search_finds(sentence: str, data: st.DataObject) -> None:
    from agent.feeds.model_lists import OTHER_KEY, other_key_after

    pos = data.draw(st.integers(0, len(sentence)))
    found = OTHER_KEY.anycase.search(sentence, pos)
    assert other_key_after(sentence, pos) == (found.span() if found else None)


@given(text=st.text(alphabet="sSnN/eErRiIaAlL \u0130\u0131\u017f\u212a", max_size=20))
def test_may_hold_is_false_only_where_a_case_insensitive_search_finds_nothing(text: str) -> None:
    from agent.feeds.patterns import may_hold

    words = ("serial", "s/n", "sn")
    if not may_hold(text, words):
        assert not re.search("serial|s/n|sn", text, re.IGNORECASE)
    if text.isascii():
        assert may_hold(text, words) == bool(re.search("serial|s/n|sn", text, re.IGNORECASE))
    assert may_hold("\u017fn", words)  # the long s folds onto s


_OTHER_KEY_AS_WRITTEN = re.compile(  # model_lists.OTHER_KEY before it was written in lower case
    r"\b(?:serial|S/?N|SN|lot|batch|date\s+codes?|manufactur\w*\s+codes?|codes?|UPCs?|GTIN|EAN|bar\s*codes?"
    r"|MID|PO\s+numbers?|tracking\s+numbers?|IMEI|file\s+numbers?|recall\s+numbers?|release|ID\s+numbers?|product\s+ID"
    r"|ASIN|standard|ASTM|UL|ANSI|IEC|ISO|FCC\s+ID|certification|VINs?|vehicle\s+identification\s+numbers?|accession"
    r"|rev(?:ision)?(?=\.?\s+[A-Z]*\d)|phone|call|toll-free|fax|text)\b",
    re.IGNORECASE,
)


@given(
    text=st.lists(
        st.sampled_from(
            ["Serial", "S/n", "SN", "LOT", "Date  Codes", "Rev.", "REVISION", "x", "1", " ", "-", "\u017fn"]
        )
    ).map("".join)
)
def test_a_folded_pattern_finds_what_the_case_insensitive_one_finds(text: str) -> None:
    from agent.feeds.model_lists import OTHER_KEY

    expected = [m.span() for m in _OTHER_KEY_AS_WRITTEN.finditer(text)]
    assert OTHER_KEY.spans(text) == expected
    found = _OTHER_KEY_AS_WRITTEN.search(text, 1)
    assert OTHER_KEY.search(text, 1) == (found.span() if found else None)
    assert OTHER_KEY.match(text) == bool(_OTHER_KEY_AS_WRITTEN.match(text))


_AFTER_MODEL_AS_WRITTEN = re.compile(r"\bmodels?\b(?:(?!serial)[^.;:]){0,120}(?![A-Za-z0-9-])", re.IGNORECASE)


@given(
    text=st.lists(
        st.sampled_from(["Model", "MODELS", "model", " ", "A12", "-", ".", "SERIAL", "Serial", "x", "\u212a", "\u017f"])
    ).map("".join)
)
def test_the_text_after_model_is_found_as_the_case_insensitive_pattern_finds_it(text: str) -> None:
    from agent.feeds.cells import _after_model

    assert _after_model(text) == _AFTER_MODEL_AS_WRITTEN.findall(text)


def test_a_folded_pattern_must_be_written_in_lower_case() -> None:
    from agent.feeds.patterns import Folded

    for pattern in (r"\bSerial", r"\S+", r"(?-i:[a-z])"):
        with pytest.raises(ValueError, match="lower case"):
            Folded(pattern)


def test_a_capital_class_and_a_small_one_fold_alike() -> None:
    big, small = re.compile("[A-Z]", re.IGNORECASE), re.compile("[a-z]", re.IGNORECASE)
    assert all(bool(big.fullmatch(chr(c))) == bool(small.fullmatch(chr(c))) for c in range(0x110000))


@given(text=st.text(alphabet="AaBbz9 -_\u00e9\u00c9.", max_size=30))
def test_capitalised_words_found_capital_first_are_the_words_as_written(text: str) -> None:
    from agent.feeds.cells import _TITLE_WORD
    from agent.feeds.printed import _WORD

    assert _TITLE_WORD.findall(text) == re.findall(r"\b[A-Z][a-z]{3,}\b", text)
    assert _WORD.findall(text) == re.findall(r"\b[A-Z][a-z]{2,}\b", text)


_WORDS = st.sampled_from(
    ["Acme", "Razor", "Icon", "Brand", "branded", "and", "&", "or", "X-1", "-", " ", "  ", "\n", "e"]
)


@given(
    name=_WORDS,
    brand=_WORDS,
    text=st.lists(_WORDS, max_size=8).map("".join),
)
def test_a_line_after_a_brand_is_found_as_the_pattern_of_the_two_finds_it(name: str, brand: str, text: str) -> None:
    from agent.feeds.brands import _LINE, _after_brand

    pattern = re.compile(_LINE.format(brand=re.escape(brand), name=re.escape(name)))
    assert _after_brand(name, brand, text) == bool(pattern.search(text))
    assert _after_brand("Icon", "Razor", "The Razor Icon scooter") and _after_brand(
        "Como", "Specialized", "Specialized Vado and Como e-bikes"
    )


def test_spaced_puts_a_space_at_each_place() -> None:
    from agent.feeds.patterns import spaced

    assert spaced("ABCDEF", [1, 3, 3]) == "A BC  DEF"
    assert spaced("ABC", []) == "ABC"
    assert spaced("ABC", [0, 3]) == " ABC "


@given(brand=st.sampled_from(["VEVOR", "AB", "A1"]), text=st.text(alphabet="VEORAB1-2 x", max_size=30))
def test_a_brand_glued_to_a_code_is_set_apart_as_the_pattern_does(brand: str, text: str) -> None:
    from agent.feeds.extract import glued_apart

    pattern = rf"(?<![A-Z0-9]){re.escape(brand)}(?=[A-Z]{{2,}}-?\d)"
    assert glued_apart(brand, text) == re.sub(pattern, brand + " ", text)


@given(word=st.sampled_from(["MULE", "MUL", "EMU"]), text=st.text(alphabet="MULE1 _-aé\u00c9", max_size=30))
def test_a_capital_word_run_into_a_code_is_found_as_the_pattern_finds_it(word: str, text: str) -> None:
    from agent.feeds.cells import _run_into

    pattern = rf"(?<=[A-Z0-9]{{3}})(?<!\b{word[0]}){word}\b"
    assert _run_into(word, text) == [m.start() for m in re.finditer(pattern, text)]


_RESPACED_AS_WRITTEN = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]| [ ]")


@given(text=st.text(alphabet=" \t\u00a0\u2001\u200b\u200c\u202f\u3000ax\n", max_size=12))
def test_respaced_is_a_search_of_the_spaces_clean_changes(text: str) -> None:
    from agent.feeds.text import respaced

    assert respaced(text) == bool(_RESPACED_AS_WRITTEN.search(text))


@given(
    text=st.lists(st.sampled_from(["approx", "No", "Nos", "Inc", "U.S", "A", "b", "1", " ", ".", "\n"])).map("".join)
)
def test_an_abbreviation_is_looked_for_at_the_end_as_in_the_whole_sentence(text: str) -> None:
    from agent.feeds.extract import _ABBREVIATED, _ABBREVIATIONS

    assert bool(_ABBREVIATIONS.search(text, len(text) - _ABBREVIATED)) == bool(_ABBREVIATIONS.search(text))


@given(text=st.text(st.characters(codec="utf-8"), max_size=20) | st.text(alphabet='ab "\\\x7f\x1f\t~', max_size=8))
def test_a_toml_string_is_escaped_as_the_escape_pattern_escapes_it(text: str) -> None:
    from agent.feeds.toml_out import _NEEDS_ESCAPE, _escape, string

    assert string(text) == '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


@given(text=st.text(alphabet=" \t\n\r\x0b\u00a0\u2003\u3000ax", max_size=12))
def test_rewhitened_is_a_search_of_the_white_space_one_line_changes(text: str) -> None:
    from agent.feeds.text import rewhitened

    assert rewhitened(text) == bool(re.search(r"[^\S ]| [ ]", text))
