"""Why one item matched a rule or did not: field by field, in plain words, and what to add to decide."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agent.matching import brands, names
from agent.matching.brands import Relation
from agent.matching.criteria import CHECKS
from agent.matching.identify import brand_relation, model_matches
from agent.matching.item_view import ItemView, view
from agent.matching.matcher import RuleIndex, evaluate
from agent.matching.product_facts import facts
from agent.model import Item
from agent.rules.schema import Product, Rule

MAX_RULES = 10


@dataclass(frozen=True, slots=True)
class Explanation:
    rule: Rule
    product: Product
    outcome: str  # "confirmed", "likely", "possible", "not affected" or "no match"
    lines: tuple[str, ...]  # why, one point a line
    to_add: tuple[str, ...]  # what to add to the inventory to decide


def explain(item: Item, index: RuleIndex, rule_id: str = "") -> list[Explanation]:
    """The rules that came close to ``item`` (or just ``rule_id``), the nearest first."""
    seen = view(item)
    if rule_id:
        entries = [(r, p) for r in (*index.rules, *index.superseded) if r.id == rule_id for p in r.products]
    else:
        entries = _close(index, item, seen)
    out = [explain_one(seen, rule, product, index) for rule, product in entries]
    if not rule_id:  # a rule of another brand that nothing identifies says nothing about this item
        out = [e for e in out if e.outcome != "no match" or not _other_brand(seen, e.rule, e.product)]
    order = {"confirmed": 0, "likely": 1, "possible": 2, "not affected": 3, "no match": 4}
    out.sort(key=lambda e: (order[e.outcome], -_nearness(seen, e.rule, e.product), e.rule.id))
    return out[:MAX_RULES] if not rule_id else out


def _close(index: RuleIndex, item: Item, seen: ItemView) -> list[tuple[Rule, Product]]:
    found = index.candidates(item, seen)
    known = {(r.id, id(p)) for r, p in found}
    if seen.brand:  # rules of the same brand that nothing else brought close
        for rule in index.rules:
            for product in rule.products:
                if (rule.id, id(product)) not in known and seen.brand in brands.keys(product.brands):
                    found.append((rule, product))
                    known.add((rule.id, id(product)))
    return found


def explain_one(seen: ItemView, rule: Rule, product: Product, index: RuleIndex) -> Explanation:
    item = seen.item
    lines = [_brand_line(seen, rule, product), *_id_lines(seen, product), *_name_lines(seen, product, rule)]
    to_add: list[str] = []
    failed = False
    for check in CHECKS:
        verdict = check(item, product)
        if verdict is None:
            continue
        state = {True: "satisfied", False: "not satisfied", None: "unknown"}[verdict.passed]
        lines.append(f"criterion {state}: {verdict.text}")
        failed = failed or verdict.passed is False
        if verdict.passed is None:
            to_add.append(verdict.text)
    if rule in index.superseded:
        lines.append("a curated rule describes the same recall and is used instead of this one")
    finding = evaluate(item, rule, product, seen)
    if finding is None:
        outcome = "not affected" if failed else "no match"
        to_add += _kind_to_add(seen, rule, product)
    else:
        outcome = finding.confidence.label
        lines.insert(0, "why: " + finding.evidence[0])
        to_add = list(dict.fromkeys([*finding.to_check, *to_add]))
    if outcome in ("no match", "possible") and not item.model and (product.model_keys or product.model_prefixes):
        to_add.insert(0, "the model number on the label")
    if not seen.brand_text and product.brands:
        to_add.append(f"the brand on the label (the notice names {', '.join(product.brands)})")
    return Explanation(rule, product, outcome, tuple(lines), tuple(dict.fromkeys(to_add)))


def _brand_line(seen: ItemView, rule: Rule, product: Product) -> str:
    listed = ", ".join(product.brands)
    relation, known = brand_relation(seen, product, facts(rule, product))
    if not known:
        return f"brand: not known for the item; the notice names {listed}"
    said = seen.brand_text or "(from the name)"
    words = {
        Relation.SAME: "is the notice's brand",
        Relation.PARENT: "is a parent or sub-brand of the notice's",
        Relation.TYPO: "is one letter off the notice's",
        Relation.PART: "begins with the notice's, or the notice's with it",
        None: "differs from the notice's",
    }
    return f"brand: {said} {words[relation]} ({listed})"


def _id_lines(seen: ItemView, product: Product) -> list[str]:
    lines = []
    for code in seen.codes:
        hit = model_matches(code.key, product) or code.key in product.retailer_ids
        lines.append(f"identifier {code.raw} in {code.where}: {'listed' if hit else 'not listed'}")
    for upc in seen.upcs:
        lines.append(f"UPC {upc.raw} in {upc.where}: {'listed' if upc.key in product.upcs else 'not listed'}")
    if product.models:
        lines.append("models in the notice: " + ", ".join(product.models[:12]) + (" ..." * (len(product.models) > 12)))
    return lines


def _name_lines(seen: ItemView, product: Product, rule: Rule) -> Iterable[str]:
    known = facts(rule, product)
    said = names.item_kinds(seen.words)
    if said and not names.kinds_agree(frozenset(), seen.words, known.notice_words):
        yield f"the item's name says {', '.join(sorted(said))}, a kind of thing the notice never names"
    own = names.brand_words((seen.brand_text,)) if seen.brand_text else frozenset()
    codes = names.item_words(" ".join(c.raw for c in seen.codes if not c.key.isdigit()))  # "A3102016" is a model
    versions = sorted(w for w in seen.words - known.notice_words - known.brand_words - own - codes if names.version(w))
    if versions:
        yield f"the item's name says {', '.join(versions)}, a version the notice never names: no name matches"
    for phrase in known.phrases[:4]:
        text = phrase.text
        if not phrase.distinctive and not phrase.head:
            continue  # "black": a colour in brackets names nothing
        if not phrase.distinctive:
            kind = phrase.head
            has = "says it too" if phrase.head in seen.words else "does not say it"
            yield f"name {text!r}: brand and kind only ({kind}); the item's name {has}"
            continue
        missing = sorted(phrase.distinctive - seen.words)
        state = "all in the item's name" if not missing else "missing " + ", ".join(missing)
        yield f"name {text!r}: distinctive words {', '.join(sorted(phrase.distinctive))}: {state}"


def _kind_to_add(seen: ItemView, rule: Rule, product: Product) -> list[str]:
    """A notice that names its product by brand and kind matches an item of the brand whose name says the kind."""
    known = facts(rule, product)
    kinds = {p.head for p in known.phrases if p.head and not p.distinctive and p.text in known.by_kind}
    if not kinds or kinds & seen.words or names.item_kinds(seen.words):
        return []
    own = names.brand_words((seen.brand_text,)) if seen.brand_text else frozenset()
    if names.contradicts(seen.words, known.notice_words, known.brand_words | own):
        return []
    return [f"what it is, in its name (the notice's: {', '.join(sorted(kinds))})"]


def _nearness(seen: ItemView, rule: Rule, product: Product) -> int:
    """How much of the item's name the notice shares, its brand aside: the nearest rules are shown first."""
    known = facts(rule, product)
    return len(seen.words & known.notice_words - known.brand_words)


def _other_brand(seen: ItemView, rule: Rule, product: Product) -> bool:
    relation, known = brand_relation(seen, product, facts(rule, product))
    return known and relation is None
