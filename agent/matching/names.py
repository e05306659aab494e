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
_ONE_BOUNDARY = re.compile(r"^(?:[a-z]+[0-9]+|[0-9]+[a-z]+)$")  # "note7", "5k"; not "5um7e5"
_ORDINAL = re.compile(r"^[0-9]+(?:st|nd|rd|th)$")  # "2nd" stays one word
_N_IN_ONE = re.compile(r"\b([0-9])\s*-?\s*in\s*-?\s*([0-9])\b")  # "3-in-1" is one word: "3in1"
_VERSION = re.compile(r"^[0-9]+in[0-9]$")
_E_PREFIX = re.compile(r"\be-(?=[a-z]{3})")  # "e-bikes" is one word: "ebikes"
_YEAR = re.compile(r"^(?:19[89][0-9]|20[0-3][0-9])$")  # "Model Year 2026": a year names no product
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
    for word in normalize.words(_E_PREFIX.sub("e", _N_IN_ONE.sub(r"\1in\2", normalize.fold(text)))):
        if word == "s":
            continue  # the "s" of a possessive: "Children's" reads "children s"
        split = _ONE_BOUNDARY.match(word) and not _ORDINAL.match(word) and not _VERSION.match(word)
        for part in _SPLIT.split(word) if split else (word,):
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
    nouns: frozenset[str]  # the kinds that are things: "bank" in "321 Power Bank", not "power"

    def met_by(self, item: frozenset[str], item_kinds: frozenset[str], skip: frozenset[str] = frozenset()) -> bool:
        """Every distinctive word (but ``skip``) is in the item's name; a phrase of numbers only ("321") needs a
        kind too: its own, or one the item names (whether that kind fits the notice is checked apart)."""
        distinctive = self.distinctive - skip
        if not distinctive or not distinctive <= item:
            return False
        if all(_weak(w) for w in distinctive):
            return bool(self.nouns & item) or bool(item_kinds)
        return True


def _weak(word: str) -> bool:
    return len(word) <= 2 or any(c.isdigit() for c in word)


def contradicts(item: frozenset[str], notice_words: frozenset[str], brand_words: frozenset[str]) -> bool:
    """The item names a version the notice never mentions: a series number ("313"), a generation ("2nd"),
    or "pro", "mini", "slim" ... Small numbers (sizes, counts: "6 outlet") say nothing."""
    variants = policy.load().variant_words
    extra = item - notice_words - brand_words
    return any(w in variants or _ORDINAL.match(w) or _VERSION.match(w) or (w.isdigit() and len(w) >= 3) for w in extra)


def phrase(text: str, brand_words: frozenset[str]) -> Phrase:
    loaded = policy.load()
    words = {w for w in tokens(text) if not _YEAR.match(w)} - brand_words
    return Phrase(
        text.strip(),
        frozenset(w for w in words if w not in loaded.generic_words),
        frozenset(words & loaded.generic_words),
        frozenset(words & loaded.kind_words),
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


def brand_words(brands: Iterable[str]) -> frozenset[str]:
    """Words of brand names, which name no product; a generic word in a brand list ("Portland Chainsaws")
    is still what the thing is."""
    generic = policy.load().generic_words
    return frozenset(w for b in brands for w in (*tokens(b), normalize.brand(b)) if w not in generic)
