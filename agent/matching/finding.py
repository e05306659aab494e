"""A finding: one item, one rule, how sure we are and why."""

from __future__ import annotations

from agent import datetimes as dt
from agent.confidence import Confidence
from agent.model import Handling, Item
from agent.record import Record, replace
from agent.rules.schema import Product, Rule


class Finding(Record, kw_only=True):
    item: Item
    rule: Rule
    product: Product
    confidence: Confidence
    evidence: tuple[str, ...]  # what matched, in plain words
    to_check: tuple[str, ...] = ()  # what the person must look at to settle a likely finding
    handled: Handling | None = None

    @property
    def serious(self) -> bool:
        """Counts for the exit code and the daemon: likely or confirmed, and not handled."""
        return self.confidence >= Confidence.LIKELY and self.handled is None


def with_handling(finding: Finding, today: dt.date) -> Finding:
    handling = finding.item.handling_for(finding.rule.id)
    if handling is None or not handling.active(today):
        return finding
    return replace(finding, handled=handling)
