"""Feed text made plain: HTML entities decoded, mojibake repaired, dashes and spaces unified, unit counts read.

Agencies publish text that passed through HTML and several encodings: "&nbsp;", "&amp;amp;", "â€œ" for a
curly quote, "BI\u2011B41" with a non-breaking hyphen. ``clean`` gives the text a person reads on the notice
page; every converted field goes through it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import ftfy

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_MARKS = re.compile("[\u2122\u00ae\u2120\u00a9]")  # trade marks: "3M\u2122" is printed "3M", not "3MTM"
_MARK_GLUED = re.compile("(?<=[^\\W_])[\u2122\u00ae\u2120\u00a9](?=[^\\W_])")  # a mark ends a word: "PRO-FXR\u21221000"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# What _SPACES changes (else nothing): two spaces, or one of these (a search of one class is quick, of an
# alternation slow).
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_TAGS = re.compile(r"<(?:br|p|/p|div|/div|li|/li|tr|/tr|td|/td|span|/span|strong|/strong|b|/b|em|/em)\b[^>]*>", re.I)
_PLAIN = re.compile(r"[\t\n\x20-\x7e]*")  # printable ASCII: nothing for ftfy, NFKC or the dash table to change
# Plain text with curly quotes, ellipses and no-break spaces: in every encoding ftfy tries, these are either
# all UTF-8 continuation bytes or all lead bytes, so no mojibake can be read into them and ftfy leaves them.
_NO_MOJIBAKE = re.compile("[\t\n\x20-\x7e\u2018\u2019\u201c\u201d\u2026\u00a0]*")
_WHITE = re.compile(r"\s+")
_OTHER_WHITE = re.compile(r"[^\S ]")  # with two spaces, what _WHITE changes: white space but a space
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_COUNT = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(hundred|thousand|million|billion)?\b|\b(hundreds|thousands|millions)\b", re.I
)


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Entities decoded (twice-escaped ones too), mojibake repaired, dashes and odd spaces made plain.

    Pure, and called on the same description by every extractor, so results are kept for reuse.
    """
    if not text:
        return ""
    for _ in range(3):  # "&amp;nbsp;" is "&nbsp;" escaped once more
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    if "<" in text:  # every tag begins with it
        text = _TAGS.sub(" ", text)
    if not (text.isascii() and _PLAIN.fullmatch(text)):  # a string knows whether it is ASCII: no scan
        if not _NO_MOJIBAKE.fullmatch(text):
            text = ftfy.fix_text(text, normalization="NFC", unescape_html=False, uncurl_quotes=False)
        if _MARKS.search(text):  # a quick scan: the two below change nothing in text without a mark
            text = _MARKS.sub("", _MARK_GLUED.sub(" ", text))
        text = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    return _SPACES.sub(" ", text) if respaced(text) else text


def respaced(text: str) -> bool:
    """Whether ``_SPACES`` changes ``text``: a search of ``[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]| [ ]``."""
    return "  " in text or _ODD_SPACE.search(text) is not None


@lru_cache(maxsize=4096)
def one_line(text: str) -> str:
    """``clean`` with every run of white space, line breaks included, made one space."""
    text = clean(text)
    return (_WHITE.sub(" ", text) if rewhitened(text) else text).strip()


def rewhitened(text: str) -> bool:
    """Whether ``_WHITE`` changes ``text``: a search of ``[^\\S ]| [ ]``, one class searched for and ``in``."""
    return "  " in text or _OTHER_WHITE.search(text) is not None


def unit_count(text: str) -> int:
    """How many units a count such as "About 2.7 million", "About 1,200" or "Millions" says; 0 if none.

    Only the first count is read: what follows ("In addition, about 9,900 were sold in Canada") is
    about other markets or earlier recalls.
    """
    match = _COUNT.search(one_line(text))
    if not match:
        return 0
    if match[3]:  # "Millions": more than one, so at least the scale itself
        return _SCALE[match[3].lower().rstrip("s")]
    number = float(match[1].replace(",", ""))
    return round(number * _SCALE.get((match[2] or "").lower(), 1))
