"""Model numbers from recall prose: pure functions, precise rather than greedy.

A code is taken when it follows a model keyword ("model number", "Model:", "part numbers", "SKU", "#"),
when it stands in a table column headed "Model", or when its shape alone says "model code" (letters and at
least two digits, such as A1112, BS-30KP365, 5UM5E5). Codes listed next to one taken by shape are taken
too ("T1xe, T3x and T3xh-02"). Shape-only candidates are dropped in a serial, batch, UPC, bar-code or
standard context, and tokens that are years, dates, phone numbers, capacities, voltages, sizes, release
numbers, field names or Amazon product ids never count.

This module reads the sentences and joins the pieces: model_codes.py (what a code looks like),
model_lists.py (codes listed after a keyword or beside one another), model_tables.py (codes taken by
shape, and the table headers that say which column holds them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from agent.feeds import printed
from agent.feeds.cells import named_models, unglue
from agent.feeds.model_codes import key, not_model_keys
from agent.feeds.model_lists import after_keywords, row_codes
from agent.feeds.model_tables import by_shape, column_cells, spec_tables
from agent.feeds.patterns import CAPITALS_DIGITS, may_hold, spaced, standing, stands
from agent.feeds.text import clean

# Where a sentence ends: white space after [.!?] and before a capital, quote or bracket; line breaks; a full
# stop between a letter or digit and a capitalised word. Each begins with a space or a full stop, written
# first so that re looks for those characters quickly instead of trying every place of the text.
_SENTENCE = re.compile(r"[\s.](?:(?<=[.!?]\s)\s*(?=[A-Z\u201c\"(])|(?<=\n)\n*|(?<=[a-z0-9]\.)(?=[A-Z][a-z]))")
_ABBREVIATIONS = re.compile(r"(?:\b(?:No|Nos|Co|Inc|Ltd|Corp|St|Mr|Mrs|Ms|Dr|approx|vs|U\.S|Jr|Sr)|\b[A-Z])\.$")
# No match of it is longer than "approx.": searched from that far before the end, it finds what a search of
# the whole sentence finds (\b still sees the character before where the search starts).
_ABBREVIATED = len("approx.")
_PLACEHOLDER_TAIL = re.compile(r"X{2,}$")
_DIGIT_PLACEHOLDER = re.compile(r"\dX{2,}$")
# "A1*" or "790.990121*790.990131*", never "1TC720E****0100"
_STAR_END = re.compile(r"(?!\*)(?![0-9](?![A-Za-z0-9.-]*\*))")
_TABLE_HEAD = re.compile(r"\bmodel(?:\s+(?:number|no\.?|#))?s?\s*$", re.IGNORECASE)
_HEAD_WORDS = ("model",)  # what _TABLE_HEAD needs


def sentences(text: str) -> list[str]:
    """Sentences and lines; a full stop after "No", "Co", "Inc" or an initial does not end one."""
    return list(_sentences(text))


@lru_cache(maxsize=1024)
def _sentences(text: str) -> tuple[str, ...]:  # every criterion reads the same description's sentences
    out: list[str] = []
    for part in _SENTENCE.split(clean(text)):
        if (
            out
            and out[-1].endswith(".")
            and _ABBREVIATIONS.search(out[-1], len(out[-1]) - _ABBREVIATED)
            and part[:1] != "\n"
        ):
            out[-1] = f"{out[-1]} {part.strip()}"
        elif part.strip():
            out.append(part.strip())
    return tuple(out)


def _prefixed(code: str, sentence: str) -> str:
    """ "FEFBZ90GC*" and "3MGMR60XXX" in the notice: every model starting with FEFBZ90GC or 3MGMR60."""
    stem = _PLACEHOLDER_TAIL.sub("", code) if _DIGIT_PLACEHOLDER.search(code) else code
    starred = f"{code}*" in sentence and stands(f"{code}*", sentence, _STAR_END)
    if stem != code or starred:
        return stem + "*" if len(key(stem)) >= 3 else code
    return code


def model_numbers(text: str, exclude: Iterable[str] = (), brands: Iterable[str] = ()) -> list[str]:
    """Model codes named in ``text``, in order of first appearance, without duplicates.

    ``exclude`` names words that are not models whatever their shape ("Vevor"); a code that starts with one
    of ``brands`` is a name, not a model ("Hover-1 Helix").
    """
    exclude = list(exclude)
    skip = {key(e) for e in exclude} | not_model_keys()
    names = skip | {key(b) for b in brands}
    for brand in (b for b in exclude if b.isalnum() and len(b) >= 3 and b.upper() in text):
        text = glued_apart(brand.upper(), text)
    found: dict[str, str] = {}
    table = False
    lines = sentences(printed.headed_cells(unglue(text)))
    for sentence, kept in zip(lines, spec_tables(lines, named_models(text)), strict=True):
        strong = after_keywords(sentence)
        if table and len(sentence.split()) <= 10:
            strong += row_codes(sentence)
        head = may_hold(sentence, _HEAD_WORDS) and _TABLE_HEAD.search(sentence)
        table = bool(head) or (table and len(sentence.split()) <= 10)
        parts = {key(part) for code in strong if " " in code for part in code.split()}
        strong += column_cells(sentence, [*strong, *found.values()])
        for candidate in strong + [c for c in by_shape(sentence, kept) if key(c) not in parts]:
            first = key(candidate.split()[0])
            if key(candidate) not in skip and key(candidate) and (first not in names or " " not in candidate):
                code = _prefixed(candidate, sentence)
                found.setdefault(key(code) + "*" * code.endswith("*"), code)
    for name in printed.named_models(unglue(text)):  # "COMO 3.0 IGHCOMO SL 4.0": a brand may open these
        found.setdefault(key(name), name)
    codes = [code for k, code in found.items() if k.endswith("*") or k + "*" not in found]  # a prefix covers it
    return printed.with_series_letters(codes, unglue(text))


_GLUED_TAIL = re.compile(r"(?=[A-Z]{2,}-?\d)")


def glued_apart(brand: str, text: str) -> str:
    r"""A brand printed in capitals and run into the code after it ("VEVORAB-12"), set apart from it: what
    ``re.sub(rf"(?<![A-Z0-9]){re.escape(brand)}(?=[A-Z]{2,}-?\d)", brand + " ", text)`` gives, without a
    pattern compiled for each brand."""
    return spaced(text, [end for _, end in standing(brand, text, _GLUED_TAIL, CAPITALS_DIGITS)])
