"""How notices print codes that the plain code shapes of model_codes.py miss or mistake.

- a serial table's start and end columns: two values of one shape side by side ("I262400137 I162500430");
  any value of that shape in the same table is a serial, never a model;
- series letters printed apart from the code ("CX 199-LP" where the notice also names model CX-199).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from agent.feeds.patterns import SHAPE, compiled

_VALUE = re.compile(r"(?<![A-Za-z0-9-])[A-Z0-9][A-Z0-9-]{5,}(?![A-Za-z0-9-])")
_NOT_KEY = re.compile(r"[^0-9A-Z]")
_START_END = re.compile(r"\b(?:start|first|begin\w*|min\w*|low\w*)\b.{0,40}?\b(?:end|last|max\w*|high\w*)\b", re.I)


def shape(token: str) -> str:
    """ "I262400137" -> "A999999999": letters as A, digits as 9, punctuation kept."""
    return token.upper().translate(SHAPE)


def serial_columns(rows: str) -> frozenset[str]:
    """Shapes of the values that stand in pairs of one shape, side by side with only a space between, in
    ``rows`` (the text under a table header naming a serial column, which names a start and an end column
    too): the first and last serial of a row."""
    if not _START_END.search(rows):
        return frozenset()
    values = list(_VALUE.finditer(rows))
    shapes: set[str] = set()
    for first, second in pairwise(values):
        same = shape(first.group()) == shape(second.group())
        if same and rows[first.end() : second.start()] == " " and sum(c.isdigit() for c in first.group()) >= 6:
            shapes.add(shape(first.group()))
    return frozenset(shapes)


def with_series_letters(codes: list[str], text: str) -> list[str]:
    """Codes that begin with digits and are printed after two or three capitals ("CX 199-LP") get those
    letters back when the letters and digits begin another code of the notice ("CX-199")."""
    keys = [_key(c) for c in codes]
    out: list[str] = []
    for code in codes:
        out.append(_lettered(code, text, keys) if code[:1].isdigit() and " " not in code else code)
    return list(dict.fromkeys(out))


def _lettered(code: str, text: str, keys: Iterable[str]) -> str:
    if not _after_capitals(code, text):  # compile the pattern below only for a code it can find
        return code
    found = compiled(rf"(?<![A-Za-z0-9-])([A-Z]{{2,3}}) {re.escape(code)}(?![A-Za-z0-9])").search(text)
    if not found:
        return code
    joined = _key(found[1] + code)
    digits = re.match(r"\d+", code)
    stem = found[1] + (digits.group() if digits else "")
    if any(k != joined and k.startswith(stem) and joined.startswith(k) for k in keys):
        return f"{found[1]} {code}"
    return code


def _after_capitals(code: str, text: str) -> bool:
    """Whether ``text`` prints " " and ``code`` right after two capitals somewhere, as _lettered needs."""
    at = text.find(f" {code}", 2)
    while at >= 0:
        if all("A" <= c <= "Z" for c in text[at - 2 : at]):
            return True
        at = text.find(f" {code}", at + 1)
    return False


def _key(code: str) -> str:
    return _NOT_KEY.sub("", code.upper())


_NAME_RUN = re.compile(r"(?i:\bmodel\s+(?:numbers|names)\b)\s*:?\s*([A-Z][A-Z0-9 ./-]{10,}[A-Z0-9])")
_WORD = re.compile(r"[A-Z](?<=\b[A-Z])[a-z]{2,}\b")  # \b[A-Z][a-z]{2,}\b: the capital first, quick to find


def named_models(text: str) -> list[str]:
    """Model names in capitals that a table ran together after a "Model Numbers" heading, split before each
    product-line word the prose also writes in lower case ("COMO 3.0 IGHCOMO SL 4.0VADO 5.0 IGH" with "Vado
    and Como e-bikes" gives "COMO 3.0 IGH", "COMO SL 4.0", "VADO 5.0 IGH"). Only a run that begins with such a
    word and holds several of them run into the text before them is read; every name has a digit."""
    words = {w.upper() for w in _WORD.findall(text)}
    out: list[str] = []
    for run in _NAME_RUN.finditer(text):
        heads = [w for w in words if w in run[1] and compiled(rf"(?<=[A-Z0-9.]){w}(?=[ 0-9])").search(run[1])]
        first = run[1].split()[0]
        if first not in words or not heads:
            continue
        pattern = "|".join(sorted({first, *heads}, key=len, reverse=True))
        pieces = [p.strip() for p in compiled(rf"(?=(?:{pattern})[ 0-9])").split(run[1]) if p.strip()]
        if len(pieces) >= 3 and all(any(c.isdigit() for c in p) and len(p) <= 40 for p in pieces):
            out.extend(pieces)
    return out


_HEADED_RUN = re.compile(
    r"(?i:\b((?:item|model|part|sku)(?:\s*(?:numbers?|no\.?|#))?)\s*:\s*(UPCs?(?:\s+codes?)?))\s*:\s*(\d{15,24})(?!\d)"
)


def gtin_ok(number: str) -> bool:
    """True if the last digit of a UPC, EAN or GTIN is the check digit of the others."""
    if not number.isdigit() or len(number) not in (8, 12, 13, 14):
        return False
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(number[:-1])))
    return (10 - total % 10) % 10 == int(number[-1])


@lru_cache(maxsize=256)  # models and UPCs read the same notice's cells
def headed_cells(text: str) -> str:
    """ "Item number:UPC:58671193175443663" -> "Item number: 58671 UPC: 193175443663": two header cells and
    the two value cells run together after them, split where the UPC's check digit says it begins. In a
    notice that names UPCs, a code ending in a letter run into a 12-digit UPC is cut before the UPC
    ("DF156-MT196710005616")."""
    if "upc" in text.lower():  # the pattern needs it, and no other letters fold onto U, P or C
        text = _HEADED_RUN.sub(_split_cells, text)
    return _CODE_UPC.sub(_code_apart, text) if "UPC" in text else text


_CODE_UPC = re.compile(r"(?<![A-Za-z0-9-])([A-Z][A-Z0-9-]*\d[A-Z0-9-]*[A-Z])(\d{12})(?![A-Za-z0-9])")


def _code_apart(found: re.Match[str]) -> str:
    return f"{found[1]} {found[2]}" if gtin_ok(found[2]) else found.group()


def _split_cells(found: re.Match[str]) -> str:
    run = found[3]
    cuts = [len(run) - n for n in (12, 13) if 3 <= len(run) - n <= 10 and gtin_ok(run[len(run) - n :])]
    if len(cuts) != 1:
        return found.group()  # no UPC, or two readings: leave the cell as it is
    return f"{found[1]}: {run[: cuts[0]]} {found[2]}: {run[cuts[0] :]}"


def leading_gtin(number: str, length: int) -> str:
    """The UPC a table ran into the next cell ("4061464174863708924708925" after 13-digit UPCs), or ""."""
    head = number[:length]
    return head if len(number) > length and gtin_ok(head) else ""


def joined_range(token: str) -> bool:
    """True for a serial range written as one token, two ends of one shape: "Y1025-Y1310"."""
    ends = token.split("-")
    return len(ends) == 2 and len(ends[0]) >= 4 and shape(ends[0]) == shape(ends[1]) and ends[0][0].isalpha()
