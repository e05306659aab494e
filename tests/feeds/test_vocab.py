"""Hazard and category words are found regardless of case, by the quick lower-case search as by the slow one."""

from __future__ import annotations

import re
import sys

import pytest

from agent.feeds import text, vocab

EVERY_CHARACTER = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_only_the_four_known_letters_fold_onto_ascii_ones() -> None:
    """What the lower-case search relies on, checked against this Python's own Unicode tables: besides the
    four letters it leaves to the case-insensitive search, no character matches an ASCII pattern character
    case-insensitively, lower-casing keeps every other character one character long, and it keeps whether
    a character is a word character (so \\b stays where it was)."""
    folding = {c for c in re.findall(r"[a-z0-9_ -]", EVERY_CHARACTER, re.IGNORECASE) if not c.isascii()}
    lowered_to_ascii = {c for c in EVERY_CHARACTER if not c.isascii() and c.lower().isascii()}
    assert folding | lowered_to_ascii <= {"\u0130", "\u0131", "\u017f", "\u212a"}
    rest = vocab._FOLDS_ONTO_ASCII.sub("", EVERY_CHARACTER)
    lowered = rest.lower()
    assert len(lowered) == len(rest)
    assert [m.start() for m in re.finditer(r"\w", rest)] == [m.start() for m in re.finditer(r"\w", lowered)]


@pytest.mark.parametrize(
    "words",
    [
        "CPSC Warns Consumers About SMOKING Chargers",
        "Heater ſhock hazard",  # long s: only the case-insensitive search reads it as "shock"
        "\u212aettle burns",  # Kelvin sign for K
        "Laptop b\u0130ke T\u0131P-OVER hazard",
        "T\u00f6y dolls with STRANGULATION risk; \u00c9lectric FIRE",
        "Crib infant toddler",
        "",
    ],
)
def test_lower_case_search_finds_what_a_case_insensitive_search_finds(words: str) -> None:
    slow_hazards = [n for n, p in vocab._HAZARD_WORDS if re.search(p, words, re.IGNORECASE)] or ["other"]
    assert vocab.hazards(words) == slow_hazards
    slow_category = next(
        (n for n, p in [("electronics", vocab._ELECTRONICS), *vocab._OTHER_CATEGORIES] if re.search(p, words, re.I)),
        "other",
    )
    assert vocab.category(words) == slow_category


def test_every_vocabulary_pattern_has_the_words_its_alternatives_begin_with() -> None:
    """Each pattern's heads are what the quick search needs in the text (a pattern without them is searched
    in every text, which is slow but never wrong)."""
    patterns = [*vocab._HAZARD_PATTERNS, ("electronics", vocab._ELECTRONICS_PATTERN), *vocab._CATEGORY_PATTERNS]
    for _, words in patterns:
        assert words.heads, words.lower.pattern
    assert vocab._HAZARD_PATTERNS[1][1].heads == ("fire", "ignit", "flam", "smok", "melt")
    assert not vocab._HAZARD_PATTERNS[1][1].found("a fir tree", True)


def test_a_pattern_not_written_in_lower_case_is_refused() -> None:
    with pytest.raises(ValueError, match="lower case"):
        vocab.Words(r"\bCO poisoning")


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("one  two\tthree\u00a0four\u2003 five", "one two three four five"),
        ("plain text stays", "plain text stays"),
        ("line\nbreaks\n\nkept", "line\nbreaks\n\nkept"),
        ("dash\u2011and\u2014dash caf\u00e9", "dash-and-dash caf\u00e9"),
    ],
)
def test_clean_makes_spaces_and_dashes_plain(raw: str, plain: str) -> None:
    assert text.clean(raw) == plain
    assert text.one_line(raw) == " ".join(plain.split())
