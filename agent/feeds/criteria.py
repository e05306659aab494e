"""Serial criteria stated in recall prose: prefixes, suffixes, exact lists, lengths, contained codes.

Serial ranges are read in ranges.py; production windows, date codes and UPCs in date_codes.py.

Each function reads only sentences that say clearly what they mean; anything vaguer is left to the
notice itself, which the rule links to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.feeds import columns, model_codes
from agent.feeds.cells import unglue
from agent.feeds.extract import sentences
from agent.feeds.patterns import Folded, may_hold
from agent.feeds.ranges import CODE_END, YEARLIKE, has_digit, readable, serial_ranges, unreadable
from agent.feeds.text import clean

SERIAL = Folded(r"\b(?:serial|s/n|sn)\b")
_SERIAL_WORDS = ("serial", "s/n", "sn")  # what SERIAL needs
_CODE = r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]"
_LAST_CHAR = re.compile(
    r"\b(?:letters?|numbers?|digits?)\s+([A-Z0-9](?:\s*(?:,|or|and)\s*[A-Z0-9])*)\s+as\s+the\s+last\s+"
    r"(?:digit|character|letter)"
)
_AT_POSITION = re.compile(
    r"\b(?:letters?|numbers?|digits?)\s+[\"\u201c]([A-Z0-9]{2,})[\"\u201d]\s+as\s+the\s+\w+(?:\s+and\s+\w+)?\s+"
    r"(?:letters?|characters?|digits?)"
)
_QUOTED = r"[\"\u201c\u2018']?({code})[\"\u201d\u2019']?"
_PREFIX = re.compile(  # "beginning with a "W,"", "begins with the following numbers: 19, 20": words, then codes
    r"\b(?:begin(?:s|ning)?|start(?:s|ing)?|prefix(?:es)?)\s+(?:with|of)?(?:[\s:,]+[a-z]+)*?[\s:,]*"
    + _QUOTED.format(code=CODE_END)
)
_MORE = re.compile(  # 'begin with "ET22," "ET23," "01VX" or "07VX."': the codes after the first one
    r"[,.]?[\"\u201d\u2019']?\s*,?\s*(?:(?:or|and)\s+)?" + _QUOTED.format(code=_CODE) + r"(?![A-Za-z0-9])"
)
_FIELD_WORDS = frozenset({"SN", "SNO", "SERIAL", "NO", "NUMBER", "THE"})
_SUFFIX = re.compile(r"\bend(?:s|ing)?\s+(?:in|with)\b([^.;]*)", re.IGNORECASE)
_CONTAINS = re.compile(r"\bcontain(?:s|ing)?\s+((?:[A-Z0-9]{3,}(?:,\s*(?:or|and)\s+|\s+(?:or|and)\s+|,\s*)?)+)")
_EXCLUDED = re.compile(r"\bnot\s+(?:included|part|affected|involved)|\bexcluded\b", re.IGNORECASE)
_LENGTH = re.compile(r"(?<!first )(?<!last )\b(\d{1,2})[- ]digits?\b|\btotal of (\d{1,2}) digits\b", re.IGNORECASE)
_LISTED = re.compile(
    r"\bserial\s+(?:numbers?|codes?|nos?\.?)(?:\s+\(first \w+ (?:digits|characters)\))?"
    r"(?:\s+(?-i:[a-z]+)){0,3}\s*:?\s*",
    re.I,
)
_NOT_A_LIST = re.compile(r"\b(?:between|from|within|range|ranges|starting|beginning|ending|containing)\b", re.I)
_CODE_WORD = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9/-]{1,11}$")
_NTH_OF = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)\s+(?:letter|character|digit)\s+of\s+the\s+(?:VIN|serial(?:\s+number)?)\s+(?:will\s+be|is)"
    r"\s+(?:an?\s+)?[\"\u201c]?([A-Z0-9])\b[\"\u201d]?"
)


def serial(text: str, models: list[str] | tuple[str, ...] = (), *, quick: bool = True) -> dict[str, Any]:
    """Serial prefixes, suffixes, ranges, exact lists, lengths and contained codes from sentences about serials.

    ``models`` are the notice's model codes: where a table ran a model into a serial ("...2590PB-5810T
    P6121..."), they mark where one ends. Without ``quick``, the texts ``may_name_serial`` rules out are read
    in full too (for its tests).
    """
    out: dict[str, Any] = {}
    if not quick or may_name_serial(text):
        _serial_sentences(out, text, models)
    # "The 10th letter of the VIN will be an "R"": held as contains, a superset (no position is stored)
    _collect(out, "contains", [m[1] for s in sentences(text) if "th " in s for m in _NTH_OF.finditer(s)])
    if "ranges" in out and any(unreadable(s) for s in sentences(unglue_models(text, models)) if SERIAL.search(s)):
        out.pop("ranges", None)  # the ranges read would tell the owner of a unit in the other one "not affected"
    if any(k in out for k in ("prefixes", "ranges", "exact", "prefix_ranges")):
        out.pop("lengths", None)  # "14 digits starting with 57V": the prefix is the narrower test
    return out


# What SERIAL needs in a text before its cells are pulled apart (cells.unglue, then unglue_models). That
# puts spaces in and writes a code's head again after a slash ("KAF1000LRFNN/LRFNL" -> "…/KAF1000LRFNL"),
# so two characters side by side afterwards were side by side before, but for a slash and the character
# after it: "serial" and "sn" must be there already, and "s/n" can only come of an "s" before a slash, a
# space between them or not. The sentences are cleaned once more (extract.sentences); on a cleaned text of
# printable ASCII, curly quotes and ellipses without an "&" (no entity), that changes spaces alone. Other
# texts are read in full.
_SERIAL_LETTERS = re.compile(r"serial|sn|s ?/", re.IGNORECASE)
_PLAIN = re.compile("[\t\n\x20-\x25\x27-\x7e\u2018\u2019\u201c\u201d\u2026]*")


def may_name_serial(text: str) -> bool:
    """False only when no sentence of ``unglue_models(text, models)`` can hold SERIAL, whatever the models:
    ``serial`` then finds no serial criterion but the VIN positions, which it reads in ``text`` itself."""
    cleaned = clean(text)
    return not _PLAIN.fullmatch(cleaned) or bool(_SERIAL_LETTERS.search(cleaned))


def _serial_sentences(out: dict[str, Any], text: str, models: list[str] | tuple[str, ...]) -> None:
    """The criteria of the sentences about serials, collected into ``out``."""
    for sentence in sentences(unglue_models(text, models)):
        match = SERIAL.search(sentence) if may_hold(sentence, _SERIAL_WORDS) else None
        if not match:
            continue
        rest = sentence[match[0] :]
        _collect(out, "prefixes", [c for m in _PREFIX.finditer(rest) for c in _listed_on(rest, m)])
        excluded = bool(_EXCLUDED.search(rest))
        for m in _SUFFIX.finditer(rest):
            _collect(out, "exclude_suffixes" if excluded else "suffixes", _suffixes(m[1]))
        rows = [*columns.end_pairs(sentence), *(columns.prefix_rows(sentence) or [])]
        ranges = serial_ranges(sentence) + [[lo, hi] for lo, hi in rows if readable(lo, hi)]
        _collect(out, "ranges", ranges)
        _collect(out, "prefix_ranges", serial_ranges(sentence, prefix=True))
        _collect(out, "contains", [c for m in _CONTAINS.finditer(rest) for c in re.findall(r"[A-Z0-9]{3,}", m[1])])
        _collect(out, "contains", [m[1] for m in _AT_POSITION.finditer(sentence)])  # a superset: never too few
        _collect(out, "suffixes", [c for m in _LAST_CHAR.finditer(sentence) for c in re.findall(r"[A-Z0-9]", m[1])])
        if not ranges and not any(k in out for k in ("prefixes", "contains", "suffixes")):
            known = {model_codes.key(m) for m in models}
            listed = [c for c in _listed(rest) if model_codes.key(c) not in known]
            first = re.search(r"\(first (\d+) (?:digits|characters)\)", rest, re.I)
            if first:  # "(first 8 digits) 31EK30-01": only codes of that length are the beginnings it means
                listed = [c for c in listed if len(model_codes.key(c)) == int(first[1])]
            _collect(out, "prefixes" if first else "exact", listed)
        for m in _LENGTH.finditer(rest):
            _collect(out, "lengths", [int(m[1] or m[2])])


def unglue_models(text: str, models: list[str] | tuple[str, ...]) -> str:
    """Cells pulled apart, and a model run into the serial beside it ("...2590PB-5810T P6121...") too."""
    return _unglued(text, tuple(models))


@lru_cache(maxsize=1024)  # serial criteria and model ties read the same texts with the same models
def _unglued(text: str, models: tuple[str, ...]) -> str:
    text = unglue(text)
    for model in sorted((m for m in models if len(m) >= 5 and " " not in m and m in text), key=len, reverse=True):
        text = _set_apart(text, model)
    return _GLUED_SERIAL.sub(" ", text)


def _set_apart(text: str, model: str) -> str:
    """Spaces around each ``model`` that follows a digit and ends the text or meets a space, letter or digit
    (one pass, left to right)."""
    pieces: list[str] = []
    start = done = 0
    while (found := text.find(model, start)) >= 0:
        end = found + len(model)
        if (
            found
            and text[found - 1] in _ASCII_DIGITS
            and (end == len(text) or text[end] in _ASCII_CODE or text[end].isspace())
        ):
            pieces += [text[done:found], f" {model} "]
            start = done = end
        else:
            start = found + 1
    return "".join(pieces) + text[done:] if pieces else text


_ASCII_DIGITS = frozenset("0123456789")
_ASCII_CODE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_GLUED_SERIAL = re.compile(r"(?<=\d{6})(?=[A-Z]{2,}\d)")


def _listed_on(text: str, first: re.Match[str]) -> list[str]:
    """The code ``first`` found and those listed right after it; a letter alone is no prefix."""
    codes = [first[1]]
    end = first.end()
    while more := _MORE.match(text, end):
        codes.append(more[1])
        end = more.end()
    closed = re.match(r"[,.]?[\"\u201d\u2019']", text[first.end(1) :])  # a letter alone only as a quoted code
    codes = [c for i, c in enumerate(codes) if has_digit(c) or len(c) >= 2 or (i == 0 and closed)]
    return [c for c in codes if model_codes.key(c) not in _FIELD_WORDS]  # 'beginning "SN."': every serial does


def _listed(rest: str) -> list[str]:
    """ "serial numbers 000G21, 000H21 and 000L21": codes with a digit listed after the serial keyword."""
    match = _LISTED.search(rest)
    if not match or _NOT_A_LIST.search(match.group()):
        return []
    out: list[str] = []
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*|[,;]", rest[match.end() :]):
        if word in (",", ";", "and", "or"):
            continue
        if word.lower() in ("to", "through", "thru"):
            return []  # "17L 0000000 000 to 20F 9999999 999": the ends of a range, not a list
        if not _CODE_WORD.match(word) or YEARLIKE.match(word):
            break
        out.append(word)
    return out


def _collect(out: dict[str, Any], key: str, values: list[Any]) -> None:
    for value in values:
        bucket = out.setdefault(key, [])
        if value not in bucket:
            bucket.append(value)


def _suffixes(text: str) -> list[str]:
    out: list[str] = []
    digits = re.search(r"\b(\d)\s*(?:-|through|to)\s*(\d)\b", text)
    if digits:
        out.extend(str(d) for d in range(int(digits[1]), int(digits[2]) + 1))
        text = text[digits.end() :]
    out.extend(re.findall(r"[\"\u201c\u2018']([A-Z0-9]{1,4})(?:\.?[\"\u201d\u2019']|$)", text))
    return out
