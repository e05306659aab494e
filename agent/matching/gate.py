"""Which candidates cannot be identified at all, told from a few facts of the product without the rule.

A large rule set meets an item through its name words and brand far more often than it identifies it: a
household's "Gadget 6" looks in the bucket of every name phrase filed under "6". ``admits`` is False only
where ``identify`` is sure to return None, so the indexed rule cache (``agent.matching.stored_index``)
decodes a rule and its facts only for a candidate that passes; every finding stays the same. It follows
the early exits of ``identify`` for a candidate that no identifier of the item led to (no UPC, retailer
id, model code, USB vendor or mDNS identity of the item is filed with it, so none of them matches):

- a typed model that is not the product's rules out a product with models (told by the product's mark,
  one letter the index keeps with the rule's place, so that no gate needs to be read);
- an item of a known brand must relate to the notice's brands (``relation_to``);
- an item without any brand needs a name phrase of the notice that its name could meet: every word of the
  phrase (a hint by kind), or every distinctive word of it, two at least of letters (a hint by name).
"""

from __future__ import annotations

from collections.abc import Callable

from agent.matching import hints, names
from agent.matching.identify import relation_to
from agent.matching.item_view import ItemView
from agent.matching.product_facts import facts
from agent.record import record
from agent.rules.schema import Product, Rule

SHORTEST_LOOKED_UP = 3  # a model prefix shorter than this is never looked up (agent.matching.filing.lookups)
MODELS, NO_MODELS, ANY_CODE = "m", "-", "a"  # marks: the product lists models; none; one any code may match


@record
class PhraseWords:
    words: frozenset[str]  # every word of the phrase (names.tokens)
    distinctive: frozenset[str]


@record
class Gate:
    implied: frozenset[str]
    declared: frozenset[str]
    brands: tuple[str, ...]
    leads: tuple[tuple[str, ...], ...]
    phrases: tuple[PhraseWords, ...]


def mark_of(product: Product) -> str:
    """What the product's models say before anything else: one letter, kept in the index itself."""
    if any(len(prefix) < SHORTEST_LOOKED_UP for prefix in product.model_prefixes):
        return ANY_CODE  # a prefix too short to be looked up: any code of an item may match it
    return MODELS if product.model_keys or product.model_prefixes else NO_MODELS


def gate_of(rule: Rule, product: Product) -> Gate:
    known = facts(rule, product)
    return Gate(
        implied=known.implied,
        declared=known.declared,
        brands=product.brands,
        leads=known.leads,
        phrases=tuple(PhraseWords(frozenset(names.tokens(p.text)), p.distinctive) for p in known.phrases),
    )


def admits(view: ItemView, mark: str, gate: Callable[[], Gate]) -> bool:
    """False where ``identify`` finds nothing for an item that no identifier led to this product; ``gate``
    is asked for only when the product's ``mark`` does not settle it."""
    if mark == ANY_CODE:
        return True
    if view.typed_model and mark == MODELS:
        return False  # identify: a known model that is not listed beats the name
    found = gate()
    relation, known = relation_to(view, found.implied, found.declared, found.brands, found.leads)
    if known:
        return relation is not None  # identify: another brand's product
    if view.brand_text:
        return True  # words of a brand that gives no key: not followed here
    return any(_may_hint(view, phrase) for phrase in found.phrases)


def _may_hint(view: ItemView, phrase: PhraseWords) -> bool:
    """Without a brand, _by_name gives only a hint: by kind, when the item's name holds every word of the
    phrase (and no model was typed), or by name, when it holds every distinctive word and two of letters."""
    if not view.typed_model and phrase.words <= view.words:
        return True
    if not phrase.distinctive <= view.words:
        return False
    shared = [w for w in phrase.distinctive if names.telling(w) and not names.version(w)]
    return len(shared) >= hints.MIN_UNBRANDED
