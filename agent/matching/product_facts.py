"""What matching reads from one product of a notice, worked out once per product and kept."""

from __future__ import annotations

from agent import normalize
from agent.matching import brands, names, policy
from agent.record import Record
from agent.rules.schema import Product, Rule

_KEPT: dict[int, tuple[Product, Facts]] = {}
_MAX_KEPT = 500_000


class Facts(Record):
    declared: frozenset[str]  # brand keys the notice lists
    implied: frozenset[str]  # those, and for a feed's rule the first word of its product name
    brand_words: frozenset[str]  # words of those brands: never a product name
    notice_words: frozenset[str]  # every word of the title, the product name and its names
    phrases: tuple[names.Phrase, ...]
    by_kind: frozenset[str]  # phrase texts that name the product by brand and kind alone
    has_models: bool
    feed: bool  # certainty "extracted": a converted record, not a curated rule
    loose: bool  # the notice's name is its only description of the product: a feed's, or one without models
    leads: tuple[tuple[str, ...], ...]  # a feed's name and title, up to their first generic word: brands said


def facts(rule: Rule, product: Product) -> Facts:
    kept = _KEPT.get(id(product))
    if kept is not None and kept[0] is product:
        return kept[1]
    if len(_KEPT) >= _MAX_KEPT:
        _KEPT.clear()
    found = _facts(rule, product)
    _KEPT[id(product)] = (product, found)
    return found


def remember(product: Product, found: Facts) -> None:
    """Take ``found`` as the facts of ``product``, worked out before (the indexed rule cache keeps them)."""
    if len(_KEPT) >= _MAX_KEPT:
        _KEPT.clear()
    _KEPT[id(product)] = (product, found)


def _facts(rule: Rule, product: Product) -> Facts:
    declared = brands.keys(product.brands)
    implied = declared | _first_word_brand(rule, product)
    brand_words = names.brand_words((*product.brands, *implied))
    texts = names.notice_phrases([product.name, *(" ".join(p) for p in product.names)])
    phrases = tuple(names.phrase(t, brand_words) for t in texts)
    has_models = bool(product.model_keys or product.model_prefixes)
    # A feed's notice, or a notice without models, that names its product by brand and kind ("Charmast
    # power banks") names that brand's product of that kind. A curated rule with models does not: there
    # "Anker power bank" only hints, and the model decides.
    by_kind = frozenset(texts) if rule.certainty != "exact" or not has_models else frozenset()
    every = " ".join((rule.title, product.name, *(" ".join(p) for p in product.names)))
    return Facts(
        declared=declared,
        implied=implied,
        brand_words=brand_words,
        notice_words=frozenset(names.tokens(every)),
        phrases=phrases,
        by_kind=by_kind,
        has_models=has_models,
        feed=rule.certainty != "exact",
        loose=rule.certainty != "exact" or not has_models,
        leads=_leads(rule, product),
    )


def _first_word_brand(rule: Rule, product: Product) -> frozenset[str]:
    """A feed's notice often names its printed brands first: "Hyper Tough, Worx and Portland Chainsaws",
    "Trane and American Standard Packaged Units", "Ambiano Coffee Makers"."""
    if rule.certainty == "exact":
        return frozenset()
    generic = policy.load().generic_words - _CONNECTORS
    words = normalize.words(names.pattern(_DUE_TO).split(product.name)[0])
    end = next((i for i, w in enumerate(words) if w in generic), len(words))
    lead = " ".join(words[:end])
    found = {
        brands.key(names.pattern(_NUMBER).split(chunk)[0])
        for chunk in names.pattern(_CHUNKS).split(lead)
        if chunk.strip()
    }
    return frozenset(k for k in found if len(k) >= 3 and not k.isdigit())


def _leads(rule: Rule, product: Product) -> tuple[tuple[str, ...], ...]:
    """Where a feed's notice names the brands it may have missed: its product name and its title, up to the
    first generic word ("Ring" in "Children's Ring Sets" is not a brand, "American Standard" in "Trane and
    American Standard Packaged Units" is); none for a curated rule."""
    if rule.certainty == "exact":
        return ()
    generic = policy.load().generic_words - _LEAD_CONNECTORS
    found = []
    for text in (product.name, names.pattern(_TITLE_DUE_TO).split(rule.title)[0]):
        words = normalize.words(text)
        found.append(words[: next((i for i, w in enumerate(words) if w in generic), len(words))])
    return tuple(found)


_CONNECTORS = frozenset({"and", "or", "the"})
_LEAD_CONNECTORS = frozenset({"and", "or", "by", "of", "the"})
# Only a feed's notices need these: each is compiled when first used, and names.pattern keeps it.
_TITLE_DUE_TO = r"(?i)\s+Due\s+to\b"  # these two ignore case
_CHUNKS = r"\b(?:and|or|the)\b"
_NUMBER = r"\b\w*[0-9]"  # a brand ends before a series number: "Knog Blinder 900" is Knog Blinder
_DUE_TO = r"(?i)\s+(?:Due\s+to|Recalled)\b"
