"""Precision and recall of CPSC extraction over the hand-labelled notices in tests/feeds/labelled/.

    python benchmarks/extraction.py [--folder PATH] [--details]

The labelled sets: the older one (one JSON file per notice, labels.toml beside them; models, brands and
firms, criteria not labelled) and every sub-folder holding records.json (real cpsc.gov records) and
labels.toml (models, printed brands, firms and serial/date criteria): cpsc-2023-2026/, the set the
extraction is tuned against; cpsc-2023-2026-b/, records labelled and scored blind before they were tuned
against; and cpsc-holdout/, records chosen by a stated rule and labelled before any extractor output for
them was seen, which nobody tunes against; each set prints as its own block, so the figures can be
compared. A labels.toml with `held_out = true` marks a held-out set: --details
lists its misses only with --held-out-details, so that no extraction change is drawn from them. Each
record is converted the way `rules import cpsc` converts it and the converted rule's products are compared
with the labels, field by field:

- models: codes compared the way rules compare them (case and punctuation ignored, "*" kept for prefixes);
- brands: recall is the share of labelled printed brands among the rule's brands (brand keys as rules
  compare them); precision is the share of the rule's brands that are a labelled brand or firm;
- criteria: serial forms, production windows, codes and UPCs, one item per value.

Per field, "exact" counts the notices with nothing missed and nothing wrong, so that one long table does
not decide the figure of a set.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.feeds.cpsc import products_from_record  # noqa: E402 - after the path set-up above
from agent.normalize import brand, digits, model_code, words  # noqa: E402

FOLDER = ROOT / "tests" / "feeds" / "labelled"
FIELDS = ("models", "brands", "criteria")
_CRITERIA_KEYS = ("serial", "manufactured", "codes", "code_ranges", "upcs")


@dataclass
class FieldScore:
    labelled: int = 0
    extracted: int = 0
    found: int = 0  # labelled items the rule holds (recall)
    right: int = 0  # extracted items that are labelled (precision)
    scored: int = 0  # notices scored for this field
    misses: dict[str, list[str]] = field(default_factory=dict)
    wrong: dict[str, list[str]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.right / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def exact(self) -> int:
        """Notices with nothing missed and nothing wrong: a big table cannot hide how many notices are right."""
        return self.scored - len(self.misses.keys() | self.wrong.keys())

    def add(self, name: str, wanted: Mapping[str, str], got: Mapping[str, str], accepted: Iterable[str] = ()) -> None:
        ok = set(wanted) | set(accepted)
        self.scored += 1
        self.labelled += len(wanted)
        self.extracted += len(got)
        self.found += len(wanted.keys() & got.keys())
        self.right += len(ok & got.keys())
        missed = [wanted[k] for k in wanted if k not in got]
        extra = [got[k] for k in got if k not in ok]
        if missed:
            self.misses[name] = missed
        if extra:
            self.wrong[name] = extra


@dataclass
class SetScore:
    name: str
    held_out: bool = False  # labels.toml says `held_out = true`: its misses are listed only on request
    notices: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})


Notices = list[tuple[str, dict[str, Any], list[Any]]]


def labels_of(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The notice tables of a labels.toml, without its top-level settings (`held_out`)."""
    return {name: label for name, label in data.items() if isinstance(label, dict)}


def labelled_sets(folder: Path = FOLDER) -> Iterator[tuple[str, Notices, bool]]:
    """(set name, [(notice name, label, records)], held out) for the older set and each sub-folder set."""
    older = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    yield (
        "older set (2007-2025)",
        [(n, lab, json.loads((folder / f"{n}.json").read_text(encoding="utf-8"))) for n, lab in sorted(older.items())],
        False,
    )
    for sub in sorted(p for p in folder.iterdir() if (p / "labels.toml").is_file()):
        data = tomllib.loads((sub / "labels.toml").read_text(encoding="utf-8"))
        records = {str(r["RecallNumber"]): r for r in json.loads((sub / "records.json").read_text(encoding="utf-8"))}
        notices = [(n, lab, [records[n.removeprefix("r")]]) for n, lab in labels_of(data).items()]
        yield sub.name, notices, data.get("held_out") is True


def model_keys(models: Iterable[str]) -> dict[str, str]:
    return {model_code(m) + ("*" if m.endswith("*") else ""): m for m in models}


def brand_keys(brands: Iterable[str]) -> dict[str, str]:
    return {brand(b): b for b in brands if brand(b)}


