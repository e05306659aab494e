"""Matching policy read from the shipped data file ``rules/matching.policy.toml``: what is generic, which
brands are one, which tokens are never model codes. Loaded once; a broken file is a RuleError naming it.
"""

from __future__ import annotations

import functools
import os
from itertools import repeat

from agent import normalize
from agent.errors import RuleError
from agent.paths import shipped_rules_dir
from agent.record import Record
from agent.tomlio import parse_toml, read_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any

    from agent.paths import StrPath

POLICY_FILE = "matching.policy.toml"  # beside the shipped rules; the rule loader leaves *.policy.toml alone


class Policy(Record):
    generic_usb: dict[tuple[str, str], str]  # (vendor, product) -> the chip's name
    same_brand: dict[str, str]  # brand key -> the key of the brand it is another name for
    parents: dict[str, frozenset[str]]  # parent brand key -> the brand keys it sells under
    generic_words: frozenset[str]  # includes kind_words
    kind_words: frozenset[str]
    variant_words: frozenset[str]
    related_kinds: dict[str, frozenset[str]]  # a kind -> kinds a notice may call the same thing
    broader_kinds: dict[str, frozenset[str]]  # a kind -> the kinds it is one of ("cart" is a "vehicle")
    same_words: dict[str, str]
    not_models: frozenset[str]

    def brand_family(self, key: str) -> str:
        return self.same_brand.get(key, key)

    def generic_chip(self, vendor_id: str, product_id: str) -> str:
        return self.generic_usb.get((vendor_id, product_id), "")


def policy_path() -> str:
    return os.path.join(shipped_rules_dir(), POLICY_FILE)


@functools.lru_cache(maxsize=4)
def load(path: StrPath | None = None) -> Policy:
    path = path or policy_path()
    table = parse_toml(read_text(path, 1_000_000, RuleError), path, RuleError, memo=True)
    try:
        return _policy(table)
    except (KeyError, TypeError, ValueError) as e:
        raise RuleError(path, f"matching policy: {e}") from e


def _policy(table: dict[str, Any]) -> Policy:
    chips: dict[tuple[str, str], str] = {}
    for entry in _list(table.get("generic_usb", []), "generic_usb"):
        vendor = normalize.hex_id(entry["vendor_id"])
        for product in _strings(entry["product_ids"], "generic_usb.product_ids"):
            chips[(vendor, normalize.hex_id(product))] = str(entry.get("chip", ""))
    brands = table.get("brands", {})
    same: dict[str, str] = {}
    for key, names in dict(brands.get("same", {})).items():
        family = normalize.brand(key)
        for name in _strings(names, f"brands.same.{key}"):
            same[normalize.brand(name)] = family
    parents = {
        normalize.brand(key): frozenset(same.get(normalize.brand(n), normalize.brand(n)) for n in _strings(v, key))
        for key, v in dict(brands.get("parents", {})).items()
    }
    names = table.get("names", {})
    same_words = {str(k): str(v) for k, v in dict(names.get("same", {})).items()}
    kinds = frozenset(_strings(names.get("kinds", []), "names.kinds"))
    variants = frozenset(_strings(names.get("variants", []), "names.variants"))
    related = {str(k): frozenset(_strings(v, f"names.related.{k}")) for k, v in dict(names.get("related", {})).items()}
    broader = {str(k): frozenset(_strings(v, f"names.kind_of.{k}")) for k, v in dict(names.get("kind_of", {})).items()}
    generic = (
        frozenset(_strings(names.get("generic", []), "names.generic"))
        | frozenset(w for v in same_words.values() for w in v.split())
        | kinds
    )
    ids = table.get("identifiers", {})
    not_models = frozenset(normalize.model_code(t) for t in _strings(ids.get("not_models", []), "not_models"))
    return Policy(chips, same, parents, generic, kinds, variants, related, broader, same_words, not_models)


def _list(value: object, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise TypeError(f"{where} must be a list of tables")
    return value


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(map(isinstance, value, repeat(str))) or not all(value):
        raise TypeError(f"{where} must be a list of non-empty strings")
    return value
