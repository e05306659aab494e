"""Product names as people write them: one unit or many, words in any order, with or without the brand.

A notice's name phrase matches an item's name when every distinctive word of the phrase (not generic,
not a brand of the notice) is in the item's name, and the item does not call itself a different kind
of thing ("charger" where the notice says "power bank").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from agent import normalize
from agent.matching import policy
from agent.record import Record

# The patterns only some names need are compiled when first used (at import each costs as much as
# reading several items); pattern() keeps them. What every name's words need is read with str methods
# (tests/matching/test_pattern_equivalents.py compares them with the patterns they stand for).
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    import re


@functools.cache
def pattern(text: str) -> re.Pattern[str]:
    """``text`` compiled, once; re itself is imported by the first name that needs a pattern."""
    import re

    return re.compile(text)


_N_IN_ONE = r"\b([0-9])\s*-?\s*in\s*-?\s*([0-9])\b"  # "3-in-1" is one word: "3in1"
_E_PREFIX = r"\be-(?=[a-z]{3})"  # "e-bikes" is one word: "ebikes"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ORDINALS = ("st", "nd", "rd", "th")
_PARENS = r"\(([^()]*)\)"
_TAIL = r"\b(?:with|for|sold|that|which|including|in|from)\b.*$"
# "battery sold for Pixy Flying Cameras": what an accessory serves
_FOR = r"^(?:sold\s+)?for\s+(?:use\s+(?:with|in|on)\s+)?(.+)$"
_AND = r"\s*(?:\band\b|&|/|;|,)\s*"


def stem(word: str) -> str:
    if len(word) <= 3 or word[-1] != "s" or word.endswith("ss") or word[-2].isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


@functools.lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Lower-case words, letters and digits apart ("Note7" -> note 7), plurals made singular, synonyms folded."""
    loaded = policy.load()
    same = loaded.same_words
    out: list[str] = []
    for word in normalize.words(_joined(normalize.fold(text))):
        if word == "s":
            continue  # the "s" of a possessive: "Children's" reads "children s"
        for part in _split(word):
            base = stem(part)
            if part in loaded.generic_words and base not in loaded.generic_words:
                base = part  # "series" is no plural of a "sery"
            out.extend(same.get(part, same.get(base, base)).split())
    return _pairs_folded(out, same)


def _joined(text: str) -> str:
    """ "3-in-1" and "3 in 1" as one word ("3in1"), "e-bikes" too ("ebikes")."""
    if _in_after_digit(text):
        text = pattern(_N_IN_ONE).sub(r"\1in\2", text)
    if "e-" in text:
        text = pattern(_E_PREFIX).sub("e", text)
    return text


def _in_after_digit(text: str) -> bool:
    """Whether an "in" follows a digit, with spaces and a dash between or not: what _N_IN_ONE needs."""
    at = text.find("in")
    while at >= 0:
        before = text[:at].rstrip()
        if before.endswith("-"):
            before = before[:-1].rstrip()
        if before and before[-1] in normalize.DIGITS:
            return True
        at = text.find("in", at + 1)
    return False


def _split(word: str) -> tuple[str, ...]:
    """A word of letters then digits or digits then letters in its two parts ("note7": note, 7; "5k": 5, k),
    but for ordinals ("2nd") and "3in1"; every other word whole ("5um7e5", "usb")."""
    if not word.isascii():
        return (word,)
    head = word[:1]
    if head.isalpha():
        rest = word.lstrip(_LETTERS)
        two = rest.isdigit()
    else:
        rest = word.lstrip(normalize.DIGITS)
        two = head.isdigit() and rest.isalpha() and rest.islower()
    if not rest or not two:
        return (word,)
    if _ordinal(word) or _version_code(word):
        return (word,)
    return (word[: len(word) - len(rest)], rest)


def _number(text: str) -> bool:
    """ASCII digits only, one at least."""
    return text.isascii() and text.isdigit()


def _ordinal(word: str) -> bool:
    """ "2nd", "21st": digits and an ordinal's letters."""
    return word[-2:] in _ORDINALS and _number(word[:-2])


def _version_code(word: str) -> bool:
    """ "3in1": digits, "in" and one digit."""
    return word[-3:-1] == "in" and _number(word[-1:]) and _number(word[:-3])


def year(word: str) -> bool:
    """A year from 1980 to 2039 ("Model Year 2026"): a year names no product."""
    return len(word) == 4 and _number(word) and 1980 <= int(word) <= 2039


def _pairs_folded(words: list[str], same: dict[str, str]) -> tuple[str, ...]:
    """Two words that mean another thing together: "portable charger" is a power bank."""
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in same:
            out.extend(same[pair].split())
            i += 2
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def phrases(name: str) -> list[str]:
    """The phrases a notice's product name holds: "X (Y) and Z Speakers" -> "X", "Y", "Z Speakers"."""
    text = normalize.fold(name).replace("\u2122", " ").replace("\u00ae", " ")
    inner = pattern(_PARENS).findall(text)
    outer = pattern(_PARENS).sub(" ", text)
    tail = pattern(_TAIL).search(outer)
    main = (outer[: tail.start()] if tail else outer).strip()
    found = [main, *inner, *(_served(main, tail.group(0)) if tail else ())]
    pieces = [p for part in found for p in pattern(_AND).split(part)]
    # A piece of one word ("Frigidaire" in "Frigidaire and Kenmore ranges") names a brand, not a product.
    return [p for p in found + [p for p in pieces if len(tokens(p)) >= 2] if p.strip()]


