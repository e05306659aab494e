"""Table cells the cpsc.gov export ran together without a space, pulled apart before codes are read.

"CoolerA17B0Not" is "Cooler A17B0 Not", "DF36450G/BK/PDF36450G/BK/P/LP" is two codes, and a date-code cell
repeated on every row ("0815 - 1253") separates the models beside it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.feeds.families import heads, split_families
from agent.feeds.text import clean

_CAMEL = re.compile(  # the first test holds wherever one of the others does: it makes the scan quick
    r"(?<=[a-z0-9])(?=[A-Z0-9])(?:(?<=[a-z]{2})(?=[A-Z])|(?<=[a-z])(?=[A-Z][A-Z0-9]{2})|(?<=[0-9])(?=[A-Z][a-z]{2})"
    r"|(?<=[0-9])(?=(?:UPC|SKU|VIN|MPPT)\b)|(?<=[a-z])(?=(?:19|20)\d\d-(?:19|20)\d\d)"
    r"|(?<=Numbers)(?=\d)|(?<=Number)(?=\d)|(?<=Models)(?=\d)|(?<=Model)(?=\d)"
    r")"
    r"|(?<=[A-Z0-9][A-Z])(?=[A-Z][a-z]{2})"  # "MAW08W1QWTKeystone", "CLP-430RClavinova": a word after a code
)
# a size cell after a code cell: "DF36450G/WH/P48” Dual Fuel" is the code, then 48 inches
_SIZE_AFTER = re.compile(
    r"(?<![\"\u201c\u2018'A-Za-z0-9/-])([A-Za-z0-9/-]*\d[A-Za-z0-9/-]*[A-Za-z])"
    r"(\d{1,3}(?:\.\d)? ?[\"\u201d\u2033\u2019'])(?![A-Za-z0-9])"
)


@lru_cache(maxsize=1024)  # models, serials and UPCs are read from the same texts
def unglue(text: str) -> str:
    """Table cells the website ran together: "CoolerA17B0Not" -> "Cooler A17B0 Not",
    "DF36450G/BK/PDF36450G/BK/P/LP" -> "DF36450G/BK/P DF36450G/BK/P/LP"."""
    text = _SIZE_AFTER.sub(r"\1 \2", _CAMEL.sub(" ", clean(text)))
    shared = heads(text)
    text = split_families(re.sub(r"[A-Za-z0-9/-]{14,}", _split_repeats, text), shared)
    cells = re.findall(r"\d{4} ?- ?\d{4}", text)  # "G71C0009S1110815 - 1253G71C0009S112": a repeated cell
    for cell in {c for c in cells if cells.count(c) >= 3}:
        text = text.replace(cell, f" {cell} ")
    return text


def _split_repeats(match: re.Match[str]) -> str:
    token = match.group()
    head = re.match(r"\d?[A-Z]{2,5}-?(?=\d)", token)
    if not head or token.find(head.group(), 1) < 0:
        return token
    return re.sub(rf"(?<=[A-Z0-9/])(?={head.group()}\d)", " ", token)
