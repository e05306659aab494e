"""Product names as people write them: one unit or many, words in any order, with or without the brand.

A notice's name phrase matches an item's name when every distinctive word of the phrase (not generic,
not a brand of the notice) is in the item's name, and the item does not call itself a different kind
of thing ("charger" where the notice says "power bank").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from agent import normalize
from agent.matching import policy

_SPLIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_ONE_BOUNDARY = re.compile(r"^(?:[a-z]+[0-9]+|[0-9]+[a-z]+)$")  # "note7", "5k", "2nd"; not "5um7e5"
_PARENS = re.compile(r"\(([^()]*)\)")
_TAIL = re.compile(r"\b(?:with|for|sold|that|which|including|in|from)\b.*$")
_AND = re.compile(r"\s*(?:\band\b|&|/|;|,)\s*")


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
    same = policy.load().same_words
    out: list[str] = []
    for word in normalize.words(text):
        for part in _SPLIT.split(word) if _ONE_BOUNDARY.match(word) else (word,):
            base = stem(part)
            out.extend(same.get(part, same.get(base, base)).split())
    return tuple(out)


def phrases(name: str) -> list[str]:
    """The phrases a notice's product name holds: "X (Y) and Z Speakers" -> "X", "Y", "Z Speakers"."""
    text = normalize.fold(name).replace("\u2122", " ").replace("\u00ae", " ")
    inner = _PARENS.findall(text)
    outer = _PARENS.sub(" ", text)
    found = [_TAIL.sub("", outer).strip(), *inner]
    pieces = [p for part in found for p in _AND.split(part)]
    # A piece of one word ("Frigidaire" in "Frigidaire and Kenmore ranges") names a brand, not a product.
    return [p for p in found + [p for p in pieces if len(tokens(p)) >= 2] if p.strip()]


def notice_phrases(names: list[str]) -> list[str]:
    return list(dict.fromkeys(p for n in names for p in phrases(n)))


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    distinctive: frozenset[str]  # what an item's name must contain
    kinds: frozenset[str]  # the generic words: what kind of thing it is

    def met_by(self, item: frozenset[str]) -> bool:
        """Every distinctive word is in the item's name; a phrase of numbers only ("321") needs its kind too."""
        if not self.distinctive or not self.distinctive <= item:
            return False
        if all(_weak(w) for w in self.distinctive):
            return bool(self.kinds) and self.kinds <= item
        return True


def _weak(word: str) -> bool:
    return len(word) <= 2 or any(c.isdigit() for c in word)


def contradicts(item: frozenset[str], notice_words: frozenset[str], brand_words: frozenset[str]) -> bool:
    """The item names a version the notice never mentions: another number, or "pro", "mini", "slim" ..."""
    variants = policy.load().variant_words
    extra = item - notice_words - brand_words
    return any(w in variants or (any(c.isdigit() for c in w) and w.strip("0123456789") == "") for w in extra)


def phrase(text: str, brand_words: frozenset[str]) -> Phrase:
    generic = policy.load().generic_words
    words = set(tokens(text)) - brand_words
    return Phrase(text.strip(), frozenset(w for w in words if w not in generic), frozenset(words & generic))


def item_words(name: str) -> frozenset[str]:
    return frozenset(tokens(name))


def kinds_agree(phrase_kinds: frozenset[str], item: frozenset[str], notice_words: frozenset[str]) -> bool:
    """The item does not name a kind of thing the notice never mentions."""
    kinds = policy.load().kind_words
    item_kinds = {w for w in item if w in kinds}
    return not item_kinds or bool(item_kinds & (phrase_kinds | notice_words))


def brand_words(brands: Iterable[str]) -> frozenset[str]:
    return frozenset(w for b in brands for w in (*tokens(b), normalize.brand(b)))
