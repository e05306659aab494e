"""Narrowing criteria stated in recall prose: serial forms, production windows, date codes and UPCs.

Each function reads only sentences that say clearly what they mean; anything vaguer is left to the
notice itself, which the rule links to.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from agent.feeds import columns, model_codes, printed
from agent.feeds.cells import unglue
from agent.feeds.extract import sentences
from agent.feeds.text import clean

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
_WINDOW = re.compile(rf"({_DATE})\s*,?\s*(?:and|through|to|until|-)\s*({_DATE})", re.IGNORECASE)
_CODED_WINDOW = re.compile(  # "a MONTHYEAR code ... between 0125 (January 2025) and 0825 (August 2025)"
    rf"\bbetween\s+[A-Z0-9]+\s+\(({_DATE})\)\s*,?\s*(?:and|to|through)\s+[A-Z0-9]+\s+\(({_DATE})\)", re.IGNORECASE
)
_ON_DATE = re.compile(rf"\b(?:manufactured|made|produced|built)\s+(?:on|in)\s+({_DATE})", re.IGNORECASE)
_MADE = re.compile(r"\b(?:manufactur\w*|made|produced|production|built|date\s+codes?)\b", re.IGNORECASE)
_SERIAL = re.compile(r"\b(?:serial|S/N|SN)\b", re.IGNORECASE)
_KEYS = re.compile(
    r"\b(?P<serial>serial|S/N|SN)\b|\b(?P<other>date\s+codes?|batch|lot|codes?|UPC|models?|item|SKU|manufactur\w*"
    r"|made|VIN|part)\b",
    re.IGNORECASE,
)
_CODE = r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]"
_END = r"[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?"
_BARE = r"[A-Z0-9]+"
_RANGE = re.compile(
    rf"\b(?:[Bb]etween|[Ff]rom)\s+({_END})\s+(?:and|to|through|thru)\s+({_END})\b"
    rf"|\b({_END})\s+(?:through|thru|to)\s+({_END})\b|\b({_BARE})\s*-\s*({_BARE})\b"
)
_PLACEHOLDER_RANGE = re.compile(r"\b([A-Z0-9]+?)(x{2,})\s*-\s*([A-Z0-9]+?)(x{2,})(?![A-Za-z0-9])")
_PREFIX_WORDING = re.compile(
    r"\bfirst\s+\w+\s+(?:digits|characters|numbers|letters)|\bstarts?\s+with\b|\bprefix(?:es)?\b(?![^.]*\bthrough\b[^.]*\bserial)",
    re.I,
)
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
    + _QUOTED.format(code=_END)
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
_CODE_KEY = (
    r"(?i:\b(?:(?:date|manufactur\w*|batch|lot|production)\s+codes?|tracking\s+numbers?|PO\s+numbers?"
    r"|lot\s+numbers?)\b)"
)
_CODES = re.compile(_CODE_KEY + r"[^:]*?(?:\bare|:|\binclude\w*)\s*([A-Z0-9].+)")
_CODES_NEXT = re.compile(_CODE_KEY + r"\s*(?:of\s+)?[\"\u201c(]?([A-Z0-9].+)")
_CODE_SPAN = re.compile(r"\b([A-Z]+(?:-[A-Z]+)*-?)(\d{2,6})\s+(?:to|through|thru|-)\s+\1(\d{2,6})\b")
_CLOSE = re.compile(r"[)\"\u201d]")
_CODE_WORD = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9/-]{1,11}$")
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$|^\d{1,2}$")
_UPC = re.compile(r"\b(?:UPC|GTIN|EAN)s?\b[^0-9]{0,80}((?:\d[\d -]{9,18}\d)(?:\s*(?:,|and|or)\s*\d[\d -]{9,18}\d)*)")
_NTH_OF = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)\s+(?:letter|character|digit)\s+of\s+the\s+(?:VIN|serial(?:\s+number)?)\s+(?:will\s+be|is)"
    r"\s+(?:an?\s+)?[\"\u201c]?([A-Z0-9])\b[\"\u201d]?"
)
_UPC_HEAD = re.compile(r"\bUPC\s+(?:codes?|numbers?)\b", re.IGNORECASE)
_UPC_CELL = re.compile(r"(?<![0-9-])\d{12}(?![0-9-])")  # a 12-digit UPC-A, its check digit right
_WHERE = re.compile(
    r"\b(?:printed|located|found|engraved|stamped|molded|embossed|on\s+(?:a|the)\s+label)\b", re.IGNORECASE
)
_WHAT = re.compile(r"\b(?:model|serial|S/N|date\s+code|code|UPC|lot|batch|manufactur)", re.IGNORECASE)
_NO_CODE = re.compile(
    r"\bno\s+(?:\w+\s+)?code\s+is\s+(?:present|printed|shown)|\bwithout\s+a\s+(?:\w+\s+)?code\b"
    r"|\b(?:do|does)\s+not\s+have\s+an?\s+(?:\w+\s+){0,2}(?:code|number)s?\s+(?:is|are)\s+(?:also\s+)?"
    r"(?:included|subject|part)",
    re.IGNORECASE,
)


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
    """The production window, when a sentence about manufacture gives two dates (or one day).

    A notice giving two different windows (one per model or batch) gets none: one window would tell the
    owner of a unit from the other that it is not affected.
    """
    windows: list[dict[str, str]] = []
    for sentence in sentences(text):
        if not _MADE.search(sentence):
            continue
        for found in [*_WINDOW.finditer(sentence), *_CODED_WINDOW.finditer(sentence)]:
            start, end = partial_date(found[1]), partial_date(found[2])
            if start and end and start <= end:
                windows.append({"from": start, "to": end})
        single = _ON_DATE.search(sentence)
        if single and partial_date(single[1]):
            windows.append({"from": partial_date(single[1]), "to": partial_date(single[1])})
    distinct = [w for i, w in enumerate(windows) if w not in windows[:i]]
    return distinct[0] if len(distinct) == 1 else {}


def serial(text: str, models: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Serial prefixes, suffixes, ranges, exact lists, lengths and contained codes from sentences about serials.

    ``models`` are the notice's model codes: where a table ran a model into a serial ("...2590PB-5810T
    P6121..."), they mark where one ends.
    """
    out: dict[str, Any] = {}
    for sentence in sentences(unglue_models(text, models)):
        match = _SERIAL.search(sentence)
        if not match:
            continue
        rest = sentence[match.start() :]
        _collect(out, "prefixes", [c for m in _PREFIX.finditer(rest) for c in _listed_on(rest, m)])
        excluded = bool(_EXCLUDED.search(rest))
        for m in _SUFFIX.finditer(rest):
            _collect(out, "exclude_suffixes" if excluded else "suffixes", _suffixes(m[1]))
        rows = [*columns.end_pairs(sentence), *(columns.prefix_rows(sentence) or [])]
        ranges = _ranges(sentence) + [[lo, hi] for lo, hi in rows if _readable(lo, hi)]
        _collect(out, "ranges", ranges)
        _collect(out, "prefix_ranges", _ranges(sentence, prefix=True))
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
    # "The 10th letter of the VIN will be an "R"": held as contains, a superset (no position is stored)
    _collect(out, "contains", [m[1] for s in sentences(text) if "th " in s for m in _NTH_OF.finditer(s)])
    if any(_unreadable(s) for s in sentences(unglue_models(text, models)) if _SERIAL.search(s)):
        out.pop("ranges", None)  # the ranges read would tell the owner of a unit in the other one "not affected"
    if any(k in out for k in ("prefixes", "ranges", "exact", "prefix_ranges")):
        out.pop("lengths", None)  # "14 digits starting with 57V": the prefix is the narrower test
    return out


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


