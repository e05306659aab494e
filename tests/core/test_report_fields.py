"""The text report writes a field it has written before (the same label and text) from the lines it worked
out then: every finding still reads as it does on a page of its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from agent.matching.matcher import RuleIndex
from agent.model import Item
from agent.paths import shipped_rules_dir
from agent.report.text import finding_lines, render
from agent.rules.load import load_rules
from agent.scan import ScanResult


def _result(tmp_path: Path, count: int) -> ScanResult:
    rules = load_rules([(shipped_rules_dir(), "shipped")])
    items = tuple(
        Item(id=f"bank-{n}", name="Anker 321 Power Bank", brand="Anker", model="A1112" if n % 2 else "")
        for n in range(count)
    )
    findings = tuple(RuleIndex(rules.rules).match(items, dt.date(2026, 6, 1)))
    return ScanResult(findings, items, (), rules, (), str(tmp_path / "inventory.toml"))


def test_repeated_fields_read_as_each_finding_alone(tmp_path: Path) -> None:
    result = _result(tmp_path, 6)
    assert len(result.findings) == 6  # one notice, met six times: most of its fields repeat
    for width in (80, 50):
        lines = render(result, width).splitlines()
        alone = [line for f in result.findings for line in [*finding_lines(f, width), ""]]
        assert lines[: len(alone)] == alone
        assert len(set(alone)) < len(alone) / 2
