"""Production windows, batch and date codes and UPCs stated in recall prose, and the sentences saying where
a model, serial or date code is printed.
"""

from __future__ import annotations

import re

from agent import datetimes as dt
from agent.feeds import columns, model_codes, printed
from agent.feeds.cells import unglue
from agent.feeds.criteria import SERIAL
from agent.feeds.extract import sentences
from agent.feeds.patterns import Folded, may_hold
from agent.feeds.ranges import YEARLIKE, has_digit
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
_MADE = Folded(r"\b(?:manufactur\w*|made|produced|production|built|date\s+codes?)\b")
_MADE_WORDS = ("manufactur", "made", "produc", "built", "date")  # what each case-insensitive pattern needs
_CODE_KEY = (
    r"(?i:\b(?:(?:date|manufactur\w*|batch|lot|production)\s+codes?|tracking\s+numbers?|PO\s+numbers?"
    r"|lot\s+numbers?)\b)"
)
_KEY_WORDS = ("code", "tracking", "number")
_KEYED = re.compile(_CODE_KEY)  # both patterns below begin with it: no match of it, no match of them
_CODES = re.compile(_CODE_KEY + r"[^:]*?(?:\bare|:|\binclude\w*)\s*([A-Z0-9].+)")
_CODES_NEXT = re.compile(_CODE_KEY + r"\s*(?:of\s+)?[\"\u201c(]?([A-Z0-9].+)")
_CODE_SPAN = re.compile(r"\b([A-Z]+(?:-[A-Z]+)*-?)(\d{2,6})\s+(?:to|through|thru|-)\s+\1(\d{2,6})\b")
_CLOSE = re.compile(r"[)\"\u201d]")
_UPC = re.compile(r"\b(?:UPC|GTIN|EAN)s?\b[^0-9]{0,80}((?:\d[\d -]{9,18}\d)(?:\s*(?:,|and|or)\s*\d[\d -]{9,18}\d)*)")
_UPC_HEAD = re.compile(r"\bUPC\s+(?:codes?|numbers?)\b", re.IGNORECASE)
_UPC_CELL = re.compile(r"(?<![0-9-])\d{12}(?![0-9-])")  # a 12-digit UPC-A, its check digit right
_WHERE = Folded(r"\b(?:printed|located|found|engraved|stamped|molded|embossed|on\s+(?:a|the)\s+label)\b")
_WHERE_WORDS = ("printed", "located", "found", "engraved", "stamped", "molded", "embossed", "label")
_WHAT = Folded(r"\b(?:model|serial|s/n|date\s+code|code|upc|lot|batch|manufactur)")
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
        if not may_hold(sentence, _MADE_WORDS) or not _MADE.search(sentence):
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


def codes(text: str, models: list[str] | tuple[str, ...] = ()) -> tuple[list[str], bool]:
    """Batch or date codes listed in the prose or a table column, and whether a unit without a code is
    included. ``models`` are the notice's models, never codes."""
    found: list[str] = []
    known = frozenset(model_codes.key(m) for m in models)
    for sentence in sentences(text):
        keyed = _KEYED.search(sentence) if may_hold(sentence, _KEY_WORDS) else None
        for pattern in (_CODES_NEXT, _CODES):
            match = pattern.search(sentence) if keyed else None
            listed = _code_list(match[1]) if match else []
            if listed:
                found.extend(listed)
                break
        else:
            if columns.may_hold_code_column(sentence):
                found.extend(columns.code_column(unglue(sentence), known))
        if keyed:
            found.extend(_spans(sentence))
    return list(dict.fromkeys(found)), bool(found) and bool(_NO_CODE.search(clean(text)))


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
        if not re.fullmatch(r"(?:[A-Z0-9]{1,4} )?[A-Z0-9][A-Z0-9/-]{1,11}", item) or not has_digit(item):
            break
        if YEARLIKE.match(item):
            break
        out.append(item)
        if after and after[0].strip():  # "(022020, 022021 or 032023) appears", '"FO031124" printed on': the end
            break
    return out


def upcs(text: str) -> list[str]:
    out: dict[str, None] = {}
    cells = printed.headed_cells(unglue(text))
    for line in sentences(cells):  # a table with a UPC column, no serial column
        head = _UPC_HEAD.search(line)
        if head and not SERIAL.search(line):
            out.update(dict.fromkeys(n for n in _UPC_CELL.findall(line, head.end()) if printed.gtin_ok(n)))
    for match in _UPC.finditer(cells):
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
    return [s for s in sentences(text) if may_hold(s, _WHERE_WORDS) and _WHERE.search(s) and _WHAT.search(s)][:limit]
