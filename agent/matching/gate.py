"""Which candidates cannot be identified at all, told from a few facts of the product without the rule.

A large rule set meets an item through its name words and brand far more often than it identifies it: a
household's "Gadget 6" looks in the bucket of every name phrase filed under "6". ``admits`` is False only
where ``identify`` is sure to return None, so the indexed rule cache (``agent.matching.stored_index``)
decodes a rule and its facts only for a candidate that passes; every finding stays the same. It follows
the early exits of ``identify`` for a candidate that no identifier of the item led to (no UPC, retailer
id, model code, USB vendor or mDNS identity of the item is filed with it, so none of them matches):

- a typed model that is not the product's rules out a product with models;
- an item of a known brand must relate to the notice's brands (``relation_to``);
- an item without any brand needs a name phrase of the notice that its name could meet: every word of the
  phrase (a hint by kind), or every distinctive word of it, two at least of letters (a hint by name).
"""

from __future__ import annotations

from agent.matching import hints, names
from agent.matching.identify import relation_to
from agent.matching.item_view import ItemView
from agent.matching.product_facts import facts
from agent.record import record
from agent.rules.schema import Product, Rule

SHORTEST_LOOKED_UP = 3  # a model prefix shorter than this is never looked up (agent.matching.filing.lookups)


@record
class PhraseWords:
    words: frozenset[str]  # every word of the phrase (names.tokens)
    distinctive: frozenset[str]


@record
class Gate:
    has_models: bool
    any_code: bool  # a model prefix too short to be looked up: any code of an item may match it
    implied: frozenset[str]
    declared: frozenset[str]
    brands: tuple[str, ...]
    leads: tuple[tuple[str, ...], ...]
    phrases: tuple[PhraseWords, ...]


def gate_of(rule: Rule, product: Product) -> Gate:
    known = facts(rule, product)
    return Gate(
        has_models=known.has_models,
        any_code=any(len(prefix) < SHORTEST_LOOKED_UP for prefix in product.model_prefixes),
        implied=known.implied,
        declared=known.declared,
        brands=product.brands,
        leads=known.leads,
        phrases=tuple(PhraseWords(frozenset(names.tokens(p.text)), p.distinctive) for p in known.phrases),
    )


def admits(view: ItemView, gate: Gate) -> bool:
    """False where ``identify`` finds nothing for an item that no identifier led to this product."""
    if gate.any_code:
        return True
    if view.typed_model and gate.has_models:
        return False  # identify: a known model that is not listed beats the name
    relation, known = relation_to(view, gate.implied, gate.declared, gate.brands, gate.leads)
    if known:
        return relation is not None  # identify: another brand's product
    if view.brand_text:
        return True  # words of a brand that gives no key: not followed here
    return any(_may_hint(view, phrase) for phrase in gate.phrases)


def _may_hint(view: ItemView, phrase: PhraseWords) -> bool:
    """Without a brand, _by_name gives only a hint: by kind, when the item's name holds every word of the
    phrase (and no model was typed), or by name, when it holds every distinctive word and two of letters."""
    if not view.typed_model and phrase.words <= view.words:
        return True
    if not phrase.distinctive <= view.words:
        return False
    shared = [w for w in phrase.distinctive if names.telling(w) and not names.version(w)]
    return len(shared) >= hints.MIN_UNBRANDED
