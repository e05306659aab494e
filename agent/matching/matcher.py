"""Match items against rules through an index, so the cost follows the candidates, not rules x items."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from agent.confidence import Confidence
from agent.matching import policy
from agent.matching.criteria import CHECKS, check_code, check_serial
from agent.matching.finding import Finding, with_handling
from agent.matching.identify import Identification, identify
from agent.matching.item_view import ItemView, view
from agent.matching.product_facts import facts
from agent.matching.recalls import recall_keys, supersede
from agent.model import Item
from agent.rules.schema import Product, Rule

Entry = tuple[Rule, Product]
MAX_LISTED = 8
MAX_HINTS = 12  # rules of one brand and kind beyond which brand and kind alone are not looked at


def evaluate(item: Item, rule: Rule, product: Product, seen: ItemView | None = None) -> Finding | None:
    """The finding for one item and one product of a notice, or None when the item is not affected."""
    found = identify(seen or view(item), product, rule)
    if found is None:
        return None
    evidence = [found.evidence]
    to_check: list[str] = []
    settled = False  # an identifying criterion (serial, printed code) is known and satisfied
    for check in CHECKS:
        verdict = check(item, product)
        if verdict is None:
            continue
        if verdict.passed is False:
            return None
        if verdict.passed:
            evidence.append(verdict.text)
            settled = settled or _identifies(check, item)
        else:
            to_check.append(verdict.text)
    if found.brand_only and settled:
        found = Identification(True, f"brand {item.brand or 'in the name'} is the notice's")
    elif not found.evidence:
        return None  # a brand alone says nothing about which product this is
    if not found.strong:
        return Finding(
            item=item, rule=rule, product=product, confidence=Confidence.POSSIBLE, evidence=(found.evidence,)
        )
    if found.by_name and (product.model_keys or product.model_prefixes):
        to_check.insert(0, "the model on the label: recalled models are " + _listed(product.models))
    if not found.brand_known:
        to_check.insert(0, found.brand_check)
    exact = rule.certainty == "exact" and not found.by_name
    confidence = Confidence.LIKELY if to_check or not found.brand_known or not exact else Confidence.CONFIRMED
    if rule.certainty != "exact":
        evidence.append("this rule was extracted automatically from a feed; read the notice to be sure")
    return Finding(
        item=item, rule=rule, product=product, confidence=confidence, evidence=tuple(evidence), to_check=tuple(to_check)
    )


def _identifies(check: object, item: Item) -> bool:
    return check is check_serial or (check is check_code and item.code.strip().casefold() != "none")


def _listed(models: Sequence[str]) -> str:
    shown = ", ".join(m.rstrip("*") + ("..." if m.endswith("*") else "") for m in models[:MAX_LISTED])
    return shown + (" ..." if len(models) > MAX_LISTED else "")


class RuleIndex:
    """Rules indexed by every identifier an item can carry."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules, self.superseded = supersede(tuple(rules))
        self._models: dict[str, list[Entry]] = defaultdict(list)
        self._prefixes: dict[str, list[Entry]] = defaultdict(list)
        self._upcs: dict[str, list[Entry]] = defaultdict(list)
        self._retailer: dict[str, list[Entry]] = defaultdict(list)
        self._usb: dict[str, list[Entry]] = defaultdict(list)
        self._words: dict[str, list[Entry]] = defaultdict(list)
        self._brands: dict[str, list[Entry]] = defaultdict(list)
        self._mdns: list[Entry] = []
        self._kinds = policy.load().kind_words
        self._longest_prefix = 0
        filed: list[tuple[frozenset[str], Entry]] = []
        for rule in self.rules:
            for product in rule.products:
                entry = (rule, product)
                self._file(entry)
                # Phrases of generic words only are reached through the brand buckets of _file.
                filed += [(p.distinctive, entry) for p in facts(rule, product).phrases if p.distinctive]
        # Each name phrase is filed under its rarest word: an item only meets phrases it could contain.
        frequency = Counter(word for words, _ in filed for word in words)
        for words, entry in filed:
            self._words[min(words, key=lambda w: (frequency[w], w))].append(entry)

    def _file(self, entry: Entry) -> None:
        product = entry[1]
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
        known = facts(*entry)
        for brand in known.implied:  # brand and kind hint at a product; a brand alone only where no model is
            keys = {f"{brand} {noun}" for p in known.phrases for noun in p.nouns}
            for key in keys if known.has_models else {brand}:
                self._brands[key].append(entry)

    def candidates(self, item: Item, seen: ItemView | None = None) -> list[Entry]:
        seen = seen or view(item)
        found: list[Entry] = []
        for code in seen.codes:
            found += self._models.get(code.key, ())
            found += self._retailer.get(code.key, ())
            for size in range(3, min(len(code.key), self._longest_prefix) + 1):
                found += self._prefixes.get(code.key[:size], ())
        for upc in seen.upcs:
            found += self._upcs.get(upc.key, ())
        if item.usb:
            found += self._usb.get(item.usb.vendor_id, ())
        if item.mdns:
            found += self._mdns
        for word in seen.words:
            found += self._words.get(word, ())
        # Brand-and-kind buckets hold products with models: a typed model that is not theirs rules them out.
        kinds = [] if seen.typed_model else [w for w in seen.words if w in self._kinds]
        for brand in {seen.brand} | seen.name_brands:
            found += self._brands.get(brand, ())
            for noun in kinds:  # only hints (possible findings): a bucket this large hints at nothing
                bucket = self._brands.get(f"{brand} {noun}", ())
                found += bucket if len(bucket) <= MAX_HINTS else ()
        unique: dict[tuple[str, int], Entry] = {}
        for rule, product in found:
            unique.setdefault((rule.id, id(product)), (rule, product))
        return list(unique.values())

    def match(self, items: Sequence[Item], today: dt.date) -> list[Finding]:
        """Every finding, the best per (item, recall), ordered most serious first."""
        findings: list[Finding] = []
        for item in items:
            findings += self.item_findings(item)
        findings = [with_handling(f, today) for f in findings]
        findings.sort(key=sort_key)
        return findings

    def item_findings(self, item: Item) -> list[Finding]:
        """The best finding per recall for one item: one rule per recall, the curated one before a feed's."""
        seen = view(item)
        best: dict[str, Finding] = {}
        for rule, product in self.candidates(item, seen):
            finding = evaluate(item, rule, product, seen)
            if finding is None:
                continue
            key = min(recall_keys(rule), default=f"rule:{rule.id}")
            if key not in best or _better(finding, best[key]):
                best[key] = finding
        found = list(best.values())
        if any(f.confidence is Confidence.CONFIRMED for f in found):  # the item is known: name hints are noise
            found = [f for f in found if f.confidence is not Confidence.POSSIBLE]
        return found


def _better(new: Finding, old: Finding) -> bool:
    return (new.rule.origin != "feed", new.confidence) > (old.rule.origin != "feed", old.confidence)


def sort_key(finding: Finding) -> tuple[int, int, int, str, str]:
    return (
        finding.handled is not None,
        -int(finding.confidence),
        finding.rule.kind != "recall",
        finding.item.display_name.casefold(),
        finding.rule.id,
    )