def firm_like(name: str, names: Iterable[str]) -> bool:
    """True if ``name`` is a run of words inside a labelled name ("Topstar" of "Shenzhen Topstar Industry")
    or a labelled firm's name with more of its legal name ("Johnson Health Tech North America")."""
    mine = words(name)
    for other in map(words, names):
        if mine and (mine == other[: len(mine)] or other == mine[: len(other)]):
            return True
        if any(other[i : i + len(mine)] == mine for i in range(len(other))):
            return True
    return False


def criteria_items(product: Mapping[str, Any]) -> dict[str, str]:
    """One key per criterion value: "serial.ranges:AB01..AB99", "manufactured:2023-03..2023-04", ..."""
    out: dict[str, str] = {}
    for kind, values in (product.get("serial") or {}).items():
        for value in values:
            text = "..".join(map(str, value)) if isinstance(value, list) else str(value)
            key = "..".join(model_code(str(v)) for v in value) if isinstance(value, list) else model_code(str(value))
            out[f"serial.{kind}:{key}"] = f"serial {kind} {text}"
    window = product.get("manufactured")
    if window:
        span = f"{window.get('from', '')}..{window.get('to', '')}"
        out[f"manufactured:{span}"] = f"made {span}"
    for code in product.get("codes") or ():
        out[f"codes:{model_code(code)}"] = f"code {code}"
    for lo, hi in product.get("code_ranges") or ():
        out[f"code_ranges:{model_code(lo)}..{model_code(hi)}"] = f"codes {lo}..{hi}"
    for upc in product.get("upcs") or ():
        out[f"upcs:{digits(upc)}"] = f"UPC {upc}"
    return out


def _union(products: list[dict[str, Any]], key: str) -> list[str]:
    return [v for p in products for v in p.get(key) or ()]


def score_set(name: str, notices: Notices, criteria_labelled: bool, held_out: bool = False) -> SetScore:
    """Score one set; without ``criteria_labelled`` only notices whose label lists criteria are scored for them."""
    result = SetScore(name, held_out)
    for notice, label, records in notices:
        products = [p for r in records for p in products_from_record(r)]
        result.notices += 1
        fields = result.fields
        if "models" in label:
            fields["models"].add(notice, model_keys(label["models"]), model_keys(_union(products, "models")))
        if "brands" in label:
            named = [*label["brands"], *label.get("firms", ())]
            got_brands = brand_keys(_union(products, "brands"))
            accepted = [*brand_keys(named), *(k for k, b in got_brands.items() if firm_like(b, named))]
            fields["brands"].add(notice, brand_keys(label["brands"]), got_brands, accepted)
        if criteria_labelled or any(k in label for k in _CRITERIA_KEYS):
            got: dict[str, str] = {}
            for product in products:
                got.update(criteria_items(product))
            fields["criteria"].add(notice, criteria_items(label), got)
    return result


def score(folder: Path = FOLDER) -> list[SetScore]:
    return [
        score_set(name, notices, not name.startswith("older"), held_out)
        for name, notices, held_out in labelled_sets(folder)
    ]


def report(results: list[SetScore], details: bool = True, held_out_details: bool = False) -> str:
    lines: list[str] = []
    for result in results:
        lines.append(f"{result.name}: {result.notices} notices" + (" (held out)" if result.held_out else ""))
        for name, s in result.fields.items():
            if not s.labelled and not s.extracted:
                continue
            lines.append(
                f"  {name:<9} precision {s.precision:.3f} ({s.right}/{s.extracted})"
                f"  recall {s.recall:.3f} ({s.found}/{s.labelled})  exact {s.exact}/{s.scored} notices"
            )
        if details and result.held_out and not held_out_details:
            lines.append("    (a held-out set's misses are listed only with --held-out-details)")
        elif details or (held_out_details and result.held_out):
            for name, s in result.fields.items():
                for title, table in (("missed", s.misses), ("wrong", s.wrong)):
                    lines.extend(f"    {name} {title} {n}: {', '.join(v)}" for n, v in table.items())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("--details", action="store_true", help="list every miss and every wrong item")
    parser.add_argument(
        "--held-out-details",
        action="store_true",
        help="list them for the held-out sets too (for measuring, not tuning)",
    )
    args = parser.parse_args(argv)
    print(report(score(args.folder), details=args.details, held_out_details=args.held_out_details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
