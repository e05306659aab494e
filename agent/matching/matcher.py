"""Match items against rules through an index, so the cost follows the candidates, not rules x items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agent import datetimes as dt
from agent.confidence import Confidence
from agent.matching import policy
from agent.matching.criteria import CHECKS, check_code, check_serial
from agent.matching.filing import EVERY_WORD, IDENTIFYING, MAX_HINTS, Ref, file_rules, filed_under, lookups
from agent.matching.finding import Finding, with_handling
from agent.matching.identify import Identification, identify
from agent.matching.item_view import ItemView, view
from agent.matching.recalls import recall_keys
from agent.model import Item
from agent.rules.load import RuleSet
from agent.rules.schema import Product, Rule

Entry = tuple[Rule, Product]
MAX_LISTED = 8


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


class Index:
    """Rules found through every identifier an item can carry (agent.matching.filing); where the buckets
    and the rules live is the subclass's: in memory, or in the indexed rule cache."""

    longest_prefix = 0

    @property
    def rules(self) -> Sequence[Rule]:
        """The rules matched against."""
        raise NotImplementedError

    @property
    def superseded(self) -> Sequence[Rule]:
        """Feed rules left out because a curated rule describes the same recall."""
        raise NotImplementedError

    def bucket(self, key: str) -> Sequence[Ref]:
        raise NotImplementedError

    def entry(self, ref: Ref) -> Entry:
        raise NotImplementedError

    def candidates(self, item: Item, seen: ItemView | None = None) -> list[Entry]:
        seen = seen or view(item)
        unique: dict[Ref, None] = {}
        coded: set[Ref] = set()  # found through an identifier of the item
        for key, hint in self.keys(seen):
            bucket = self.every_word(key) if key.startswith(EVERY_WORD) else self.bucket(key)
            if not bucket:
                continue  # most keys an item asks for lead nowhere
            if not hint or len(bucket) <= MAX_HINTS:
                unique.update(dict.fromkeys(bucket))
                if key.startswith(IDENTIFYING):
                    coded.update(bucket)
        return [self.entry(ref) for ref in unique if ref in coded or self.may_identify(ref, seen)]

    def every_word(self, key: str) -> Sequence[Ref]:
        """Both buckets of a name word (agent.matching.filing.filed_under), as one in filing order."""
        first, second = (self.bucket(k) for k in filed_under(key))
        return sorted([*first, *second]) if first and second else first or second

    def keys(self, seen: ItemView) -> list[tuple[str, bool]]:
        """The keys to look an item up under (agent.matching.filing.lookups)."""
        return lookups(seen, self.longest_prefix, policy.load().kind_words)

    def may_identify(self, ref: Ref, seen: ItemView) -> bool:
        """False only where ``identify`` is sure to find nothing, for a product that no identifier of the item
        led to (agent.matching.gate); the index in memory evaluates every candidate."""
        return True

    def prepare(self, views: Sequence[ItemView]) -> None:
        """Get ready to look up these items (the indexed cache reads all their keys at once)."""

    def match(self, items: Sequence[Item], today: dt.date) -> list[Finding]:
        """Every finding, the best per (item, recall), ordered most serious first."""
        views = [view(item) for item in items]
        self.prepare(views)
        findings: list[Finding] = []
        for seen in views:
            findings += self.item_findings(seen.item, seen)
        findings = [with_handling(f, today) for f in findings]
        findings.sort(key=sort_key)
        return findings

    def item_findings(self, item: Item, seen: ItemView | None = None) -> list[Finding]:
        """The best finding per recall for one item: one rule per recall, the curated one before a feed's."""
        seen = seen or view(item)
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


class RuleIndex(Index):
    """The index in memory, built from the rules."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        given = tuple(rules)
        filing = file_rules(given)
        self._rules = tuple(given[n] for n in filing.kept)
        self._superseded = tuple(given[n] for n in filing.dropped)
        self._buckets = filing.buckets
        self._given = given
        self.longest_prefix = filing.longest_prefix

    @property
    def rules(self) -> Sequence[Rule]:
        return self._rules

    @property
    def superseded(self) -> Sequence[Rule]:
        return self._superseded

    def bucket(self, key: str) -> Sequence[Ref]:
        return self._buckets.get(key, ())

    def entry(self, ref: Ref) -> Entry:
        rule = self._given[ref[0]]
        return rule, rule.products[ref[1]]


def index_for(ruleset: RuleSet) -> Index:
    """The index of a rule set: read from its indexed cache when it came from one, else built in memory."""
    if ruleset.stored is not None:
        from agent.matching.stored_index import StoredIndex

        return StoredIndex(ruleset.stored)
    return RuleIndex(ruleset.rules)


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