def _ranges(sentence: str, *, prefix: bool = False) -> list[list[str]]:
    """Ranges whose nearest keyword before them is a serial one (not a date code, a model or a lot)."""
    return [pair for pair in _range_reads(sentence, prefix=prefix) if _is_range(*pair)]


def _unreadable(sentence: str) -> bool:
    """True if the sentence states a serial range whose ends cannot be compared ("22D00001-23C087042": one
    digit short; "I262400165 I162500429" in a first/last table: week and year codes that do not sort)."""
    return (
        any(
            not _is_range(lo, hi) and min(len(lo), len(hi)) >= 4 and _has_digit(lo) and _has_digit(hi)
            for lo, hi in _range_reads(sentence, prefix=False)
            if not (_YEARLIKE.match(lo) and _YEARLIKE.match(hi))
        )
        or not all(_readable(lo, hi) for lo, hi in columns.end_pairs(sentence))
        or columns.prefix_rows(sentence) is None
    )


def _readable(lo: str, hi: str) -> bool:
    return _is_range(lo, hi) or columns.number_range(lo, hi) or (lo == hi and len(lo) >= 4 and _has_digit(lo))


def _range_reads(sentence: str, *, prefix: bool) -> list[list[str]]:
    keys = [(m.end(), bool(m["serial"])) for m in _KEYS.finditer(sentence)]
    out: list[list[str]] = []
    for m in [*_RANGE.finditer(sentence), *_PLACEHOLDER_RANGE.finditer(sentence)]:
        before = [is_serial for end, is_serial in keys if end <= m.start()]
        if not before or not before[-1] or prefix != bool(_PREFIX_WORDING.search(sentence[: m.start()])):
            continue  # "first six digits between 202408 and 202501" bounds a prefix, not the serial
        if m.re is _PLACEHOLDER_RANGE:  # "VF122xxxxx - VF936xxxxx": any digits where the x stand
            lo, hi = m[1] + "0" * len(m[2]), m[3] + "9" * len(m[4])
        elif m[5] and (len(m[5]) > 16 or (m[5][0] != m[6][0] and " " not in m.group())):
            continue  # "A-B" without spaces: only ends that share a start, not cells run together
        else:
            lo, hi = _same_length(m[1] or m[3] or m[5], m[2] or m[4] or m[6])
        out.append([lo, hi])
    return out


