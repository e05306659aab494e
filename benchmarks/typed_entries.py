"""How many typed-in items from real recalls are notified, and how many false alarms, against every real record.

    python benchmarks/typed_entries.py [-v] [--records PATH]

The cases (tests/matching/data/typed-entries.csv) are items as people type them, written from the text of
real CPSC notices; the rules are the shipped rules plus every real record in tests/matching/data/cpsc/
converted by today's CPSC converter, as `rules import cpsc` would store them. With --records, only the
cases from the recalls in that records.json are scored (tests/feeds/labelled/cpsc-holdout/records.json: the
cases written from the held-out records).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from matching.realdata import feed_rules, score, typed_cases  # noqa: E402

from agent.matching.matcher import RuleIndex  # noqa: E402 - after the path set-up above
from agent.rules.load import load_rules  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--records", type=Path, help="score only the cases from the recalls in this JSON list")
    args = parser.parse_args()
    start = time.perf_counter()
    rules = (*load_rules([(ROOT / "rules", "shipped")]).rules, *feed_rules())
    index = RuleIndex(rules)
    cases = typed_cases()
    if args.records:
        numbers = {str(r["RecallNumber"]) for r in json.loads(args.records.read_text(encoding="utf-8"))}
        cases = [c for c in cases if c.recall in numbers]
    result = score(index, cases, dt.date.today())
    took = time.perf_counter() - start
    quiet = result.cases - result.positives
    print(f"rules: {len(index.rules)} ({len(index.superseded)} feed rules superseded by shipped ones)")
    print(f"typed cases: {result.cases} ({result.positives} from a recall, {quiet} decoys)")
    print(f"notified: {result.notified}/{result.positives} ({result.notified / max(result.positives, 1):.1%})")
    print(f"missed: {len(result.missed)}")
    print(f"false alarms: {len(result.false_alarms)}")
    print(f"time: {took:.1f} s")
    if args.verbose:
        for line in result.missed:
            print(f"  missed  {line}")
        for line in result.false_alarms:
            print(f"  alarm   {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
