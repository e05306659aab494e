"""How an item's brand relates to the brands a notice names: the same brand, a parent, one typo, or not."""

from __future__ import annotations

import functools
from enum import Enum

from agent import normalize
from agent.matching import policy


class Relation(str, Enum):
    SAME = "same"  # the same brand, another name for it, or a line it sells under
    PARENT = "parent"  # the parent company of the brand, or a brand of the parent: check the label
    TYPO = "typo"  # one letter off a brand of five letters or more: check the label
    PART = "part"  # the item's brand begins with the notice's whole brand ("Arctic Cat" for "Arctic"): check


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The brand family of ``text``: "Anker Innovations Limited", "ANKER" and "Soundcore" give "anker"."""
    same = policy.load().same_brand
    tokens = normalize.brand_tokens(text)
    for size in range(len(tokens), 0, -1):
        joined = "".join(tokens[:size])
        if joined in same:
            return same[joined]
    return "".join(tokens)


@functools.lru_cache(maxsize=65536)
def keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for k in (key(n) for n in names) if k)


@functools.lru_cache(maxsize=65536)
def relation(item_key: str, brand_keys: frozenset[str]) -> Relation | None:
    if not item_key or not brand_keys:
        return None
    if item_key in brand_keys:
        return Relation.SAME
    parents = policy.load().parents
    if parents.get(item_key, frozenset()) & brand_keys or any(item_key in parents.get(b, ()) for b in brand_keys):
        return Relation.PARENT
    if any(len(b) >= 5 and one_edit(item_key, b) for b in brand_keys):
        return Relation.TYPO
    return None


def one_edit(a: str, b: str) -> bool:
    """True if ``a`` becomes ``b`` by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


MIN_PART = 4  # letters of a notice's brand that the item's brand may begin with


@functools.lru_cache(maxsize=65536)
def begins_with(item_brand: str, brands: tuple[str, ...]) -> bool:
    """The item's brand is one of ``brands`` and more words ("Boyro Baby" for "Boyro", "Arctic Cat" for "Arctic"),
    or the first words of one ("DR Power" for "DR Power Equipment")."""
    said = normalize.brand_tokens(item_brand)
    for brand in brands:
        words = normalize.brand_tokens(brand)
        if len(said) > len(words) and said[: len(words)] == words and len("".join(words)) >= MIN_PART:
            return True
        if len(words) > len(said) and words[: len(said)] == said and len("".join(said)) > MIN_PART:
            return True  # "DR Power" for "DR Power Equipment"
    return False
