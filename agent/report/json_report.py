"""The stable JSON report (format version 1, documented in the README)."""

from __future__ import annotations

import json
import os
from typing import Any

from agent.confidence import Confidence
from agent.matching.finding import Finding
from agent.model import Handling, Item
from agent.problems import Problem
from agent.report.freshness import Freshness, json_status
from agent.scan import ScanResult

FORMAT = 1


TEXT_FIELDS = ("name", "brand", "model", "serial", "upc", "retailer_id", "code", "color", "location", "notes")


def item_json(item: Item) -> dict[str, Any]:
    """Every stored field of an item; unset text is "", unset dates and tables are null.

    ``name`` is the name shown (the one given, else what the device says); ``name_given`` is the stored one.
    """
    out: dict[str, Any] = {"id": item.id, "name": item.display_name, "name_given": item.name, "source": item.source}
    for key in TEXT_FIELDS[1:]:
        out[key] = getattr(item, key)
    for key in ("manufactured", "purchased"):
        value = getattr(item, key)
        out[key] = str(value) if value else None
    out["discovered"] = item.discovered
    out["imported"] = item.imported
    out["locator"] = item.locator
    for key in ("first_seen", "last_seen"):
        value = getattr(item, key)
        out[key] = value.isoformat() if value else None
    out["usb"] = _usb(item)
    out["mdns"] = _mdns(item)
    out["handled"] = [handling_json(h) for h in item.handled]
    return out


def _usb(item: Item) -> dict[str, Any] | None:
    usb = item.usb
    if usb is None:
        return None
    out: dict[str, Any] = {
        key: getattr(usb, key)
        for key in (
            "vendor_id", "product_id", "bcd_device", "manufacturer", "product", "serial", "device_class",
            "bus", "port_path", "speed", "vendor_name", "product_name",
        )
    }  # fmt: skip
    out["interface_classes"] = list(usb.interface_classes)
    out["unreadable"] = list(usb.unreadable)
    return out


def _mdns(item: Item) -> dict[str, Any] | None:
    mdns = item.mdns
    if mdns is None:
        return None
    return {
        "instance": mdns.instance,
        "hostname": mdns.hostname,
        "services": list(mdns.services),
        "manufacturer": mdns.manufacturer,
        "model": mdns.model,
        "txt": [[key, value] for key, value in mdns.txt],
        "addresses": list(mdns.addresses),
    }


def handling_json(handled: Handling) -> dict[str, Any]:
    return {
        "rule": handled.rule,
        "status": handled.status.value,
        "date": handled.date.isoformat() if handled.date else None,
        "until": handled.until.isoformat() if handled.until else None,
        "reason": handled.reason,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    handled = finding.handled
    return {
        "item": item_json(finding.item),
        "rule": {
            "id": rule.id,
            "title": rule.title,
            "kind": rule.kind,
            "issuer": rule.issuer,
            "reference": rule.reference,
            "published": str(rule.published),
            "url": rule.url,
            "hazard": rule.hazard,
            "hazards": list(rule.hazards),
            "remedy": rule.remedy,
            "check": rule.check,
            "certainty": rule.certainty,
            "category": rule.category,
            "origin": rule.origin,
        },
        "product": finding.product.name,
        "confidence": finding.confidence.label,
        "evidence": list(finding.evidence),
        "to_check": list(finding.to_check),
        "handled": None if handled is None else handling_json(handled),
        "notify": finding.serious,
    }


def problem_json(problem: Problem, kind: str) -> dict[str, Any]:
    """One problem of the inventory (``kind`` "inventory") or of a rule file ("rule") as a value; ``item`` is
    the item's or the rule's id."""
    return {
        "kind": kind,
        "file": problem.path,
        "line": problem.line,
        "item": problem.item,
        "field": problem.field,
        "message": problem.message,
    }


def summary(result: ScanResult) -> dict[str, int]:
    open_ = [f for f in result.findings if f.handled is None]
    return {
        "items": len(result.items),
        "rules": len(result.rules.rules),
        "findings": len(result.findings),
        "confirmed": sum(f.confidence is Confidence.CONFIRMED for f in open_),
        "likely": sum(f.confidence is Confidence.LIKELY for f in open_),
        "possible": sum(f.confidence is Confidence.POSSIBLE for f in open_),
        "handled": len(result.findings) - len(open_),
        "added": len(result.added),
        "skipped": len({p.item for p in result.skipped}),
        "rule_problems": len(result.rules.problems),
        "replaced_shipped_rules": len(result.replaced),
    }


def render(result: ScanResult, exit_code: int | None = None, fresh: Freshness | None = None) -> str:
    document: dict[str, Any] = {
        "format": FORMAT,
        "inventory": str(result.inventory),
        "inventory_exists": os.path.exists(result.inventory),
        "summary": summary(result),
        "items": len(result.items),
        "rules": len(result.rules.rules),
        "rule_problems": [str(p) for p in result.rules.problems],
        "replaced_shipped_rules": list(result.replaced),
        "sources": [
            {
                "name": s.source,
                "devices": len(s.observations),
                "skipped": s.skipped or None,
                "warnings": list(s.warnings),
            }
            for s in result.sources
        ],
        "added": list(result.added),
        "problems": [
            *(problem_json(p, "inventory") for p in result.skipped),
            *(problem_json(p, "rule") for p in result.rules.problems),
        ],
        "findings": [finding_json(f) for f in result.findings],
        "rules_status": None if fresh is None else json_status(fresh),
        "exit_code": result.exit_code if exit_code is None else exit_code,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
