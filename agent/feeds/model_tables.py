"""Model codes taken by their shape alone, and the tables whose header names the model column: a serial
column's values, range ends and specification columns beside them are no models.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from functools import lru_cache

from agent.feeds import printed
from agent.feeds.cells import model_column
from agent.feeds.families import column_anchor, column_siblings
from agent.feeds.model_codes import NOT_MODEL, code_tokens, key, looks_like_code
from agent.feeds.model_lists import listed_siblings, model_keys, other_key_after, other_keys

_OTHER_PRODUCT = re.compile(r"\bcompatible\s+with\b", re.IGNORECASE)
_RANGE_ENDS = re.compile(
    r"\b([A-Z0-9][A-Z0-9-]{4,})\s+(?:-|to|through|thru)\s+([A-Z0-9][A-Z0-9-]{4,})\b"
    r"|\b(?:[Bb]etween|[Ff]rom)\s+([A-Z0-9][A-Z0-9-]{3,})\s+(?:and|to)\s+([A-Z0-9][A-Z0-9-]{3,})\b"
)
_RANGE_START = re.compile(r"(?<![A-Za-z0-9-])([A-Z0-9][A-Za-z0-9-]{4,}\d)\s+(?:through|thru)\s")  # and its shape
_HEADER_WORDS = re.compile(r"(?:\s*(?:(?:[A-Z][a-z]*|[A-Z]+)(?![A-Za-z0-9])|/|#|\(first \d+ digits\)|No\.))*")
_DIGIT = re.compile(r"[0-9]")
_PROSE = re.compile(r"\b[a-z]{3,}\b")
_FIRST_CELL = re.compile(r"\s*(\d{4,10})(?![A-Za-z0-9-])")
_FIRST_DIGITS = re.compile(r"\(first (\d+) (?:digits|characters)\)", re.IGNORECASE)


def spec_tables(lines: list[str], named: frozenset[str]) -> list[frozenset[str]]:
    """For each sentence, the shapes of the models a table with a specification column holds (see
    ``cells.model_column``): the header's sentence and the rows after it that hold no prose."""
    out: list[frozenset[str]] = [frozenset()] * len(lines)
    for index, line in enumerate(lines):
        header = _table_header(line) if named else 0
        if header:
            rows = [line[header:], *itertools.takewhile(lambda s: not _PROSE.search(s), lines[index + 1 :])]
            kept = model_column(line[:header], " ".join(rows), named)
            out[index : index + len(rows)] = [kept] * len(rows)
    return out


def column_cells(sentence: str, known: list[str], *, quick: bool = True) -> list[str]:
    """The first cell under a header that names the model column first, and numbers standing where such a
    model number does; never in prose about date codes ("date codes between 16919 and 11122"). Without
    ``quick``, the keys are read where no such model is known too (for its tests)."""
    header = _table_header(sentence)
    cell = _FIRST_CELL.match(sentence, header) if header else None
    anchors = [cell[1]] if cell and not NOT_MODEL.match(cell[1]) else []  # never a model year ("2025 KX450")
    if quick and not any(column_anchor(a) for a in [*known, *anchors]):
        return anchors  # column_siblings finds nothing without such a model to stand beside
    if header or not other_keys(sentence):
        return anchors + column_siblings(sentence, [*known, *anchors])
    return anchors


def by_shape(sentence: str, kept: frozenset[str] = frozenset(), *, quick: bool = True) -> list[str]:
    """Codes ``sentence`` holds that look like model codes without a keyword before them, and the codes
    listed beside them. Without ``quick``, a sentence without any such token is read in full (for its tests)."""
    if not _DIGIT.search(sentence):
        return []  # only a token with a digit can look like a code without a keyword before it
    tokens = code_tokens(sentence)
    if quick and not any(looks_like_code(token, strong=False) for _, token in tokens):
        return []  # the loop below takes only such tokens: the keywords, header and ranges need not be read
    keys = sorted([(m.end(), True) for m in model_keys(sentence)] + [(end, False) for _, end in other_keys(sentence)])
    key_ends = [end for end, _ in keys]
    header = _table_header(sentence)
    ends = {key(e) for m in _RANGE_ENDS.finditer(sentence) for e in m.groups() if e}
    starts = {printed.shape(m[1]) for m in _RANGE_START.finditer(sentence, header)} if header else set()
    columns = printed.serial_columns(sentence[header:]) if header else frozenset()
    first_digits = _FIRST_DIGITS.search(sentence, 0, header) if header else None
    other = _OTHER_PRODUCT.search(sentence)  # "heaters compatible with ... Pioneer 700 (SXS700)": not theirs

    def serial(token: str) -> bool:  # under the header: a serial column's value or one end of a range
        return bool(
            _serial_like(token)
            or key(token) in ends
            or printed.shape(token) in columns
            or printed.shape(token) in starts
            or printed.joined_range(token)
            or (first_digits and len(key(token)) == int(first_digits[1]))  # "(first 8 digits)": serial starts
        )

    out: list[str] = []
    for index, (offset, token) in enumerate(tokens):
        if not looks_like_code(token, strong=False) or (other and offset > other.start()):
            continue
        if len(token) <= 6 and sentence.startswith("**", offset + len(token)):
            continue  # "T1253**********": a serial's pattern, stars where any character may stand
        if kept and offset >= header and printed.shape(token) not in kept:
            continue  # a specification column's value beside the models the prose named
        before = bisect_right(key_ends, offset)  # the keywords that end before the token
        if header and offset >= header:
            if serial(token):
                continue  # a table's serial column, or one end of a range
        elif before and not keys[before - 1][1]:
            continue
        siblings = listed_siblings(sentence, tokens, index)
        if header and offset >= header and any(map(serial, siblings)):
            continue  # the values of one list are of one field: a serial among them makes them all serials
        out.append(token)
        out.extend(siblings)
    return out


def _serial_like(token: str) -> bool:
    """Ten digits or more, not in short hyphenated groups as an item number ("HT21-401-002-01") is."""
    digits = [sum(c.isdigit() for c in part) for part in token.split("-")]
    return sum(digits) >= 10 and max(digits) >= 6


@lru_cache(maxsize=256)  # spec_tables, column_cells and by_shape read each sentence's
def _table_header(sentence: str) -> int:
    """Where the rows of a table begin whose header names the model column first ("Model Serial Number
    Range R09894 ..."), or 0. Under such a header a model code is no serial, whatever column follows."""
    found = model_keys(sentence)
    if not found:
        return 0
    model = found[0]  # the first match, as a search finds it
    other = other_key_after(sentence, model.end())
    if not other or other[0] - model.end() > 60:
        return 0
    between = sentence[model.end() : other[0]]
    if any(c.isdigit() for c in between):
        return 0
    words = _HEADER_WORDS.match(sentence[other[1] :])
    return other[1] + (words.end() if words else 0)
