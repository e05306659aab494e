"""Precision and recall of model-number extraction over the hand-labelled notices in tests/feeds/labelled/.

    python benchmarks/extraction.py [--folder PATH]

Each notice is a CPSC-shaped JSON record; labels.toml holds the model numbers a careful reader finds in
it, written by hand. Codes are compared the way rules compare them: case and punctuation ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.feeds.cpsc import record_prose  # noqa: E402 - after the path set-up above
from agent.feeds.extract import model_numbers  # noqa: E402
from agent.normalize import model_code  # noqa: E402

FOLDER = ROOT / "tests" / "feeds" / "labelled"


@dataclass
class Score:
    notices: int = 0
    labelled: int = 0
    extracted: int = 0
    correct: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)
    false_positives: dict[str, list[str]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


def score(folder: Path = FOLDER) -> Score:
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    result = Score()
    for name, label in sorted(labels.items()):
        records = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        found = {model_code(m): m for r in records for m in model_numbers(record_prose(r))}
        wanted = {model_code(m): m for m in label["models"]}
        result.notices += 1
        result.labelled += len(wanted)
        result.extracted += len(found)
        result.correct += len(found.keys() & wanted.keys())
        missed = [wanted[k] for k in wanted if k not in found]
        extra = [found[k] for k in found if k not in wanted]
        if missed:
            result.misses[name] = missed
        if extra:
            result.false_positives[name] = extra
    return result


def report(result: Score) -> str:
    lines = [
        f"notices: {result.notices}, labelled model numbers: {result.labelled}, extracted: {result.extracted}",
        f"precision: {result.precision:.3f} ({result.correct}/{result.extracted})",
        f"recall:    {result.recall:.3f} ({result.correct}/{result.labelled})",
    ]
    for title, table in (("misses", result.misses), ("false positives", result.false_positives)):
        lines.append(f"{title}:" + ("" if table else " none"))
        lines.extend(f"  {name}: {', '.join(codes)}" for name, codes in table.items())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=FOLDER)
    args = parser.parse_args(argv)
    print(report(score(args.folder)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
