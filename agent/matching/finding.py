"""A finding: one item, one rule, how sure we are and why."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import IntEnum

from agent.model import Handling, Item
from agent.rules.schema import Product, Rule


class Confidence(IntEnum):
    POSSIBLE = 1  # weak evidence: name words, a USB vendor id or a generic bridge chip. Never notified.
    LIKELY = 2  # the product matches, but something on the label must be checked
    CONFIRMED = 3  # every criterion of the notice is known and satisfied

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
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

    @property
    def notify(self) -> bool:
        return self.serious


def with_handling(finding: Finding, today: dt.date) -> Finding:
    handling = finding.item.handling_for(finding.rule.id)
    if handling is None or not handling.active(today):
        return finding
    return dataclasses.replace(finding, handled=handling)
