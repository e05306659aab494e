"""How matching grows with rules and items: rules in the real schema, generated, through the real parser.

Run: python benchmarks/matching.py
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from agent.fields import Problems
from agent.matching.matcher import RuleIndex
from agent.model import Item
from agent.rules.parse import rule_from_table
from agent.rules.schema import Rule

WORDS = ["power", "bank", "charger", "heater", "speaker", "lamp", "kettle", "monitor", "camera", "battery", "dock"]
BRANDS = [f"Brand{n}" for n in range(400)]


def rule_table(n: int, rng: random.Random) -> dict[str, Any]:
    product: dict[str, Any] = {
        "name": f"{rng.choice(WORDS)} {n}",
        "brands": [rng.choice(BRANDS)],
        "models": [f"M{n:05d}{s}" for s in "AB"],
        "names": [f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"],
    }
    kind = n % 5
    if kind == 1:
        product["serial"] = {"prefixes": [f"S{n % 97:02d}"]}
    elif kind == 2:
        product["manufactured"] = {"from": "2022-01", "to": "2023-06"}
    elif kind == 3:
        product["upcs"] = [f"{800000000000 + n}"]
    elif kind == 4:
        product["usb"] = [{"vendor_id": f"{(n * 7) % 0xFFFF:04x}", "product": f"*{rng.choice(WORDS)}*"}]
    return {
        "id": f"gen-{n}",
        "title": f"Generated recall {n}",
        "kind": "recall",
        "published": dt.date(2024, 1, 1),
        "url": f"https://example.org/{n}",
        "hazard": "Overheats.",
        "hazards": ["fire"],
        "remedy": "Stop using it.",
        "check": "Look at the label.",
        "issuer": {"name": "Agency", "type": "agency"},
        "products": [product],
    }


def make_rules(count: int, seed: int = 1) -> list[Rule]:
    rng = random.Random(seed)
    problems = Problems("generated")
    rules = [rule_from_table(rule_table(n, rng), "generated", problems, "extra") for n in range(count)]
    assert not problems.items, problems.items[:3]
    return [r for r in rules if r is not None]


def make_items(count: int, rule_count: int, seed: int = 2) -> list[Item]:
    """A household: a few recalled models among many ordinary things."""
    rng = random.Random(seed)
    items = []
    for n in range(count):
        if n % 10 == 0:
            target = rng.randrange(rule_count)
            items.append(
                Item(
                    id=f"i{n}",
                    name=f"{rng.choice(WORDS)} {target}",
                    brand=f"Brand{rng.randrange(400)}",
                    model=f"M{target:05d}A",
                    serial=f"S{rng.randrange(99):02d}123",
                )
            )
        else:
            items.append(
                Item(
                    id=f"i{n}",
                    name=f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                    brand=rng.choice(BRANDS),
                    model=f"X{rng.randrange(10**6)}",
                )
            )
    return items


def best_of(repeat: int, func: Any) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> list[tuple[str, str, str]]:
    today = dt.date(2026, 11, 25)
    rows = []
    results: dict[tuple[int, int], float] = {}
    for rule_count in (30, 2000, 20000):
        rules = make_rules(rule_count)
        start = time.perf_counter()
        index = RuleIndex(rules)
        build = time.perf_counter() - start
        rows.append((f"index {rule_count} rules", f"{build * 1000:.1f} ms", "built once per rule load"))
        for item_count in (20, 2000):
            household = make_items(item_count, rule_count)
            elapsed = best_of(5, lambda index=index, household=household: index.match(household, today))
            results[(rule_count, item_count)] = elapsed
            rows.append(
                (
                    f"match {item_count} items x {rule_count} rules",
                    f"{elapsed * 1000:.2f} ms",
                    f"{elapsed / item_count * 1e6:.1f} us per item",
                )
            )
    for count in (20, 2000):
        ratio = results[(20000, count)] / results[(30, count)]
        rows.append((f"20,000 vs 30 rules, {count} items", f"{ratio:.2f}x", "target < 2x"))
    for rules_n in (30, 20000):
        per_small = results[(rules_n, 20)] / 20
        per_large = results[(rules_n, 2000)] / 2000
        rows.append((f"per item, 2,000 vs 20 items, {rules_n} rules", f"{per_large / per_small:.2f}x", "target < 2x"))
    return rows


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<44} {value:>12}  {note}")
