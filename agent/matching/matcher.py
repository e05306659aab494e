"""Match items against rules through an index, so the cost follows the candidates, not rules x items."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from agent import normalize
from agent.confidence import Confidence
from agent.matching.criteria import CHECKS
from agent.matching.finding import Finding, with_handling
from agent.matching.identify import identify, item_models
from agent.model import Item
from agent.rules.schema import Product, Rule

Entry = tuple[Rule, Product]


def evaluate(item: Item, rule: Rule, product: Product) -> Finding | None:
    """The finding for one item and one product of a notice, or None when the item is not affected."""
    found = identify(item, product)
    if found is None:
        return None
    evidence = [found.evidence]
    to_check: list[str] = []
    for check in CHECKS:
        verdict = check(item, product)
        if verdict is None:
            continue
        if verdict.passed is False:
            return None
        (evidence if verdict.passed else to_check).append(verdict.text)
    if not found.strong:
        confidence = Confidence.POSSIBLE
    elif to_check or not found.brand_known or rule.certainty != "exact":
        confidence = Confidence.LIKELY
    else:
        confidence = Confidence.CONFIRMED
    if found.strong and not found.brand_known:
        to_check.insert(0, f"the brand on the label (affected: {', '.join(product.brands)})")
    if rule.certainty != "exact":
        evidence.append("this rule was extracted automatically from a feed; read the notice to be sure")
    if not found.strong and to_check:
        to_check = []
    return Finding(
        item=item, rule=rule, product=product, confidence=confidence, evidence=tuple(evidence), to_check=tuple(to_check)
    )


class RuleIndex:
    """Rules indexed by every identifier an item can carry."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rules)
        self._models: dict[str, list[Entry]] = defaultdict(list)
        self._prefixes: dict[str, list[Entry]] = defaultdict(list)
        self._upcs: dict[str, list[Entry]] = defaultdict(list)
        self._retailer: dict[str, list[Entry]] = defaultdict(list)
        self._usb: dict[str, list[Entry]] = defaultdict(list)
        self._words: dict[str, list[Entry]] = defaultdict(list)
        self._mdns: list[Entry] = []
        self._longest_prefix = 0
        phrases: list[tuple[tuple[str, ...], Entry]] = []
        for rule in self.rules:
            for product in rule.products:
                entry = (rule, product)
                for key in product.model_keys:
                    self._models[key].append(entry)
                for prefix in product.model_prefixes:
                    self._prefixes[prefix].append(entry)
                    self._longest_prefix = max(self._longest_prefix, len(prefix))
                for upc in product.upcs:
                    self._upcs[upc].append(entry)
                for rid in product.retailer_ids:
                    self._retailer[rid].append(entry)
                for vendor in {m.vendor_id for m in product.usb}:
                    self._usb[vendor].append(entry)
                if product.mdns:
                    self._mdns.append(entry)
                phrases += [(phrase, entry) for phrase in product.names]
        # Each name phrase is filed under its rarest word: an item only meets phrases it could contain.
        frequency = Counter(word for phrase, _ in phrases for word in set(phrase))
        for phrase, entry in phrases:
            self._words[min(phrase, key=lambda w: (frequency[w], w))].append(entry)

    def candidates(self, item: Item) -> list[Entry]:
        found: list[Entry] = []
        for code in item_models(item):
            found += self._models.get(code, ())
            for size in range(3, min(len(code), self._longest_prefix) + 1):
                found += self._prefixes.get(code[:size], ())
        if item.upc:
            found += self._upcs.get(normalize.digits(item.upc), ())
        if item.retailer_id:
            found += self._retailer.get(normalize.model_code(item.retailer_id), ())
        if item.usb:
            found += self._usb.get(item.usb.vendor_id, ())
        if item.mdns:
            found += self._mdns
        for word in set(normalize.words(item.display_name)):
            found += self._words.get(word, ())
        unique: dict[tuple[str, int], Entry] = {}
        for rule, product in found:
            unique.setdefault((rule.id, id(product)), (rule, product))
        return list(unique.values())

    def match(self, items: Sequence[Item], today: dt.date) -> list[Finding]:
        """Every finding, the best per (item, rule), ordered most serious first."""
        best: dict[tuple[str, str], Finding] = {}
        for item in items:
            for rule, product in self.candidates(item):
                finding = evaluate(item, rule, product)
                if finding is None:
                    continue
                key = (item.id, rule.id)
                if key not in best or finding.confidence > best[key].confidence:
                    best[key] = finding
        findings = [with_handling(f, today) for f in best.values()]
        findings.sort(key=sort_key)
        return findings


def sort_key(finding: Finding) -> tuple[int, int, int, str, str]:
    return (
        finding.handled is not None,
        -int(finding.confidence),
        finding.rule.kind != "recall",
        finding.item.display_name.casefold(),
        finding.rule.id,
    )
