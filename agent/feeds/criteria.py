"""Narrowing criteria stated in recall prose: serial forms, production windows, date codes and UPCs.

Each function reads only sentences that say clearly what they mean; anything vaguer is left to the
notice itself, which the rule links to.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from agent.feeds.extract import clean, sentences

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_MONTH = "(?:" + "|".join(_MONTH_NAMES) + ")"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    r"|\d{1,2}/\d{1,2}/\d{4})"
)
_WINDOW = re.compile(rf"({_DATE})\s*(?:,\s*)?(?:and|through|to|until|-)\s*({_DATE})", re.IGNORECASE)
_MADE = re.compile(r"\b(?:manufactur\w*|made|produced|production|built)\b", re.IGNORECASE)
_SERIAL = re.compile(r"\b(?:serial|S/N|SN)\b", re.IGNORECASE)
_CODE = r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]"
_END = r"[A-Z0-9]+"
_RANGE = re.compile(rf"\bbetween\s+({_END})\s+and\s+({_END})\b|\b({_END})\s*(?:through|thru|to|-)\s*({_END})\b")
_QUOTED = r"[\"\u201c\u2018']?({code})[\"\u201d\u2019']?"
_PREFIX = re.compile(r"\b(?:begin(?:s|ning)?|start(?:s|ing)?)\s+with\b[^.;]*?" + _QUOTED.format(code=_CODE))
_SUFFIX = re.compile(r"\bend(?:s|ing)?\s+(?:in|with)\b([^.;]*)", re.IGNORECASE)
_EXCLUDED = re.compile(r"\bnot\s+(?:included|part|affected|involved)|\bexcluded\b", re.IGNORECASE)
_LENGTH = re.compile(r"\b(\d{1,2})[- ]digits?\b|\btotal of (\d{1,2}) digits\b", re.IGNORECASE)
_CODES = re.compile(
    r"\b(?:date|manufactur\w*|batch|lot|production)\s+codes?\b[^:]*?(?:are|:|include\w*)\s*(.+)", re.IGNORECASE
)
_NO_CODE = re.compile(
    r"\bno\s+(?:\w+\s+)?code\s+is\s+(?:present|printed|shown)|\bwithout\s+a\s+(?:\w+\s+)?code\b", re.IGNORECASE
)
_UPC = re.compile(r"\b(?:UPC|GTIN|EAN)s?\b[^0-9]{0,40}((?:\d[\d -]{9,18}\d)(?:\s*(?:,|and|or)\s*\d[\d -]{9,18}\d)*)")
_WHERE = re.compile(
    r"\b(?:printed|located|found|engraved|stamped|molded|embossed|on\s+(?:a|the)\s+label)\b", re.IGNORECASE
)
_WHAT = re.compile(r"\b(?:model|serial|S/N|date\s+code|code|UPC|lot|batch|manufactur)", re.IGNORECASE)


def partial_date(text: str) -> str:
    """ "March 2016" -> "2016-03"; "March 9, 2016" -> "2016-03-09"; "" if unreadable."""
    text = text.strip().rstrip(",").lower()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    words = re.findall(r"[a-z]+|\d+", text)
    if not words or words[0] not in _MONTHS:
        return ""
    month = _MONTHS[words[0]]
    numbers = [int(w) for w in words[1:] if w.isdigit()]
    if len(numbers) == 2:
        try:
            return dt.date(numbers[1], month, numbers[0]).isoformat()
        except ValueError:
            return ""
    return f"{numbers[0]:04d}-{month:02d}" if numbers else ""


def manufactured(text: str) -> dict[str, str]:
    """The production window, when a sentence about manufacture gives two dates."""
    for sentence in sentences(text):
        if not _MADE.search(sentence):
            continue
        found = _WINDOW.search(sentence)
        if found:
            start, end = partial_date(found[1]), partial_date(found[2])
            if start and end and start <= end:
                return {"from": start, "to": end}
    return {}


def serial(text: str) -> dict[str, Any]:
    """Serial prefixes, suffixes, ranges, exact lists and lengths from sentences about serial numbers."""
    out: dict[str, Any] = {}
    for sentence in sentences(text):
        match = _SERIAL.search(sentence)
        if not match:
            continue
        rest = sentence[match.start() :]
        _collect(out, "prefixes", [m[1] for m in _PREFIX.finditer(rest)])
        excluded = bool(_EXCLUDED.search(rest))
        for m in _SUFFIX.finditer(rest):
            _collect(out, "exclude_suffixes" if excluded else "suffixes", _suffixes(m[1]))
        ranges = [[m[1] or m[3], m[2] or m[4]] for m in _RANGE.finditer(rest) if _is_range(m[1] or m[3], m[2] or m[4])]
        _collect(out, "ranges", ranges)
        if not ranges and "prefixes" not in out and re.search(r"\bserial\s+(?:numbers?|codes?)\b[^.:]*:", rest, re.I):
            _collect(out, "exact", [c for c in re.findall(_CODE, rest.split(":", 1)[1]) if _has_digit(c)])
        for m in _LENGTH.finditer(rest):
            _collect(out, "lengths", [int(m[1] or m[2])])
    if any(k in out for k in ("prefixes", "ranges", "exact")):
        out.pop("lengths", None)  # "14 digits starting with 57V": the prefix is the narrower test
    return out


def codes(text: str) -> tuple[list[str], bool]:
    """Batch or date codes listed in the prose, and whether a unit without a code is included."""
    found: list[str] = []
    for sentence in sentences(text):
        match = _CODES.search(sentence)
        if match:
            items = re.split(r"\s*(?:,|;|\band\b|\bor\b)\s*", match[1].rstrip("."))
            tails = (re.search(r"[A-Z0-9][A-Z0-9 /-]*$", i.strip()) for i in items)
            found.extend(t[0].strip() for t in tails if t and _has_digit(t[0]) and len(t[0].strip()) <= 12)
    return list(dict.fromkeys(found)), bool(_NO_CODE.search(clean(text))) and bool(found)


def upcs(text: str) -> list[str]:
    out: dict[str, None] = {}
    for match in _UPC.finditer(clean(text)):
        for item in re.split(r"\s*(?:,|and|or)\s*", match[1]):
            number = re.sub(r"\D", "", item)
            if 11 <= len(number) <= 14:
                out[number] = None
    return list(out)


def where_to_look(text: str, limit: int = 3) -> list[str]:
    """Sentences saying where the model, serial or date code is printed."""
    return [s for s in sentences(text) if _WHERE.search(s) and _WHAT.search(s)][:limit]


def _collect(out: dict[str, Any], key: str, values: list[Any]) -> None:
    for value in values:
        bucket = out.setdefault(key, [])
        if value not in bucket:
            bucket.append(value)


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _is_range(a: str, b: str) -> bool:
    return len(a) == len(b) >= 4 and _has_digit(a) and a < b


def _suffixes(text: str) -> list[str]:
    out: list[str] = []
    digits = re.search(r"\b(\d)\s*(?:-|through|to)\s*(\d)\b", text)
    if digits:
        out.extend(str(d) for d in range(int(digits[1]), int(digits[2]) + 1))
        text = text[digits.end() :]
    out.extend(re.findall(r"[\"\u201c\u2018']([A-Z0-9]{1,4})[\"\u201d\u2019']", text))
    return out