def _listed_on(text: str, first: re.Match[str]) -> list[str]:
    """The code ``first`` found and those listed right after it; a letter alone is no prefix."""
    codes = [first[1]]
    end = first.end()
    while more := _MORE.match(text, end):
        codes.append(more[1])
        end = more.end()
    closed = re.match(r"[,.]?[\"\u201d\u2019']", text[first.end(1) :])  # a letter alone only as a quoted code
    codes = [c for i, c in enumerate(codes) if _has_digit(c) or len(c) >= 2 or (i == 0 and closed)]
    return [c for c in codes if model_codes.key(c) not in _FIELD_WORDS]  # 'beginning "SN."': every serial does


def _same_length(lo: str, hi: str) -> tuple[str, str]:
    """ "ES3014835626" to "3015507481": a letter code run into one end of an all-digit range is cut off."""
    if lo.isdigit() != hi.isdigit():
        letters, digits_only = (hi, lo) if lo.isdigit() else (lo, hi)
        bare = letters.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if bare.isdigit() and len(bare) == len(digits_only):
            return (bare, hi) if letters is lo else (lo, bare)
    return lo, hi


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
        if not _CODE_WORD.match(word) or _YEARLIKE.match(word):
            break
        out.append(word)
    return out


def codes(text: str, models: list[str] | tuple[str, ...] = ()) -> tuple[list[str], bool]:
    """Batch or date codes listed in the prose or a table column, and whether a unit without a code is
    included. ``models`` are the notice's models, never codes."""
    found: list[str] = []
    known = frozenset(model_codes.key(m) for m in models)
    for sentence in sentences(text):
        for pattern in (_CODES_NEXT, _CODES):
            match = pattern.search(sentence)
            listed = _code_list(match[1]) if match else []
            if listed:
                found.extend(listed)
                break
        else:
            if columns.may_hold_code_column(sentence):
                found.extend(columns.code_column(unglue(sentence), known))
        if re.search(_CODE_KEY, sentence):
            found.extend(_spans(sentence))
    return list(dict.fromkeys(found)), bool(_NO_CODE.search(clean(text))) and bool(found)


def _spans(sentence: str) -> list[str]:
    """ "PO-PP001 to PO-PP010": a short numbered span of codes, listed one by one (at most 100)."""
    out: list[str] = []
    for m in _CODE_SPAN.finditer(sentence):
        lo, hi = int(m[2]), int(m[3])
        if len(m[2]) == len(m[3]) and 0 <= hi - lo <= 100:
            out.extend(f"{m[1]}{n:0{len(m[2])}d}" for n in range(lo, hi + 1))
    return out


def _code_list(text: str) -> list[str]:
    """ "D4 1910, D4 1912 and 0124AA": codes up to the first word that is not one."""
    out: list[str] = []
    for piece in re.split(r"\s*(?:,|;|\band\b|\bor\b)\s*", text.rstrip(".")):
        item, *after = _CLOSE.split(piece.lstrip('"\u201c'), maxsplit=1)
        item = item.strip()
        if not item:
            continue
        if not re.fullmatch(r"(?:[A-Z0-9]{1,4} )?[A-Z0-9][A-Z0-9/-]{1,11}", item) or not _has_digit(item):
            break
        if _YEARLIKE.match(item):
            break
        out.append(item)
        if after and after[0].strip():  # "(022020, 022021 or 032023) appears", '"FO031124" printed on': the end
            break
    return out


def upcs(text: str) -> list[str]:
    out: dict[str, None] = {}
    for line in sentences(printed.headed_cells(unglue(text))):  # a table with a UPC column, no serial column
        head = _UPC_HEAD.search(line)
        if head and not _SERIAL.search(line):
            out.update(dict.fromkeys(n for n in _UPC_CELL.findall(line, head.end()) if printed.gtin_ok(n)))
    for match in _UPC.finditer(printed.headed_cells(unglue(text))):
        numbers = [re.sub(r"\D", "", item) for item in re.split(r"\s*(?:,|and|or)\s*", match[1])]
        lengths = {len(n) for n in numbers if 11 <= len(n) <= 14}
        for number in numbers:
            if 11 <= len(number) <= 14:
                out[number] = None
            elif len(lengths) == 1:  # the last UPC of a list run into the next cell of its table row
                out.update(dict.fromkeys(filter(None, [printed.leading_gtin(number, *lengths)])))
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
    lo, hi = (re.sub(r"[^0-9A-Z]", "", v.upper()) for v in (a, b))
    return len(lo) == len(hi) >= 4 and _has_digit(a) and lo < hi and not (_YEARLIKE.match(a) and _YEARLIKE.match(b))


def _suffixes(text: str) -> list[str]:
    out: list[str] = []
    digits = re.search(r"\b(\d)\s*(?:-|through|to)\s*(\d)\b", text)
    if digits:
        out.extend(str(d) for d in range(int(digits[1]), int(digits[2]) + 1))
        text = text[digits.end() :]
    out.extend(re.findall(r"[\"\u201c\u2018']([A-Z0-9]{1,4})(?:\.?[\"\u201d\u2019']|$)", text))
    return out
