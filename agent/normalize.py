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


class Chars:
    """A set of ASCII characters, and the ``str.translate`` tables that read a text by it."""

    __slots__ = ("_apart", "_drop", "keep")

    def __init__(self, keep: frozenset[str]) -> None:
        self.keep = keep
        others = [c for c in range(128) if chr(c) not in keep]
        self._apart = dict.fromkeys(others, " ")  # every other ASCII character becomes a space
        self._drop = dict.fromkeys(others)  # ... or goes

    def runs(self, text: str) -> list[str]:
        """The longest runs of these characters in ``text``, as a pattern ``[...]+`` of them finds them."""
        if text.isascii():
            return text.translate(self._apart).split()
        return "".join(c if c in self.keep else " " for c in text).split()

    def only(self, text: str) -> str:
        """``text`` without the characters that are not these."""
        if text.isascii():
            return text.translate(self._drop)
        return "".join(c for c in text if c in self.keep)


_UPPER_ALNUM = Chars(UPPER_ALNUM)
_LOWER_ALNUM = Chars(LOWER_ALNUM)
_ALNUM = Chars(ALNUM)
_DIGITS = Chars(frozenset(DIGITS))
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
    return _UPPER_ALNUM.only(fold(text).upper())


def alnum(text: str) -> str:
    """``text`` with only its ASCII letters and digits."""
    return _ALNUM.only(text)


def words(text: str) -> tuple[str, ...]:
    """The lower-case words of a product name, punctuation and spacing ignored."""
    return tuple(_LOWER_ALNUM.runs(fold(text)))


def brand_tokens(text: str) -> list[str]:
    """The words of a brand name without legal and corporate suffixes."""
    return [w for w in words(text) if w not in _CORPORATE]


def brand(text: str) -> str:
    """A brand key: case, punctuation and corporate suffixes ignored. Brand families are matching data."""
    return "".join(brand_tokens(text))


def digits(text: str) -> str:
    """A UPC or GTIN as bare digits without leading zeros, so UPC-A, EAN-13 and GTIN-14 forms compare equal."""
    # Beyond ASCII, the decimal digits of every script count, as they did for the pattern \D this stands for.
    kept = _DIGITS.only(text) if text.isascii() else "".join(c for c in text if c.isdecimal())
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
