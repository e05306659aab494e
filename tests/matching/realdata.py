"""Real CPSC records (public-domain US government works) copied into tests/, and the rules converted from them."""

from __future__ import annotations

import csv
import functools
import gzip
import json
from pathlib import Path
from typing import Any

from agent.feeds import cpsc
from agent.fields import Problems
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
