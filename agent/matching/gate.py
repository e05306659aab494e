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

from collections.abc import Callable, Iterable, Sequence

from agent.matching import hints, names
from agent.matching.filing import SHORTEST_LOOKED_UP, models_decide
from agent.matching.identify import name_relation, relation_to
from agent.matching.item_view import ItemView
from agent.matching.product_facts import facts
from agent.rules.codec import CodecError
from agent.rules.schema import Product, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import TypeVar

    K = TypeVar("K")
    V = TypeVar("V")

MODELS, NO_MODELS, OPEN = "m", "-", "o"  # marks: the product lists models; lists none; admit it unread
SEPARATOR = "|"  # between the words of a collection; never in a word (nor in most brands)
# How the gates of a rule's products are stored (never in a word either): one text for the rule, the products'
# gates apart by PRODUCT ("" for a product without one), a gate's six parts apart by PART; each string of a
# list part comes after an ELEMENT of its own (so that an empty list and a list of one "" differ).
PRODUCT, PART, ELEMENT = "\x1e", "\x1d", "\x1c"
_RESERVED = (SEPARATOR, PRODUCT, PART, ELEMENT)
MAX_SHARED = 20_000  # collections kept, to be built once

# The brand keys the notice implies and declares, its brands, its lead words (one string per lead), and per
# name phrase every word of it and its distinctive words: each collection of words joined by SEPARATOR, each
# list of them (leads, phrases) one string of ELEMENT-led parts. Kept as the strings they are stored as, so
# that reading a gate costs no more than splitting it once, and a list is split only when it is looked at.
Gate = tuple[str, str, str, str, str, str]


def mark_of(product: Product, gate: Gate | None) -> str:
    """What the product's models say before anything else: one letter, kept in the index itself."""
    if gate is None or any(len(prefix) < SHORTEST_LOOKED_UP for prefix in product.model_prefixes):
        return OPEN  # words the gate cannot hold, or a prefix too short to be looked up (any code may match)
    return MODELS if models_decide(product) else NO_MODELS


def gate_of(rule: Rule, product: Product) -> Gate | None:
    """The gate of one product, or None when a word of it holds a separator (it is then admitted unread)."""
    known = facts(rule, product)
    phrases = known.phrases
    try:
        return (
            _joined(sorted(known.implied)),
            _joined(sorted(known.declared)),
            _joined(product.brands),
            _listed(_joined(lead) for lead in known.leads),
            _listed(_joined(sorted(set(names.tokens(p.text)))) for p in phrases),
            _listed(_joined(sorted(p.distinctive)) for p in phrases),
        )
    except ValueError:
        return None


def _joined(words: Iterable[str]) -> str:
    given = list(words)
    if any(not word or any(mark in word for mark in _RESERVED) for word in given):
        raise ValueError("a word the gate cannot hold")
    return SEPARATOR.join(given)


def _listed(strings: Iterable[str]) -> str:
    return "".join(ELEMENT + string for string in strings)


def _parts(listed: str) -> list[str]:
    return listed.split(ELEMENT)[1:]


def stored(gates: Sequence[Gate | None]) -> str:
    """The gates of a rule's products as the indexed cache stores them (``parsed`` reads them back)."""
    return PRODUCT.join("" if g is None else PART.join(g) for g in gates)


def parsed(text: str, count: int) -> list[Gate | None]:
    """The gates of a rule's ``count`` products from ``stored``'s text, or CodecError. Every part is a string
    by construction: only the shape is checked."""
    found: list[Gate | None] = []
    products = text.split(PRODUCT) if count or text else []
    if len(products) != count:
        raise CodecError(f"expected the gates of {count} products")
    for one in products:
        if not one:
            found.append(None)  # marked open: never asked for
            continue
        parts = one.split(PART)
        if len(parts) != 6:
            raise CodecError("expected a gate")
        implied, declared, listed, leads, words, distinctive = parts
        if not (leads[:1] in _LISTED and words[:1] in _LISTED and distinctive[:1] in _LISTED):
            raise CodecError("expected the words of a gate")
        if words.count(ELEMENT) != distinctive.count(ELEMENT):
            raise CodecError("expected the words of each phrase")
        found.append((implied, declared, listed, leads, words, distinctive))
    return found


_LISTED = ("", ELEMENT)  # how a list part begins: empty, or with its first element


def admits(view: ItemView, mark: str, gate: Callable[[], Gate]) -> bool:
    """False where ``identify`` finds nothing for an item that no identifier led to this product; ``gate``
    is asked for only when the product's ``mark`` does not settle it."""
    if mark == OPEN:
        return True
    if view.typed_model and mark == MODELS:
        return False  # identify: a known model that is not listed beats the name
    implied, declared, listed, leads, words, distinctive = gate()
    if view.brand:
        relation, known = relation_to(view, _set(implied), _set(declared), _tuple(listed), _leads(leads))
    else:  # what relation_to does for an item without a brand
        relation, known = name_relation(view, _set(implied))
    if known:
        return relation is not None  # identify: another brand's product
    if view.brand_text:
        return True  # words of a brand that gives no key: not followed here
    phrases = zip(_parts(words), _parts(distinctive), strict=True)
    return any(_may_hint(view, every, telling) for every, telling in phrases)


def _may_hint(view: ItemView, every: str, distinctive: str) -> bool:
    """Without a brand, _by_name gives only a hint: by kind, when the item's name holds every word of the
    phrase (and no model was typed), or by name, when it holds every distinctive word and two of letters."""
    if not view.typed_model and _set(every) <= view.words:
        return True
    found = _set(distinctive)
    if not found <= view.words:
        return False
    return sum(1 for w in found if names.telling(w) and not names.version(w)) >= hints.MIN_UNBRANDED


def _words(joined: str) -> list[str]:
    return joined.split(SEPARATOR) if joined else []


_SETS: dict[str, frozenset[str]] = {}
_TUPLES: dict[str, tuple[str, ...]] = {}


def _shared(table: dict[K, V], key: K, make: Callable[[K], V]) -> V:
    """``make(key)``, made once and shared while ``table`` holds it (bounded by MAX_SHARED); the callers
    look in ``table`` themselves first, which costs a call less for what is there already."""
    if len(table) >= MAX_SHARED:
        table.clear()
    found = table[key] = make(key)
    return found


def _set(joined: str) -> frozenset[str]:
    found = _SETS.get(joined)
    return _shared(_SETS, joined, _new_set) if found is None else found


def _new_set(joined: str) -> frozenset[str]:
    return frozenset(_words(joined))


_LEADS: dict[str, tuple[tuple[str, ...], ...]] = {}


def _leads(listed: str) -> tuple[tuple[str, ...], ...]:
    found = _LEADS.get(listed)
    return _shared(_LEADS, listed, _new_leads) if found is None else found


def _new_leads(listed: str) -> tuple[tuple[str, ...], ...]:
    return tuple(_tuple(lead) for lead in _parts(listed))


def _tuple(joined: str) -> tuple[str, ...]:
    found = _TUPLES.get(joined)
    return _shared(_TUPLES, joined, _new_tuple) if found is None else found


def _new_tuple(joined: str) -> tuple[str, ...]:
    return tuple(_words(joined))
