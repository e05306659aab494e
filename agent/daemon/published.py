"""The findings file a system service publishes for the per-user notifiers: only what a notification shows.

The file is readable by every local user (0644, see the README's security section), so it carries no
serial numbers, notes, locations, purchase data or network addresses: per finding only the item's id,
name and model, and the recall's id, title, kind, hazard, remedy, label check and link, the confidence
and what to read on the label. Handled findings and findings too uncertain to notify are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from agent.matching.finding import Finding

FORMAT = 1


def published_finding(finding: Finding) -> dict[str, Any]:
    """One finding as the notifier reads it (see ``notice_from_json``)."""
    rule, item = finding.rule, finding.item
    return {
        "item": {"id": item.id, "name": item.display_name, "model": item.model},
        "rule": {
            "id": rule.id,
            "title": rule.title,
            "kind": rule.kind,
            "hazard": rule.hazard,
            "hazards": list(rule.hazards),
            "remedy": rule.remedy,
            "check": rule.check,
            "url": rule.url,
        },
        "confidence": finding.confidence.label,
        "to_check": list(finding.to_check),
        "serial_lookup": finding.product.serial_lookup,
        "notify": True,
    }


def render_published(findings: Iterable[Finding]) -> str:
    document = {"format": FORMAT, "findings": [published_finding(f) for f in findings if f.serious]}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
