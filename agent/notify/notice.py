"""What one notification is about, and the one place that builds it from a finding.

The daemon builds notices from its findings, the per-user notifier from the findings a system service
published as JSON: both go through ``make_notice``, so the rules for urgency and for what a likely finding
asks the person to check are written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent.confidence import Confidence
from agent.rules.schema import URGENT_HAZARDS

CONFIRMED = Confidence.CONFIRMED.label

if TYPE_CHECKING:
    from agent.matching.finding import Finding


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """One (item, recall) pair worth telling a person about.

    Strings may come straight from a device (a USB product string, an mDNS instance name): notifiers
    clean them before showing them. ``check``, ``to_check`` and ``checker`` are only set for findings that
    are not confirmed: what the label says, what to read on it, and the firm's serial checker.
    """

    item_id: str
    item_name: str
    rule_id: str
    title: str
    hazard: str
    remedy: str
    url: str = ""
    kind: str = "recall"  # or "warning": an agency's warning where the firm did not recall
    hazards: tuple[str, ...] = ()
    confidence: str = CONFIRMED  # a Confidence label
    model: str = ""
    check: str = ""
    to_check: tuple[str, ...] = ()
    checker: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.item_id, self.rule_id)

    @property
    def urgent(self) -> bool:
        """A fire, burn, shock or explosion hazard."""
        return bool(URGENT_HAZARDS.intersection(self.hazards))

    @property
    def critical(self) -> bool:
        """Critical urgency: a confirmed recall with an urgent hazard. Likely findings stay normal."""
        return self.confidence == CONFIRMED and self.urgent


def make_notice(
    *,
    item_id: str,
    item_name: str,
    item_model: str,
    rule_id: str,
    title: str,
    hazard: str,
    hazards: Iterable[str],
    remedy: str,
    check: str,
    url: str,
    confidence: str,
    kind: str = "recall",
    to_check: Iterable[str] = (),
    checker: str = "",
    models: Iterable[str] = (),
) -> Notice:
    """The notice for one finding; the label check and the checker are kept only when they are needed."""
    settled = confidence == CONFIRMED
    return Notice(
        item_id=item_id,
        item_name=item_name,
        rule_id=rule_id,
        title=title,
        hazard=hazard,
        remedy=remedy,
        url=url,
        kind=kind,
        hazards=tuple(hazards),
        confidence=confidence,
        model=item_model or next((m for m in models if not m.endswith("*")), ""),
        check="" if settled else check,
        to_check=() if settled else tuple(to_check),
        checker="" if settled else checker,
    )


def notice_for(finding: Finding) -> Notice:
    """The notice for a finding of this process's own scan."""
    rule, item = finding.rule, finding.item
    return make_notice(
        item_id=item.id,
        item_name=item.display_name,
        item_model=item.model,
        rule_id=rule.id,
        title=rule.title,
        hazard=rule.hazard,
        hazards=rule.hazards,
        remedy=rule.remedy,
        check=rule.check,
        url=rule.url,
        confidence=finding.confidence.label,
        kind=rule.kind,
        to_check=finding.to_check,
        checker=finding.product.serial_lookup,
        models=finding.product.models,
    )


def notice_from_json(finding: Mapping[str, Any]) -> Notice:
    """The notice for one finding of a published JSON report; raises KeyError or TypeError if malformed."""
    rule, item = finding["rule"], finding["item"]
    return make_notice(
        item_id=str(item["id"]),
        item_name=str(item["name"]),
        item_model=str(item.get("model") or ""),
        rule_id=str(rule["id"]),
        title=str(rule["title"]),
        hazard=str(rule["hazard"]),
        hazards=[str(h) for h in rule.get("hazards", [])],
        remedy=str(rule["remedy"]),
        check=str(rule.get("check", "")),
        url=str(rule.get("url", "")),
        confidence=str(finding["confidence"]),
        kind=str(rule.get("kind", "recall")),
        to_check=[str(t) for t in finding.get("to_check", [])],
        checker=str(finding.get("serial_lookup") or ""),
    )
