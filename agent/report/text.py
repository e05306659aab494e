"""The human report: recalled items first, with the hazard, what to do, where to read the notice and the
command that records it, wrapped to the width of the terminal."""

from __future__ import annotations

import os
from collections import Counter

from agent.confidence import Confidence
from agent.matching.finding import Finding
from agent.model import Handling, Observation
from agent.report.freshness import Freshness, describe_age
from agent.report.next_steps import steps
from agent.report.term import DEFAULT_WIDTH, Colour, width_of, wrap
from agent.scan import ScanResult
from agent.textsafe import paragraph, terminal

NARROW = 60  # below this, labels go above their text instead of beside it
LIST_ADDED = 5  # more devices added than this are summarised by source


class _Page:
    def __init__(self, width: int, colour: Colour, verbose: bool = False) -> None:
        self.width = width
        self.colour = colour
        self.verbose = verbose
        self.lines: list[str] = []
        self._fields: dict[tuple[str, str], list[str]] = {}  # the lines of each field written so far

    def field(self, label: str, text: str) -> None:
        """A labelled paragraph; the same label and text again (notices of one firm share their remedy,
        two items can meet one notice) takes the lines already worked out."""
        done = self._fields.get((label, text))
        if done is None:
            if self.width >= NARROW:
                done = wrap(paragraph(text), self.width, f"    {label:<12}", " " * 16)
            else:
                done = wrap(paragraph(text), self.width, f"  {label}: " if label else "    ", "    ")
            self._fields[(label, text)] = done
        self.lines += done

    def command(self, command: str) -> None:
        """A command on its own line; where it must break, a trailing backslash keeps it one shell command."""
        indent = "  "
        if width_of(indent + command) <= self.width:
            self.lines.append(indent + command)
            return
        lines = wrap(command, self.width - 2, indent, indent + "  ")
        self.lines += [f"{line} \\" for line in lines[:-1]] + lines[-1:]

    def text(self, text: str, first: str = "", rest: str = "") -> None:
        self.lines += wrap(text, self.width, first, rest)


def heading(finding: Finding) -> tuple[str, str]:
    """The heading word and its colour."""
    if finding.handled:
        return "HANDLED", "handled"
    if finding.confidence is Confidence.POSSIBLE:
        return "POSSIBLE", "possible"
    if finding.confidence is Confidence.CONFIRMED:
        return ("SAFETY WARNING" if finding.rule.kind == "warning" else "RECALLED"), "confirmed"
    return "CHECK THE LABEL", "likely"


def _finding(page: _Page, finding: Finding) -> None:
    item, rule = finding.item, finding.rule
    word, kind = heading(finding)
    first = len(page.lines)
    title = f"{word}: {terminal(item.display_name)}  [item {terminal(item.id)}]"
    if width_of(title) <= page.width:
        page.lines.append(title)
    else:
        page.text(title, rest="    ")
    page.lines[first] = page.colour(word, kind) + page.lines[first][len(word) :]
    reference = f" {rule.reference}" if rule.reference else ""
    page.field("Notice", f"{rule.title} ({rule.kind}, {rule.issuer}{reference}, {rule.published})")
    page.field("Rule", rule.id)
    page.field("Why", f"{finding.confidence.label}: " + "; ".join(finding.evidence))
    if finding.confidence is Confidence.POSSIBLE:
        page.field("Check", rule.check)
    else:
        if finding.to_check:
            page.field("Look at", "; ".join(finding.to_check))
            page.field("How", rule.check)
        page.field("Hazard", rule.hazard)
        page.field("What to do", rule.remedy)
    page.field("Read", rule.url)
    if finding.handled:
        page.field("Handled", _handled_text(finding.handled))
    for n, step in enumerate(steps(finding)):
        page.field("" if n else "Next", step.text)
        for command in step.commands:
            page.command(terminal(command))


def _handled_text(handled: Handling) -> str:
    text = handled.status.value
    if handled.date:
        text += f" on {handled.date}"
    if handled.until:
        text += f", until {handled.until}"
    if handled.reason:
        text += f": {handled.reason}"
    return text


def finding_lines(finding: Finding, width: int = DEFAULT_WIDTH, colour: Colour | None = None) -> list[str]:
    page = _Page(width, colour or Colour(False))
    _finding(page, finding)
    return page.lines


def plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def render(
    result: ScanResult,
    width: int = DEFAULT_WIDTH,
    colour: Colour | None = None,
    *,
    only: Confidence | None = None,
    fresh: Freshness | None = None,
    verbose: bool = False,
) -> str:
    """The report; with ``only`` (quiet), just the findings that are not handled and at least that sure;
    ``verbose`` lists every device a source saw and every rule source."""
    page = _Page(width, colour or Colour(False), verbose)
    for finding in result.findings:
        if only is not None and (finding.handled or finding.confidence < only):
            continue
        _finding(page, finding)
        page.lines.append("")
    if only is None:
        _summary(page, result)
        if fresh is not None:
            line = describe_age(fresh)
            page.text(page.colour(line, "warning") if fresh.stale else line, rest="  ")
            if verbose:
                for source in fresh.sources:
                    page.text(f"rules from {source.name}: {source.rules}", first="  ", rest="      ")
    elif page.lines:
        page.lines.pop()
    return "\n".join(page.lines)


def _summary(page: _Page, result: ScanResult) -> None:
    c = page.colour
    open_ = [f for f in result.findings if not f.handled]
    confirmed = sum(f.confidence is Confidence.CONFIRMED for f in open_)
    likely = sum(f.confidence is Confidence.LIKELY for f in open_)
    possible = sum(f.confidence is Confidence.POSSIBLE for f in open_)
    handled = len(result.findings) - len(open_)
    exists = os.path.exists(result.inventory)
    if not exists and not result.items:
        page.text(
            f"No inventory at {terminal(str(result.inventory), 2000)}: no items were checked. Add one with "
            "`recall-agent inventory add NAME --brand ... --model ...`, or name the file with --inventory.",
            rest="  ",
        )
    elif not result.findings:
        page.text("No recalled items found.")
    counts = [
        c(f"{confirmed} recalled", "confirmed") if confirmed else "0 recalled",
        c(f"{likely} to check on the label", "likely") if likely else "0 to check on the label",
        c(f"{possible} possible", "possible") if possible else "0 possible",
        f"{handled} handled",
    ]
    tail = f"{plural(len(result.items), 'item')} against {plural(len(result.rules.rules), 'rule')}."
    page.text(", ".join(counts) + "; " + tail, rest="  ")
    page.text(f"Inventory: {terminal(str(result.inventory), 2000)}", rest="  ")
    skipped = sorted({terminal(p.item, 200) or "?" for p in result.skipped})
    if skipped:
        page.text(
            f"Not checked, broken in the file: {', '.join(skipped)} (the problems are on stderr; "
            "fix them and scan again)",
            rest="  ",
        )
    for source in result.sources:
        if source.skipped:
            page.text(f"Source {source.source}: skipped: {terminal(source.skipped)}", rest="  ")
        else:
            page.text(f"Source {source.source}: {plural(len(source.observations), 'device')}", rest="  ")
        for warning in source.warnings:
            page.text(f"Source {source.source}: {terminal(warning)}", rest="  ")
        if page.verbose:
            for observation in source.observations:
                page.text(_seen(observation), first="  ", rest="      ")
    _added(page, result)
    if result.replaced:
        count = plural(len(result.replaced), "shipped rule")
        page.text(f"{count} replaced by a local rule of the same id (see `recall-agent rules check`)", rest="  ")
    if result.rules.problems:
        page.text(f"{plural(len(result.rules.problems), 'rule problem')} (see `recall-agent rules check`)", rest="  ")


def _seen(observation: Observation) -> str:
    """One discovered device as -v lists it: where, what it says it is, and its identity."""
    if observation.usb:
        usb = observation.usb
        what = " ".join(p for p in (usb.manufacturer or usb.vendor_name, usb.product or usb.product_name) if p)
        label = f"{what or 'USB device'} ({usb.vendor_id}:{usb.product_id})"
    elif observation.mdns:
        label = observation.mdns.instance or observation.mdns.hostname or "network device"
    else:
        label = observation.source
    return f"{terminal(observation.locator or '-')}: {terminal(label)} [{terminal(observation.identity)}]"


def _added(page: _Page, result: ScanResult) -> None:
    if not result.added:
        return
    if len(result.added) <= LIST_ADDED:
        page.text(f"New in the inventory: {', '.join(result.added)}", rest="  ")
        return
    sources = {i.id: i.source for i in result.items}
    counts = Counter(sources.get(item_id, "") for item_id in result.added)
    for source, count in sorted(counts.items()):
        label = {"usb": "USB", "mdns": "network"}.get(source, source)
        page.text(
            f"New in the inventory: {plural(count, label + ' device')}; "
            f"see `recall-agent inventory list --source {source}`",
            rest="  ",
        )
    page.text("Keep a device out for good: `recall-agent inventory ignore ID`", rest="  ")
