"""Which rules describe the same recall: the same issuer's reference, or the same agency recall number."""

from __future__ import annotations

from collections.abc import Sequence

from agent import normalize
from agent.rules.schema import Rule

# Issuers whose recall numbers are compared across rules, by the names rules give them.
_AGENCIES = {
    "usconsumerproductsafetycommission": "cpsc",
    "consumerproductsafetycommission": "cpsc",
    "cpsc": "cpsc",
    "uscpsc": "cpsc",
    "healthcanada": "health-canada",
    "australiancompetitionandconsumercommission": "accc",
    "accc": "accc",
}


def issuer_key(name: str) -> str:
    key = normalize.brand(name)
    return _AGENCIES.get(key, key)


def reference_key(issuer: str, reference: str) -> str:
    """ "U.S. Consumer Product Safety Commission" + "25-036" and "CPSC" + "25036" give "cpsc:25036"."""
    number = normalize.alnum(reference).upper()
    if not number or not any(c.isdigit() for c in number):
        return ""
    return f"{issuer_key(issuer)}:{number}"


def recall_keys(rule: Rule) -> frozenset[str]:
    """The keys of the recall a rule describes, worked out once per rule object (kept by its identity, as
    hashing a whole rule costs more than the keys themselves)."""
    kept = _KEYS.get(id(rule))
    if kept is not None and kept[0] is rule:
        return kept[1]
    found = [reference_key(rule.issuer, rule.reference)]
    found += [reference_key(ref.issuer, ref.reference) for ref in rule.also]
    keys = frozenset(k for k in found if k)
    if len(_KEYS) >= _MAX_KEYS:
        _KEYS.clear()
    _KEYS[id(rule)] = (rule, keys)
    return keys


_KEYS: dict[int, tuple[Rule, frozenset[str]]] = {}
_MAX_KEYS = 65536


def superseded(rules: Sequence[Rule]) -> set[int]:
    """Positions of the feed rules to leave out because a curated rule describes the same recall."""
    curated = {key for rule in rules if rule.origin != "feed" for key in recall_keys(rule)}
    return {n for n, rule in enumerate(rules) if rule.origin == "feed" and recall_keys(rule) & curated}
