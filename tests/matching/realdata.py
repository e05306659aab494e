"""Real CPSC records (public-domain US government works) copied into tests/, and the rules converted from them."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.confidence import Confidence
from agent.feeds import cpsc
from agent.fields import Problems
from agent.matching.matcher import RuleIndex
from agent.matching.recalls import recall_keys
from agent.model import Item
from agent.rules.parse import rule_from_table
from agent.rules.schema import Rule

DATA = Path(__file__).resolve().parent / "data"
RECORD_FILES = (
    "cpsc-website-export-2023-12_2026-03.as-api.json.gz",
    "cpsc-api-sample-2017.xml.as-api.json.gz",
    "cpsc-api-sample-2017.json.gz",  # not valid UTF-8 as saved: bytes of closing quotes became "?"
    "cpsc-api-2018-3-records.json.gz",
    "cpsc-api-2026-2-records.json.gz",
)


def records(name: str) -> list[dict[str, Any]]:
    raw = gzip.decompress((DATA / "cpsc" / name).read_bytes())
    data: list[dict[str, Any]] = json.loads(raw.decode("utf-8", errors="replace"))
    return data


@functools.lru_cache(maxsize=1)
def feed_rules() -> tuple[Rule, ...]:
    """Every real record through today's converter and the rule loader, as `rules import cpsc` stores them."""
    out: list[Rule] = []
    for name in RECORD_FILES:
        tables, _skipped = cpsc.rules_from_records(cpsc.check_response(records(name), name))
        for table in tables:
            problems = Problems(name)
            parsed = rule_from_table(table, name, problems, "feed")
            if parsed is not None:
                out.append(parsed)
    return tuple(out)


def household() -> list[Item]:
    with (DATA / "household-300.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [Item(id=f"h{n}", name=r["name"], brand=r["brand"], model=r["model"]) for n, r in enumerate(rows)]


@dataclass(frozen=True, slots=True)
class Case:
    recall: str  # the CPSC recall number the person's item is from
    item: Item
    expect: str  # "notify": the item is from that recall; "quiet": it is not
    also: tuple[str, ...] = ()  # other recall numbers that cover the same item (a reannouncement, say)


@dataclass
class Score:
    cases: int = 0
    positives: int = 0
    notified: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)  # a notification for a recall the item is not from


def typed_cases() -> list[Case]:
    with (DATA / "typed-entries.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Case(
            r["recall"],
            Item(id=f"t{n}", name=r["name"], brand=r["brand"], model=r["model"], upc=r["upc"]),
            r["expect"],
            tuple(r["also"].split()),
        )
        for n, r in enumerate(rows)
    ]


def score(index: RuleIndex, cases: list[Case], today: dt.date) -> Score:
    result = Score()
    for case in cases:
        result.cases += 1
        serious = [f for f in index.item_findings(case.item) if f.confidence >= Confidence.LIKELY]
        keys = {f"cpsc:{n}" for n in case.also}
        right = [f for f in serious if case.expect == "notify" and f"cpsc:{case.recall}" in recall_keys(f.rule)]
        said = _said(case)
        result.false_alarms += [
            f"{said} -> {f.rule.id}" for f in serious if f not in right and not recall_keys(f.rule) & keys
        ]
        if case.expect == "notify":
            result.positives += 1
            if right:
                result.notified += 1
            else:
                result.missed.append(said)
    return result


def _said(case: Case) -> str:
    item = case.item
    fields = ", ".join(f"{k}={v!r}" for k, v in (("brand", item.brand), ("model", item.model), ("upc", item.upc)) if v)
    return f"{case.recall}: {item.name!r} {fields}".strip()
