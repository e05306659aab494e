"""The matching index of an indexed rule cache: the keys an item asks for are read from the cache, then the
gates of the products they lead to (agent.matching.gate), and only the rules of candidates a gate lets
through are decoded. It finds what ``RuleIndex`` built from the same rules finds."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import itemgetter

from agent.matching import policy
from agent.matching.filing import EVERY_WORD, Ref, filed_under, lookups
from agent.matching.gate import admits
from agent.matching.item_view import ItemView
from agent.matching.matcher import Entry, Index
from agent.matching.product_facts import remember
from agent.rules.codec import CodecError
from agent.rules.schema import Rule
from agent.rules.stored import Stored


class StoredIndex(Index):
    def __init__(self, stored: Stored) -> None:
        self._stored = stored
        self.longest_prefix = stored.longest_prefix
        self._buckets: dict[str, Sequence[Ref]] = {}
        self._known: set[int] = set()  # rules whose products' facts are remembered
        self._keys: dict[int, tuple[ItemView, list[tuple[str, bool]]]] = {}  # of the items last prepared

    @property
    def rules(self) -> Sequence[Rule]:
        return self._stored.rules_at(self._stored.positions(kept=True))

    @property
    def superseded(self) -> Sequence[Rule]:
        return self._stored.rules_at(self._stored.positions(kept=False))

    def prepare(self, views: Sequence[ItemView]) -> None:
        """Read every bucket these items look in, in a few queries; a rule itself is decoded only for a
        candidate its gate lets through."""
        kinds = policy.load().kind_words
        self._keys = {id(seen): (seen, lookups(seen, self.longest_prefix, kinds)) for seen in views}
        looked: set[str] = set()
        for _, found in self._keys.values():  # a score of keys an item: gathered in C, not one by one
            looked.update(map(itemgetter(0), found))
        # the keys that read two buckets (a set unchanged is gone through in the same order twice)
        both = list(compress(looked, map(str.startswith, looked, repeat(EVERY_WORD))))
        looked.difference_update(both)
        for key in both:
            looked.update(filed_under(key))
        self._fetch(looked)

    def keys(self, seen: ItemView) -> list[tuple[str, bool]]:
        """The keys ``prepare`` worked out for this item, let go once asked for (their memory then serves
        the rules decoded next, instead of new pages), or worked out again."""
        known = self._keys.pop(id(seen), None)
        return known[1] if known is not None and known[0] is seen else super().keys(seen)

    def may_identify(self, ref: Ref, seen: ItemView) -> bool:
        pos, at = ref
        return admits(seen, self._stored.mark(pos, at), lambda: self._stored.gate(pos, at))

    def _fetch(self, keys: set[str]) -> None:
        missing = keys - self._buckets.keys()
        found = self._stored.buckets(missing)  # first: a query that fails leaves nothing behind
        self._buckets.update(dict.fromkeys(missing, ()))  # most lead nowhere
        self._buckets.update(found)

    def bucket(self, key: str) -> Sequence[Ref]:
        found = self._buckets.get(key)
        if found is None:
            self._fetch({key})
            found = self._buckets[key]
        return found

    def entry(self, ref: Ref) -> Entry:
        pos, at = ref
        rule = self._stored.rules_at([pos])[0]
        if at >= len(rule.products):
            raise CodecError(f"rule {rule.id} has no product {at}")
        if pos not in self._known:
            self._known.add(pos)
            for product, known in zip(rule.products, self._stored.facts_of(pos), strict=True):
                remember(product, known)
        return rule, rule.products[at]
