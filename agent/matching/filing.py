"""Where the matching index files each product of a notice, and where an item looks for it.

Both sides are lists of plain string keys, so the same index can live in memory (``RuleIndex``) or in the
indexed rule cache (``agent.rules.stored``), which reads only the keys a household's items ask for. A key
names what it stands for: ``m:`` a model code, ``p:`` a model prefix, ``u:`` a UPC, ``r:`` a retailer id,
``v:`` a USB vendor, ``n:`` "announces an mDNS identity", ``w:`` the rarest distinctive word of a name
phrase (``wm:`` for a product whose listed models decide: an item with another typed model is never it,
so it does not look there), ``b:`` a brand, or a brand and a kind of thing ("b:anker bank"). A product is
filed as a ``Ref``: the position of its rule in the rules given and its own position in that rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from agent.matching.item_view import ItemView
from agent.matching.product_facts import facts
from agent.matching.recalls import superseded
from agent.record import Record
from agent.rules.schema import Product, Rule

Ref = tuple[int, int]  # (position of the rule, position of the product in the rule)
MDNS = "n:"
MAX_HINTS = 12  # rules of one brand and kind beyond which brand and kind alone are not looked at
WORD, MODEL_WORD = "w:", "wm:"  # a name word's bucket: of products models do not decide, of the others
EVERY_WORD = "w+:"  # looked up, not filed: both of a word's buckets, as one in filing order
SHORTEST_LOOKED_UP = 3  # a model prefix shorter than this is never looked up
IDENTIFYING = ("m:", "p:", "u:", "r:", "v:", MDNS)  # keys of an identifier; the others: name words, brands


class Filing(Record):
    kept: tuple[int, ...]  # positions of the rules matched against
    dropped: tuple[int, ...]  # positions of the feed rules a curated rule describes the same recall as
    buckets: dict[str, list[Ref]]
    longest_prefix: int


def file_rules(rules: Sequence[Rule]) -> Filing:
    """The keys every product of ``rules`` is found under (feed rules a curated rule supersedes left out)."""
    gone = superseded(rules)
    kept = tuple(n for n in range(len(rules)) if n not in gone)
    buckets: dict[str, list[Ref]] = defaultdict(list)
    longest = 0
    phrases: list[tuple[frozenset[str], Ref, str]] = []
    for n in kept:
        rule = rules[n]
        for p, product in enumerate(rule.products):
            ref = (n, p)
            for key in product_keys(rule, product):
                buckets[key].append(ref)
            longest = max([longest, *(len(prefix) for prefix in product.model_prefixes)])
            kind = MODEL_WORD if models_decide(product) else WORD
            # Phrases of generic words only are reached through the brand keys.
            phrases += [(f.distinctive, ref, kind) for f in facts(rule, product).phrases if f.distinctive]
    # Each name phrase is filed under its rarest word: an item only meets phrases it could contain.
    frequency = Counter(word for words, _, _ in phrases for word in words)
    for words, ref, kind in phrases:
        buckets[kind + min(words, key=lambda w: (frequency[w], w))].append(ref)
    return Filing(kept, tuple(sorted(gone)), dict(buckets), longest)


def models_decide(product: Product) -> bool:
    """The product lists models, and an item's code is looked up under each of them: identify finds an
    item with another typed model to be no such product."""
    listed = bool(product.model_keys or product.model_prefixes)
    return listed and all(len(prefix) >= SHORTEST_LOOKED_UP for prefix in product.model_prefixes)


def filed_under(key: str) -> tuple[str, ...]:
    """The keys a looked-up key reads."""
    if key.startswith(EVERY_WORD):
        word = key[len(EVERY_WORD) :]
        return WORD + word, MODEL_WORD + word
    return (key,)


def product_keys(rule: Rule, product: Product) -> list[str]:
    """The keys of one product, but for its name words (which depend on every other product's)."""
    keys = [f"m:{key}" for key in product.model_keys]
    keys += [f"p:{prefix}" for prefix in product.model_prefixes]
    keys += [f"u:{upc}" for upc in product.upcs]
    keys += [f"r:{rid}" for rid in product.retailer_ids]
    keys += [f"v:{vendor}" for vendor in {m.vendor_id for m in product.usb}]
    keys += [MDNS] if product.mdns else []
    known = facts(rule, product)
    for brand in known.implied:  # brand and kind hint at a product; a brand alone only where no model is
        nouns = {f"b:{brand} {noun}" for p in known.phrases for noun in p.nouns}
        keys += sorted(nouns) if known.has_models else [f"b:{brand}"]
    return keys


def lookups(seen: ItemView, longest_prefix: int, kinds: frozenset[str]) -> list[tuple[str, bool]]:
    """The keys to look an item up under, in order; True marks a hint key, whose bucket is used only when
    it holds at most MAX_HINTS products (a bucket that large hints at nothing)."""
    keys: list[tuple[str, bool]] = []
    for code in seen.codes:
        keys += [(f"m:{code.key}", False), (f"r:{code.key}", False)]
        sizes = range(SHORTEST_LOOKED_UP, min(len(code.key), longest_prefix) + 1)
        keys += [(f"p:{code.key[:size]}", False) for size in sizes]
    keys += [(f"u:{upc.key}", False) for upc in seen.upcs]
    item = seen.item
    if item.usb:
        keys.append((f"v:{item.usb.vendor_id}", False))
    if item.mdns:
        keys.append((MDNS, False))
    # A typed model rules out the products whose models decide (identify): it looks only among the others.
    word = WORD if seen.typed_model else EVERY_WORD
    keys += [(word + found, False) for found in seen.words]
    # Brand-and-kind keys hold products with models: a typed model that is not theirs rules them out.
    nouns = [] if seen.typed_model else [w for w in seen.words if w in kinds]
    for brand in {seen.brand} | seen.name_brands:
        keys.append((f"b:{brand}", False))
        keys += [(f"b:{brand} {noun}", True) for noun in nouns]
    return keys
