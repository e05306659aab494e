"""`recall-agent inventory import FILE` and `inventory export --format csv|json|cyclonedx`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from agent.cli import common
from agent.cli.output import add_output_option, target
from agent.errors import UsageError
from agent.textsafe import terminal

IMPORT_FORMATS = ("auto", "homebox", "snipeit", "partdb", "csv")


def register(actions: Any, shared: argparse.ArgumentParser) -> None:
    imported = actions.add_parser(
        "import",
        parents=[shared],
        help="add items from a CSV export of Homebox, Snipe-IT, Part-DB or a plain CSV",
        description="Import the rows of a CSV file as items. Each item remembers its row, so importing the "
        "file again updates those items instead of adding them twice.",
    )
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("--from", dest="kind", choices=IMPORT_FORMATS, default="auto", help="the app it came from")
    imported.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="for a plain CSV: which column holds a field, e.g. --map model='Model #' (repeatable)",
    )
    imported.add_argument("--dry-run", action="store_true", help="show what would change and write nothing")
    imported.set_defaults(handler=import_items)
    exported = actions.add_parser("export", parents=[shared], help="write the inventory as CSV, JSON or CycloneDX")
    exported.add_argument("--format", choices=("csv", "json", "cyclonedx"), default="csv")
    exported.add_argument(
        "--private", action="store_true", help="include serial numbers, notes and locations (left out by default)"
    )
    add_output_option(exported)
    exported.set_defaults(handler=export_items)


def _mapping(pairs: list[str]) -> dict[str, str]:
    from agent.inventory.importing import FIELDS

    out = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or name.strip() not in FIELDS or not column.strip():
            raise UsageError(f"--map {pair!r}: expected FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}")
        out[name.strip()] = column.strip()
    return out


def import_items(args: argparse.Namespace) -> int:
    from agent.inventory import importing, store

    path = common.paths(args).inventory
    kind, rows, problems = importing.read_rows(args.file, args.kind, _mapping(args.map), store.today())
    planned = importing.plan(store.load(path).items, rows)
    for problem in problems:
        print(f"recall-agent: error: {problem}", file=sys.stderr)
    ids = [] if args.dry_run else importing.apply(path, planned)
    for n, (ref, values) in enumerate(planned.added):
        shown = ids[n] if ids else "(new)"
        print(f"+ {shown}  {terminal(values.get('name', ''))}  [{terminal(ref)}]")
    for item_id, changes in planned.changed:
        for name, (old, new) in changes.items():
            print(f"~ {item_id}  {name}: {terminal(old)!r} -> {terminal(new)!r}")
    verb = "would be " if args.dry_run else ""
    print(
        f"{kind}: {len(planned.added)} {verb}added, {len(planned.changed)} {verb}changed, "
        f"{planned.unchanged} unchanged, {len(problems)} rows skipped"
        + ("; dry run: nothing written" if args.dry_run else f"; inventory {path}")
    )
    return 2 if problems else 0


def export_items(args: argparse.Namespace) -> int:
    from agent.inventory import store
    from agent.report import export

    layout = common.paths(args)
    items = store.load(layout.inventory).items
    if args.format == "csv":
        text = export.to_csv(items, private=args.private)
    elif args.format == "json":
        text = export.to_json(items, private=args.private)
    else:
        from agent.matching.matcher import RuleIndex

        findings = RuleIndex(common.rules(args).rules).match(items, store.today())
        text = export.to_cyclonedx(items, findings, private=args.private)
    target(args).write(text.rstrip("\n"))
    return 0
