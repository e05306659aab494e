"""Normalisation shared by rules, inventory items and discovered devices."""

from __future__ import annotations

# Character sets read with str methods instead of patterns: each pattern compiled costs a start as much as
# reading several items, and these run on every start. tests/matching/test_pattern_equivalents.py compares each
# with the pattern it stands for.
DIGITS = "0123456789"
UPPER_ALNUM = frozenset(DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
LOWER_ALNUM = frozenset(DIGITS + "abcdefghijklmnopqrstuvwxyz")
ALNUM = UPPER_ALNUM | LOWER_ALNUM
HEX = frozenset(DIGITS + "abcdefABCDEF")
_DROP_BUT_UPPER_ALNUM = {c: None for c in range(128) if chr(c) not in UPPER_ALNUM}
_DROP_BUT_ALNUM = {c: None for c in range(128) if chr(c) not in ALNUM}
_DROP_BUT_DIGITS = {c: None for c in range(128) if chr(c) not in DIGITS}


def runs(text: str, keep: frozenset[str], apart: dict[int, str]) -> list[str]:
    """The longest runs of characters in ``keep`` (as a pattern ``[...]+`` of them finds them); ``apart`` maps
    every other ASCII character to a space, as ``separating(keep)`` makes it."""
    if text.isascii():
        return text.translate(apart).split()
    return "".join(c if c in keep else " " for c in text).split()


def separating(keep: frozenset[str]) -> dict[int, str]:
    """The table ``runs`` needs for ``keep``: every ASCII character not in it becomes a space."""
    return {c: " " for c in range(128) if chr(c) not in keep}


def only(text: str, keep: frozenset[str], drop: dict[int, None]) -> str:
    """``text`` without the characters that are not in ``keep``; ``drop`` deletes the other ASCII ones."""
    if text.isascii():
        return text.translate(drop)
    return "".join(c for c in text if c in keep)


_WORD_APART = separating(LOWER_ALNUM)
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


def fold(text: str) -> str:
    """Unicode-fold and lower-case: full-width letters, ligatures and accents read as plain ASCII where possible."""
    if text.isascii():
        return text.casefold()  # nothing to decompose: the common case, and the hot one
    import unicodedata  # a library of its own, loaded by the first text that needs it

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def model_code(text: str) -> str:
    """``"a-1112"``, ``"A 1112"`` and ``"A1112"`` all become ``"A1112"``."""
    return only(fold(text).upper(), UPPER_ALNUM, _DROP_BUT_UPPER_ALNUM)


def alnum(text: str) -> str:
    """``text`` with only its ASCII letters and digits."""
    return only(text, ALNUM, _DROP_BUT_ALNUM)


def words(text: str) -> tuple[str, ...]:
    """The lower-case words of a product name, punctuation and spacing ignored."""
    return tuple(runs(fold(text), LOWER_ALNUM, _WORD_APART))


def brand_tokens(text: str) -> list[str]:
    """The words of a brand name without legal and corporate suffixes."""
    return [w for w in words(text) if w not in _CORPORATE]


def brand(text: str) -> str:
    """A brand key: case, punctuation and corporate suffixes ignored. Brand families are matching data."""
    return "".join(brand_tokens(text))


def digits(text: str) -> str:
    """A UPC or GTIN as bare digits without leading zeros, so UPC-A, EAN-13 and GTIN-14 forms compare equal."""
    kept = text.translate(_DROP_BUT_DIGITS) if text.isascii() else "".join(c for c in text if c.isdecimal())
    return kept.lstrip("0")


def hex_id(value: object) -> str:
    """A USB vendor or product id as four lower-case hex digits; ValueError if it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= 0xFFFF:
            return f"{value:04x}"
        raise ValueError(f"{value} is out of range for a 16-bit id")
    if isinstance(value, str):
        bare = value.strip()
        bare = bare[2:] if bare.startswith("0x") else bare
        if 1 <= len(bare) <= 4 and all(c in HEX for c in bare):
            return bare.lower().zfill(4)
    raise ValueError(f"expected a 16-bit hex id like 291a, got {value!r}")
