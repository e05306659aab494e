"""Serial ranges read from a table with a first-serial and a last-serial column.

"Refrigerator Model First serial number Last serial number GDM-45 934419710010080 ..." holds, row by row,
a model and the two ends of its range. The ends stand side by side ("PA044936 PA147874") or, where the
website ran the two cells together, as one run of digits that splits in one way only into a shorter or
equal first end and a larger last end ("934419710010080": 9344197 and 10010080).
"""

from __future__ import annotations

import re
from itertools import pairwise

from agent.feeds.printed import shape

_LOW = r"(?:start|first|begin(?:ning)?|min(?:imum)?|low(?:est)?)\b"
_HIGH = r"(?:end|last|max(?:imum)?|high(?:est)?)"
_HEADER = re.compile(
    rf"\b{_LOW}(?:\s+serial)?(?:\s+numbers?)?\s+(?:serial\s+numbers?\s+)?(?:range\s+)?{_HIGH}"
    r"(?:\s+serial)?(?:\s+numbers?)?",
    re.IGNORECASE,
)
_SERIAL = re.compile(r"\bserial\b", re.IGNORECASE)
_CELL = re.compile(r"(?<![A-Za-z0-9*-])[A-Z0-9][A-Z0-9-]*[A-Z0-9](?![A-Za-z0-9*-])")


def end_pairs(sentence: str) -> list[tuple[str, str]]:
    """(first, last) of each row under a first/last serial header in ``sentence``; [] without one.

    Pairs are given as printed, whether or not they make a range ("I262400165 I162500429" does not sort):
    the caller decides, and one pair it cannot read makes the whole table unreadable.
    """
    header = _HEADER.search(sentence)
    if not header or not _SERIAL.search(sentence, 0, header.end()):
        return []
    rows = sentence[header.end() :]
    cells = list(_CELL.finditer(rows))
    out: list[tuple[str, str]] = []
    paired: set[int] = set()
    for index, (first, second) in enumerate(pairwise(cells)):
        a, b = first.group(), second.group()
        if index in paired or rows[first.end() : second.start()] != " ":
            continue
        if shape(a) == shape(b) and _digits(a) >= 5:
            out.append((a, b))
            paired |= {index, index + 1}
    for index, cell in enumerate(cells):
        split = _split_run(cell.group()) if index not in paired and cell.group().isdigit() else None
        if split:
            out.append(split)
    return out


def number_range(lo: str, hi: str) -> bool:
    """True for numbered serials whose ends differ in length: all digits, no leading zero, lo below hi."""
    return lo.isdigit() and hi.isdigit() and len(lo) != len(hi) and lo[0] != "0" and int(lo) < int(hi)


def _split_run(run: str) -> tuple[str, str] | None:
    """The one way to cut a run of digits into ends of equal or growing length (by one) that rise."""
    if not 12 <= len(run) <= 20:
        return None
    cuts = []
    for cut in range(6, len(run) - 5):
        lo, hi = run[:cut], run[cut:]
        if hi[0] != "0" and len(lo) <= len(hi) <= len(lo) + 1 and int(lo) < int(hi):
            cuts.append((lo, hi))
    return cuts[0] if len(cuts) == 1 else None


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


_CODE_HEADER = re.compile(r"\b(?:Batch|Lot|Date|Production)\s+(?:Numbers?|Codes?)\b")  # a table's column head
_CODE_HEAD_WORDS = ("Batch", "Lot", "Date", "Production")  # the first words _CODE_HEADER needs


def may_hold_code_column(text: str) -> bool:
    """False when ``text`` names no column head of code_column: then its cells set apart (which only puts
    spaces between them) name none either, and the cost of setting them apart is saved."""
    return any(word in text for word in _CODE_HEAD_WORDS)


_CODE_CELL = re.compile(r"(?<![A-Za-z0-9-])[A-Z]{0,4}\d{6,}[A-Z]{0,2}(?![A-Za-z0-9-])")


def code_column(sentence: str, models: frozenset[str]) -> list[str]:
    """The values under a "Batch Number" or "Lot Code" column head: cells of one shape with six digits or
    more that are not the notice's models ("M11288ATLB WC0234712405 WC0238412406"). UPC-length runs of
    digits, mixed shapes or no such head give none."""
    header = _CODE_HEADER.search(sentence)
    if not header:
        return []
    cells = [c for c in _CODE_CELL.findall(sentence, header.end()) if _key(c) not in models]
    if not cells or len({shape(c) for c in cells}) > 1 or any(c.isdigit() and len(c) >= 11 for c in cells):
        return []
    return list(dict.fromkeys(cells))


def _key(code: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", code.upper())


_PREFIX_HEAD = re.compile(rf"\bPrefix\s*{_LOW}\s*{_HIGH}", re.IGNORECASE)
_PREFIX_ROW = re.compile(r"([A-Z][0-9A-Z]{0,3}[A-Z]) ?(\d{6,})")
_YEAR = re.compile(r"(?:19|20)\d\d$")


def prefix_rows(sentence: str) -> list[tuple[str, str]] | None:
    """(first, last) serials of a "Prefix Min Max" table ("J2D 0000625 0000880" run together as
    "J2D00006250000880"): the prefix before each half of its run of digits. A model year run into the end of
    a row ("...08802022J0D...") is cut off when the row is four digits longer than the others. [] without
    such a table; None when a row cannot be read (its ranges would clear the units of that row)."""
    head = _PREFIX_HEAD.search(sentence)
    if not head:
        return []
    rows = [(m[1], m[2]) for m in _PREFIX_ROW.finditer(sentence, head.end())]
    lengths = [len(digits) for _, digits in rows]
    width = max(set(lengths), key=lengths.count) if lengths else 0
    out: list[tuple[str, str]] = []
    for prefix, run in rows:
        digits = run[:width] if len(run) == width + 4 and _YEAR.search(run) else run
        half = len(digits) // 2
        if len(digits) != width or width % 2 or digits[:half] > digits[half:]:
            return None
        out.append((prefix + digits[:half], prefix + digits[half:]))
    return out
