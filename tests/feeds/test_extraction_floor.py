"""The extraction figures over the hand-labelled real notices may not fall below the floors reached."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from feeds.feedkit import LABELLED

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# (set, field): (precision, recall), a little below the figures measured when they were set.
FLOORS = {
    ("older set (2007-2025)", "models"): (0.98, 0.97),
    ("older set (2007-2025)", "brands"): (0.92, 0.87),
    ("cpsc-2023-2026", "models"): (0.90, 0.75),
    ("cpsc-2023-2026", "brands"): (0.89, 0.94),
    ("cpsc-2023-2026", "criteria"): (0.97, 0.55),
}
NEW_SET = LABELLED / "cpsc-2023-2026"


def benchmark() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "extraction.py"
    spec = importlib.util.spec_from_file_location("extraction_benchmark", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, str], tuple[float, float]]:
    return {(s.name, f): (v.precision, v.recall) for s in benchmark().score() for f, v in s.fields.items()}


@pytest.mark.parametrize(("key", "floor"), sorted(FLOORS.items()))
def test_extraction_stays_above_its_floor(
    scores: dict[tuple[str, str], tuple[float, float]], key: tuple[str, str], floor: tuple[float, float]
) -> None:
    precision, recall = scores[key]
    assert precision >= floor[0] and recall >= floor[1], f"{key}: precision {precision:.3f}, recall {recall:.3f}"


def test_every_label_names_a_copied_record_and_every_older_notice_is_labelled() -> None:
    labels = tomllib.loads((NEW_SET / "labels.toml").read_text(encoding="utf-8"))
    numbers = {str(r["RecallNumber"]) for r in json.loads((NEW_SET / "records.json").read_text(encoding="utf-8"))}
    assert {name.removeprefix("r") for name in labels} <= numbers and len(labels) >= 150
    older = tomllib.loads((LABELLED / "labels.toml").read_text(encoding="utf-8"))
    assert all({"models", "brands", "firms"} <= label.keys() for label in [*labels.values(), *older.values()])
    assert set(older) == {p.stem for p in LABELLED.glob("*.json")}


def test_the_benchmark_prints_every_field_of_both_sets(capsys: pytest.CaptureFixture[str]) -> None:
    assert benchmark().main(["--details"]) == 0
    out = capsys.readouterr().out
    assert "older set" in out and "cpsc-2023-2026" in out
    assert all(f"  {field}" in out for field in ("models", "brands", "criteria"))
