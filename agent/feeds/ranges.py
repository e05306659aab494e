"""Serial ranges stated in recall prose ("between 2208000001 and 2212999999", "VF122xxxxx - VF936xxxxx"):
read only where the nearest keyword before them is a serial one, and kept only where their ends compare.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from agent.feeds import columns

_KEYS = re.compile(
    r"\b(?P<serial>serial|S/N|SN)\b|\b(?P<other>date\s+codes?|batch|lot|codes?|UPC|models?|item|SKU|manufactur\w*"
    r"|made|VIN|part)\b",
    re.IGNORECASE,
)
CODE_END = r"[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?"
_BARE = r"[A-Z0-9]+"
_RANGE = re.compile(
    rf"\b(?:[Bb]etween|[Ff]rom)\s+({CODE_END})\s+(?:and|to|through|thru)\s+({CODE_END})\b"
    rf"|\b({CODE_END})\s+(?:through|thru|to)\s+({CODE_END})\b|\b({_BARE})\s*-\s*({_BARE})\b"
)
_PLACEHOLDER_RANGE = re.compile(r"\b([A-Z0-9]+?)(x{2,})\s*-\s*([A-Z0-9]+?)(x{2,})(?![A-Za-z0-9])")
_PREFIX_WORDING = re.compile(
    r"\bfirst\s+\w+\s+(?:digits|characters|numbers|letters)|\bstarts?\s+with\b|\bprefix(?:es)?\b(?![^.]*\bthrough\b[^.]*\bserial)",
    re.I,
)
YEARLIKE = re.compile(r"^(?:19|20)\d\d$|^\d{1,2}$")
_NOT_KEY = re.compile(r"[^0-9A-Z]")


def serial_ranges(sentence: str, *, prefix: bool = False) -> list[list[str]]:
    """Ranges whose nearest keyword before them is a serial one (not a date code, a model or a lot)."""
    return [pair for pair in _range_reads(sentence, prefix=prefix) if _is_range(*pair)]


def unreadable(sentence: str) -> bool:
    """True if the sentence states a serial range whose ends cannot be compared ("22D00001-23C087042": one
    digit short; "I262400165 I162500429" in a first/last table: week and year codes that do not sort)."""
    return (
        any(
            not _is_range(lo, hi) and min(len(lo), len(hi)) >= 4 and has_digit(lo) and has_digit(hi)
            for lo, hi in _range_reads(sentence, prefix=False)
            if not (YEARLIKE.match(lo) and YEARLIKE.match(hi))
        )
        or not all(readable(lo, hi) for lo, hi in columns.end_pairs(sentence))
        or columns.prefix_rows(sentence) is None
    )


def readable(lo: str, hi: str) -> bool:
    return _is_range(lo, hi) or columns.number_range(lo, hi) or (lo == hi and len(lo) >= 4 and has_digit(lo))


def _range_reads(sentence: str, *, prefix: bool) -> list[list[str]]:
    out: list[list[str]] = []
    for m, prefixed in _serial_spans(sentence):
        if prefix != prefixed:
            continue  # "first six digits between 202408 and 202501" bounds a prefix, not the serial
        if m.re is _PLACEHOLDER_RANGE:  # "VF122xxxxx - VF936xxxxx": any digits where the x stand
            lo, hi = m[1] + "0" * len(m[2]), m[3] + "9" * len(m[4])
        elif m[5] and (len(m[5]) > 16 or (m[5][0] != m[6][0] and " " not in m.group())):
            continue  # "A-B" without spaces: only ends that share a start, not cells run together
        else:
            lo, hi = _same_length(m[1] or m[3] or m[5], m[2] or m[4] or m[6])
        out.append([lo, hi])
    return out


@lru_cache(maxsize=256)  # a sentence's ranges are read as serial ranges, as prefix ranges and for unreadable ends
def _serial_spans(sentence: str) -> tuple[tuple[re.Match[str], bool], ...]:
    """Each range whose nearest keyword before it is a serial one, and whether prefix wording comes before it."""
    keys = list(_KEYS.finditer(sentence))
    ends = [k.end() for k in keys]  # increasing: finditer's matches do not overlap
    out: list[tuple[re.Match[str], bool]] = []
    for m in [*_RANGE.finditer(sentence), *_PLACEHOLDER_RANGE.finditer(sentence)]:
        before = bisect_right(ends, m.start())  # the keywords that end before the range: the last one counts
        if before and keys[before - 1]["serial"]:
            out.append((m, bool(_PREFIX_WORDING.search(sentence[: m.start()]))))
    return tuple(out)


def _same_length(lo: str, hi: str) -> tuple[str, str]:
    """ "ES3014835626" to "3015507481": a letter code run into one end of an all-digit range is cut off."""
    if lo.isdigit() != hi.isdigit():
        letters, digits_only = (hi, lo) if lo.isdigit() else (lo, hi)
        bare = letters.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if bare.isdigit() and len(bare) == len(digits_only):
            return (bare, hi) if letters is lo else (lo, bare)
    return lo, hi


def has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _is_range(a: str, b: str) -> bool:
    lo, hi = (_NOT_KEY.sub("", v.upper()) for v in (a, b))
    return len(lo) == len(hi) >= 4 and has_digit(a) and lo < hi and not (YEARLIKE.match(a) and YEARLIKE.match(b))
