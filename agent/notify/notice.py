"""What one desktop notification says: built by the daemon from a finding, read by every notifier."""

from __future__ import annotations

from dataclasses import dataclass

from agent.confidence import Confidence
from agent.rules.schema import Rule


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """One (item, recall) pair worth telling a person about.

    Strings may come straight from a device (a USB product string, an mDNS instance name): notifiers
    clean them before showing them. ``urgent`` marks fire, burn, shock and explosion hazards.
    """

    item_id: str
    item_name: str
    rule_id: str
    title: str
    hazard: str
    remedy: str
    url: str = ""
    urgent: bool = False
    confidence: str = Confidence.CONFIRMED.label  # a Confidence label
    check: str = ""  # how to tell from the label whether this unit is affected (for likely findings)

    @property
    def key(self) -> tuple[str, str]:
        return (self.item_id, self.rule_id)


def notice_from_rule(rule: Rule, *, item_id: str, item_name: str, confidence: str) -> Notice:
    """The notice for ``rule`` matched against one item; the label check is kept only when it is needed."""
    return Notice(
        item_id=item_id,
        item_name=item_name,
        rule_id=rule.id,
        title=rule.title,
        hazard=rule.hazard,
        remedy=rule.remedy,
        url=rule.url,
        urgent=rule.urgent,
        confidence=confidence,
        check=rule.check if confidence != Confidence.CONFIRMED.label else "",
    )
