"""The inventory as a CycloneDX 1.6 BOM: every item a `device` component, every finding a vulnerability.

Device properties follow the CycloneDX property taxonomy (``cdx:device:*``); what it has no name for
(brand, model, how sure a finding is) goes under ``recall-agent:*``. Needs the ``cyclonedx`` extra.
"""

from __future__ import annotations

from collections.abc import Sequence

from cyclonedx.model import Property, XsUri
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.impact_analysis import ImpactAnalysisState
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityAdvisory,
    VulnerabilityAnalysis,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6

from agent.confidence import Confidence
from agent.matching.finding import Finding
from agent.model import HandledStatus, Item

_GTIN = {8: "gtin-8", 12: "gtin-12", 13: "gtin-13", 14: "gtin-14"}
_HANDLED = {
    HandledStatus.CHECKED: ImpactAnalysisState.NOT_AFFECTED,
    HandledStatus.RETURNED: ImpactAnalysisState.RESOLVED,
    HandledStatus.DISPOSED: ImpactAnalysisState.RESOLVED,
    HandledStatus.REPAIRED: ImpactAnalysisState.RESOLVED,
    HandledStatus.IGNORED: ImpactAnalysisState.IN_TRIAGE,
}


def _properties(item: Item, private: bool) -> list[Property]:
    props = [Property(name="cdx:device:sku", value=item.id), Property(name="recall-agent:source", value=item.source)]
    for key in ("brand", "model", "retailer_id", "color"):
        value = getattr(item, key)
        if value:
            props.append(Property(name=f"recall-agent:{key.replace('_', '-')}", value=value))
    digits = "".join(c for c in item.upc if c.isdigit())
    if len(digits) in _GTIN:
        props.append(Property(name=f"cdx:device:gs1:{_GTIN[len(digits)]}", value=digits))
    if item.code:
        props.append(Property(name="cdx:device:lotNumber", value=item.code))
    if item.manufactured:
        props.append(Property(name="cdx:device:prodTimestamp", value=str(item.manufactured)))
    if item.usb:
        props.append(Property(name="recall-agent:usb-id", value=f"{item.usb.vendor_id}:{item.usb.product_id}"))
    if private:
        serial = item.serial or (item.usb.serial if item.usb else "")
        for name, value in (("cdx:device:serialNumber", serial), ("recall-agent:location", item.location)):
            if value:
                props.append(Property(name=name, value=value))
        if item.notes:
            props.append(Property(name="recall-agent:notes", value=item.notes))
    return props


def component(item: Item, private: bool) -> Component:
    maker = item.brand or (item.usb.manufacturer or item.usb.vendor_name if item.usb else "")
    return Component(
        type=ComponentType.DEVICE,
        name=item.display_name,
        bom_ref=f"item:{item.id}",
        manufacturer=OrganizationalEntity(name=maker) if maker else None,
        description=" ".join(p for p in (item.brand, item.model) if p) or None,
        properties=_properties(item, private),
    )


def vulnerability(finding: Finding, ref: str) -> Vulnerability:
    rule = finding.rule
    if finding.handled:
        state = _HANDLED[finding.handled.status]
    elif finding.confidence is Confidence.CONFIRMED:
        state = ImpactAnalysisState.EXPLOITABLE
    else:
        state = ImpactAnalysisState.IN_TRIAGE
    why = "; ".join([*finding.evidence, *(f"to check: {t}" for t in finding.to_check)])
    return Vulnerability(
        bom_ref=f"finding:{finding.item.id}:{rule.id}",
        id=rule.reference or rule.id,
        source=VulnerabilitySource(name=rule.issuer, url=XsUri(rule.url)),
        description=rule.title,
        detail=rule.hazard,
        recommendation=rule.remedy,
        advisories=[VulnerabilityAdvisory(url=XsUri(rule.url), title=rule.title)],
        affects=[BomTarget(ref=ref)],
        analysis=VulnerabilityAnalysis(state=state, detail=f"{finding.confidence.label}: {why}"),
        properties=[
            Property(name="recall-agent:rule", value=rule.id),
            Property(name="recall-agent:confidence", value=finding.confidence.label),
            Property(name="recall-agent:kind", value=rule.kind),
        ],
    )


def render(items: Sequence[Item], findings: Sequence[Finding], *, private: bool = False) -> str:
    bom = Bom()
    refs = {}
    for item in items:
        part = component(item, private)
        bom.components.add(part)
        refs[item.id] = str(part.bom_ref)
    for finding in findings:
        bom.vulnerabilities.add(vulnerability(finding, refs[finding.item.id]))
    return str(JsonV1Dot6(bom).output_as_string(indent=2))
