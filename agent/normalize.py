"""Normalisation shared by rules, inventory items and discovered devices."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_WORD = re.compile(r"[0-9a-z]+")
_CORPORATE = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "co",
        "corp",
        "corporation",
        "company",
        "gmbh",
        "ag",
        "sa",
        "plc",
        "bv",
        "technology",
        "technologies",
        "electronics",
        "international",
        "group",
        "holdings",
        "usa",
        "us",
    }
)
_HEX = re.compile(r"^(?:0x)?([0-9a-fA-F]{1,4})$")


def fold(text: str) -> str:
    """Unicode-fold and lower-case: full-width letters, ligatures and accents read as plain ASCII where possible."""
    if text.isascii():
        return text.casefold()  # nothing to decompose: the common case, and the hot one
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def model_code(text: str) -> str:
    """``"a-1112"``, ``"A 1112"`` and ``"A1112"`` all become ``"A1112"``."""
    return _NOT_ALNUM.sub("", fold(text).upper())


def words(text: str) -> tuple[str, ...]:
    """The lower-case words of a product name, punctuation and spacing ignored."""
    return tuple(_WORD.findall(fold(text)))


def brand_tokens(text: str) -> list[str]:
    """The words of a brand name without legal and corporate suffixes."""
    return [w for w in words(text) if w not in _CORPORATE]


def brand(text: str) -> str:
    """A brand key: case, punctuation and corporate suffixes ignored. Brand families are matching data."""
    return "".join(brand_tokens(text))


def digits(text: str) -> str:
    """A UPC or GTIN as bare digits without leading zeros, so UPC-A, EAN-13 and GTIN-14 forms compare equal."""
    return re.sub(r"\D", "", text).lstrip("0")


def hex_id(value: object) -> str:
    """A USB vendor or product id as four lower-case hex digits; ValueError if it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= 0xFFFF:
            return f"{value:04x}"
        raise ValueError(f"{value} is out of range for a 16-bit id")
    if isinstance(value, str):
        match = _HEX.match(value.strip())
        if match:
            return match[1].lower().zfill(4)
    raise ValueError(f"expected a 16-bit hex id like 291a, got {value!r}")
