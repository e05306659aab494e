"""Items typed the way people type them, from real CPSC notices: the share notified is held at its floor.

The cases are in tests/matching/data/typed-entries.csv, written from the notices' text; the rules are the
shipped ones plus every real record converted by the CPSC converter. `python benchmarks/typed_entries.py -v`
prints the figures and lists every miss and false alarm.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from agent.matching.matcher import RuleIndex
from agent.rules.load import load_rules
from matching.realdata import feed_rules, records, score, typed_cases

# Of the cases from a recall. Measured 177 of 219 when the first 73 cases from the held-out records
# (tests/feeds/labelled/cpsc-holdout/) were added; 196 of 219 once most of a long name, a line beside the
# brand and the kind a name ends with matched; 227 of 266 with the 59 cases of the second held-out batch,
# which lowered the share; 232 of 266 with brands that begin with the notice's and vehicles as kinds; 233
# with short letter codes, lines and bare numbers read as below; 240 with years, kinds of a broader kind and
# vehicles (ROV, PTV, golf car); 243 with models of digits written with dots and brands the notice's begins
# with; 245 with "portable blender" read as a blender bottle (and the others' extraction work); 246 with
# Textron as the parent of Arctic Cat and E-Z-GO; 247 with counts ("30 pack") read as no version.
NOTIFIED_FLOOR = 251
# Measured 0. The held-out decoys once taken as likely are quiet: "Dupray Hill Injection steam cleaner"
# (the notice names Dupray's Neat line), "PIEPS DSP Pro" (a short code the PIEPS Pro IPS notice never
# uses), "Husqvarna FC 450" and a Husqvarna "450" chainsaw (a bare number is no model of its own, and a
# chainsaw is no motorcycle).
FALSE_ALARMS_CEILING = 0


def test_the_set_is_large_and_every_case_names_a_real_record() -> None:
    cases = typed_cases()
    assert len(cases) >= 150
    known = {r["RecallNumber"] for r in records("cpsc-website-export-2023-12_2026-03.as-api.json.gz")}
    assert {c.recall for c in cases} <= known
    assert {c.expect for c in cases} == {"notify", "quiet"}


@pytest.mark.slow
def test_typed_entries_are_notified_without_false_alarms() -> None:
    rules = (*load_rules([(Path(__file__).resolve().parents[2] / "rules", "shipped")]).rules, *feed_rules())
    result = score(RuleIndex(rules), typed_cases(), dt.date(2026, 11, 25))
    assert result.notified >= NOTIFIED_FLOOR, result.missed
    assert len(result.false_alarms) <= FALSE_ALARMS_CEILING, result.false_alarms
