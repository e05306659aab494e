"""Possible findings a person can act on: more than a brand and one generic word, and saying what decides.

A brand and the kind of thing alone ("Anker" and "power bank") hint at nothing: every product of that kind
would be listed. A hint needs one more word of the notice's name in the item's (a distinctive word, or a
describing one such as "magnetic"); without a brand, two distinctive words of letters.
"""

from __future__ import annotations

from agent.matching import names, policy
from agent.matching.item_view import ItemView
from agent.rules.schema import Product

MIN_DESCRIBING = 4  # letters of a generic word that describes ("magnetic", "smart"), unlike "my" or "new"
MIN_UNBRANDED = 2  # distinctive words of letters an item without a known brand must share with the phrase


def kind_hint(
    view: ItemView, phrase: names.Phrase, product: Product, own: frozenset[str], notice: frozenset[str]
) -> str:
    """The evidence of a hint by brand and kind, or "" when the item shares nothing more with the phrase or
    names a number the notice never uses ("10K" against a notice of the 20K)."""
    if any(w[:1].isdigit() and w not in notice for w in view.words):
        return ""
    shared = sorted(w for w in (phrase.distinctive - own | _describing(phrase)) & view.words if names.telling(w))
    if not shared:
        return ""
    words = ", ".join([phrase.head, *shared])
    return f"brand {_brand(view, product)} and the words {words} are in {_notice(product)}; {_decides(product)}"


def unbranded_hint(view: ItemView, phrase: names.Phrase, product: Product) -> str:
    """The evidence of a hint by name without a known brand, or "" when too little of the name is shared."""
    shared = sorted(w for w in phrase.distinctive & view.words if names.telling(w) and not names.version(w))
    if len(shared) < MIN_UNBRANDED:
        return ""
    brands = ", ".join(product.brands) or "not given"
    return f"the name has {', '.join(shared)} of {_notice(product)}; the brand is not known (the notice's: {brands})"


def _describing(phrase: names.Phrase) -> frozenset[str]:
    loaded = policy.load()
    kind_parts = frozenset(w for v in loaded.same_words.values() for w in v.split())
    return frozenset(
        w for w in phrase.kinds if len(w) >= MIN_DESCRIBING and w not in loaded.kind_words and w not in kind_parts
    )


def _brand(view: ItemView, product: Product) -> str:
    return view.brand_text or f"{product.brands[0]} (in the name)"


def _notice(product: Product) -> str:
    return f"the notice's {product.name!r}" if product.name else "the notice's product"


def _decides(product: Product) -> str:
    if product.models:
        shown = ", ".join(m.rstrip("*") for m in product.models[:4]) + (" ..." if len(product.models) > 4 else "")
        return f"the model decides (the notice's models: {shown})"
    return "the label decides"
