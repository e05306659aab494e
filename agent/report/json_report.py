"""The stable JSON report (format version 1, documented in the README)."""

from __future__ import annotations

import json
from typing import Any

from agent.matching.finding import Finding
from agent.model import Item
from agent.scan import ScanResult

FORMAT = 1


def item_json(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "name": item.display_name, "source": item.source}
    for key in ("brand", "model", "serial", "upc", "retailer_id", "code", "color", "location", "notes"):
        value = getattr(item, key)
        if value:
            out[key] = value
    for key in ("manufactured", "purchased"):
        value = getattr(item, key)
        if value:
            out[key] = str(value)
    for key in ("first_seen", "last_seen"):
        value = getattr(item, key)
        if value:
            out[key] = value.isoformat()
    if item.usb:
        out["usb"] = {
            "vendor_id": item.usb.vendor_id,
            "product_id": item.usb.product_id,
            "manufacturer": item.usb.manufacturer,
            "product": item.usb.product,
            "serial": item.usb.serial,
            "vendor_name": item.usb.vendor_name,
            "product_name": item.usb.product_name,
            "port_path": item.usb.port_path,
        }
    if item.mdns:
        out["mdns"] = {
            "instance": item.mdns.instance,
            "hostname": item.mdns.hostname,
            "services": list(item.mdns.services),
            "manufacturer": item.mdns.manufacturer,
            "model": item.mdns.model,
            "txt": [list(pair) for pair in item.mdns.txt],
            "addresses": list(item.mdns.addresses),
        }
    return out


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
        },
        "product": finding.product.name,
        "confidence": finding.confidence.label,
        "evidence": list(finding.evidence),
        "to_check": list(finding.to_check),
        "handled": None
        if handled is None
        else {
            "status": handled.status.value,
            "date": handled.date.isoformat() if handled.date else None,
            "until": handled.until.isoformat() if handled.until else None,
            "reason": handled.reason,
        },
        "notify": finding.serious,
    }


def render(result: ScanResult) -> str:
    document = {
        "format": FORMAT,
        "inventory": str(result.inventory),
        "items": len(result.items),
        "rules": len(result.rules.rules),
        "rule_problems": list(result.rules.problems),
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
        "findings": [finding_json(f) for f in result.findings],
        "exit_code": result.exit_code,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
