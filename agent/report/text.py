"""The human report: recalled items first, with the hazard, what to do and where to read the notice."""

from __future__ import annotations

import textwrap

from agent.confidence import Confidence
from agent.matching.finding import Finding
from agent.scan import ScanResult
from agent.textsafe import paragraph, terminal

WIDTH = 88


def _wrap(label: str, text: str) -> list[str]:
    # Long words such as addresses stay whole, so a terminal can still open them.
    return textwrap.wrap(
        paragraph(text),
        WIDTH,
        initial_indent=f"    {label:<12}",
        subsequent_indent=" " * 16,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [f"    {label}"]


def _heading(finding: Finding) -> str:
    if finding.handled:
        return "HANDLED"
    if finding.confidence is Confidence.POSSIBLE:
        return "POSSIBLE"
    warning = finding.rule.kind == "warning"
    if finding.confidence is Confidence.CONFIRMED:
        return "SAFETY WARNING" if warning else "RECALLED"
    return "CHECK THE LABEL"


def finding_lines(finding: Finding) -> list[str]:
    item, rule = finding.item, finding.rule
    lines = [f"{_heading(finding)}: {terminal(item.display_name)}  [item {terminal(item.id)}]"]
    lines += _wrap(
        "Notice",
        f"{rule.title} ({rule.kind}, {rule.issuer}{' ' + rule.reference if rule.reference else ''}, {rule.published})",
    )
    lines += _wrap("Why", f"{finding.confidence.label}: " + "; ".join(finding.evidence))
    if finding.confidence is Confidence.POSSIBLE:
        lines += _wrap("Check", rule.check)
        lines += _wrap("Read", rule.url)
        return lines
    if finding.to_check:
        lines += _wrap("Look at", "; ".join(finding.to_check))
        lines += _wrap("How", rule.check)
    lines += _wrap("Hazard", rule.hazard)
    lines += _wrap("What to do", rule.remedy)
    lines += _wrap("Read", rule.url)
    if finding.handled:
        handled = finding.handled
        text = handled.status.value
        if handled.date:
            text += f" on {handled.date}"
        if handled.until:
            text += f", until {handled.until}"
        if handled.reason:
            text += f": {handled.reason}"
        lines += _wrap("Handled", text)
    return lines


def render(result: ScanResult) -> str:
    out: list[str] = []
    for finding in result.findings:
        out += finding_lines(finding)
        out.append("")
    serious = sum(f.serious for f in result.findings)
    confirmed = sum(f.serious and f.confidence is Confidence.CONFIRMED for f in result.findings)
    possible = sum(f.confidence is Confidence.POSSIBLE and not f.handled for f in result.findings)
    handled = sum(f.handled is not None for f in result.findings)
    if not result.findings:
        out.append("No recalled items found.")
    out.append(
        f"{confirmed} recalled, {serious - confirmed} to check on the label, {possible} possible, "
        f"{handled} handled; {len(result.items)} items against {len(result.rules.rules)} rules."
    )
    for source in result.sources:
        if source.skipped:
            out.append(f"Source {source.source}: skipped: {terminal(source.skipped)}")
        else:
            out.append(f"Source {source.source}: {len(source.observations)} devices")
        out += [f"Source {source.source}: {terminal(w)}" for w in source.warnings]
    if result.added:
        out.append(f"New in the inventory: {', '.join(result.added)}")
    if result.rules.problems:
        out.append(f"{len(result.rules.problems)} rule problems (see `recall-agent rules check`)")
    return "\n".join(out)