def _served(main: str, tail: str) -> list[str]:
    """An accessory named by what it serves: "battery sold for Pixy cameras" also gives "pixy cameras battery"."""
    served = pattern(_FOR).match(tail)
    words = tokens(main)
    if not served or not words or words[-1] not in policy.load().generic_words:
        return []
    what = pattern(_TAIL).sub("", served.group(1)).strip()
    return [f"{what} {words[-1]}"] if what else []


def head_noun(words: Iterable[str]) -> str:
    """What a name says the thing is: its last kind noun ("bulb" in "replacement light bulbs")."""
    kinds = policy.load().kind_words
    return next((w for w in reversed(tuple(words)) if w in kinds), "")


def notice_phrases(names: list[str]) -> list[str]:
    return list(dict.fromkeys(p for n in names for p in phrases(n)))


class Phrase(Record):
    text: str
    distinctive: frozenset[str]  # what an item's name must contain
    kinds: frozenset[str]  # the generic words: what kind of thing it is
    nouns: frozenset[str]  # the kinds that are things: "bank" in "321 Power Bank", not "power"
    head: str = ""  # the last of them: what the phrase says the thing is ("bulb" in "light bulbs")
    line: frozenset[str] = frozenset()  # words of the notice's brands in the phrase ("Blinder" in "Blinder 1300")

    def met_by(
        self, item: frozenset[str], item_kinds: frozenset[str], skip: frozenset[str], also: frozenset[str]
    ) -> bool:
        """Every distinctive word (but ``skip``) is in the item's name; a phrase of numbers only ("321") needs a
        kind too: its own, or one the item names (whether that kind fits the notice is checked apart). ``also``:
        more words of the phrase the item's name holds (a line the notice sells under, beside the item's brand)."""
        distinctive = self.distinctive - skip
        if not distinctive <= item or not distinctive | also:
            return False
        if all(_weak(w) for w in distinctive | also):
            return bool(self.nouns & item) or bool(item_kinds)
        return True

    def mostly_met_by(self, item: frozenset[str], skip: frozenset[str], notice_words: frozenset[str]) -> bool:
        """Most of a long name: every version word of it ("1300", "pro", "2nd"), no number or short letter code
        ("DSP") the notice never uses, and at least half of its other distinctive words, one at least ("Ozark
        Trail tabletop butane stove" for "Tabletop 1-Burner Butane Camping Stoves")."""
        distinctive = self.distinctive - skip
        if not all(w in item for w in distinctive if version(w)):
            return False
        extra = item - notice_words - skip - policy.load().generic_words
        if any((w[:1].isdigit() and not year(w)) or _designator(w) for w in extra):
            return False
        strong = {w for w in distinctive if not version(w) and (_designator(w) or not _weak(w))}
        hits = len(strong & item)
        return hits >= 1 and 2 * hits >= len(strong)


def telling(word: str) -> bool:
    """A word of letters that can tell one product from another: not a number, a size or a particle ("up")."""
    return word.isalpha() and len(word) >= 3


def _designator(word: str) -> bool:
    """A short code of letters ("IPS", "IGH", "LT"): it tells products apart like a version word."""
    return word.isalpha() and len(word) <= 3


def _weak(word: str) -> bool:
    return len(word) <= 2 or any(c.isdigit() for c in word)


@functools.lru_cache(maxsize=65536)
def version(word: str) -> bool:
    """A word that sets one version of a product apart: a series number ("313"), a generation ("2nd"),
    "3-in-1", or "pro", "mini", "slim" ... Small numbers (sizes, counts: "6 outlet") and years are no version."""
    if word in policy.load().variant_words:
        return True
    if year(word):
        return False
    return _ordinal(word) or _version_code(word) or (word.isdigit() and len(word) >= 3)


def contradicts(item: frozenset[str], notice_words: frozenset[str], brand_words: frozenset[str]) -> bool:
    """The item names a version the notice never mentions."""
    return any(version(w) for w in item - notice_words - brand_words)


def phrase(text: str, brand_words: frozenset[str]) -> Phrase:
    loaded = policy.load()
    said = [w for w in tokens(text) if not year(w)]
    words = set(said) - brand_words
    return Phrase(
        text.strip(),
        frozenset(w for w in words if w not in loaded.generic_words),
        frozenset(words & loaded.generic_words),
        frozenset(words & loaded.kind_words),
        head_noun(w for w in said if w not in brand_words),
        frozenset(said) & brand_words,
    )


def item_kinds(item: frozenset[str]) -> frozenset[str]:
    return item & policy.load().kind_words


def item_words(name: str) -> frozenset[str]:
    return frozenset(tokens(name))


def kinds_agree(phrase_kinds: frozenset[str], item: frozenset[str], notice_words: frozenset[str]) -> bool:
    """The item does not name a kind of thing the notice never mentions."""
    loaded = policy.load()
    said = phrase_kinds | notice_words
    item_kinds = {w for w in item if w in loaded.kind_words}
    if not said & loaded.kind_words:
        return True  # the notice never says what kind of thing it is
    return not item_kinds or any(k in said or loaded.related_kinds.get(k, frozenset()) & said for k in item_kinds)


def related(kind: str, kinds: frozenset[str]) -> bool:
    """``kind`` is one of ``kinds`` or a kind a notice may call the same ("outlet" for a power "strip")."""
    loaded = policy.load()
    near = loaded.related_kinds.get(kind, frozenset()) | loaded.broader_kinds.get(kind, frozenset())
    return kind in kinds or bool(near & kinds) or any(kind in loaded.related_kinds.get(k, ()) for k in kinds)


def brand_words(brands: Iterable[str]) -> frozenset[str]:
    """Words of brand names, which name no product; a generic word in a brand list ("Portland Chainsaws")
    is still what the thing is."""
    generic = policy.load().generic_words
    return frozenset(w for b in brands for w in (*tokens(b), normalize.brand(b)) if w not in generic)
