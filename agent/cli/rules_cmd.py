"""`recall-agent rules list|show|check`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.cli import common
from agent.errors import UsageError
from agent.textsafe import paragraph, terminal

if TYPE_CHECKING:
    from agent.rules.schema import Rule


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("rules", parents=[shared])
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    listing = actions.add_parser("list", parents=[shared], help="every loaded rule")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=list_rules)
    show = actions.add_parser("show", parents=[shared], help="one rule in full")
    show.add_argument("id")
    show.set_defaults(handler=show_rule)
    check = actions.add_parser("check", parents=[shared], help="validate rule files; exit 1 on problems")
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: every rule folder in use)"
    )
    check.set_defaults(handler=check_rules)
    state = actions.add_parser("status", parents=[shared], help="every rule source, its count and the data's age")
    state.add_argument("--format", choices=("table", "json"), default="table")
    state.add_argument("--stale-after", type=int, default=None, metavar="DAYS", help="days before data is stale")
    state.set_defaults(handler=rules_status)
    update = actions.add_parser("update", parents=[shared], help="fetch new recalls from the public feeds")
    update.add_argument("--feed", choices=FEEDS, action="append", help="only this feed (repeatable)")
    update.set_defaults(handler=update_rules)
    imported = actions.add_parser("import", parents=[shared], help="convert a saved feed file into rules")
    imported.add_argument("feed", choices=FEEDS)
    imported.add_argument("file", type=Path)
    imported.set_defaults(handler=import_rules)


FEEDS = ("cpsc", "healthcanada")  # agent.feeds.registry.FEEDS, named here so the parser imports no feed


def _feed_dir(args: argparse.Namespace, feed: str) -> Path:
    return Path(common.paths(args).cache_dir, "feeds", feed)


def _report(result: Any) -> None:
    when = result.data_as_of.isoformat() if result.data_as_of else "unknown"
    if result.ok:
        print(f"{result.feed}: {result.added} new, {result.changed} changed, {result.total} rules; data as of {when}")
    else:
        print(f"recall-agent: warning: {terminal(result.warning, 2000)}", file=sys.stderr)  # quotes the feed


def update_rules(args: argparse.Namespace) -> int:
    from agent.feeds import interface, registry

    for name in args.feed or FEEDS:
        _report(interface.update(registry.feed(name), _feed_dir(args, name)))
    return 0


def import_rules(args: argparse.Namespace) -> int:
    from agent.feeds import interface, registry

    _report(interface.import_file(registry.feed(args.feed), args.file, _feed_dir(args, args.feed)))
    return 0


def rules_status(args: argparse.Namespace) -> int:
    from agent.report import freshness
    from agent.report.term import columns, table, wrap

    fresh = freshness.status(common.paths(args), common.rules(args), days=args.stale_after)
    if args.format == "json":
        import json

        print(json.dumps(freshness.json_status(fresh), indent=2))
        return 0
    print("\n".join(table(freshness.table_rows(fresh), columns(sys.stdout), keep=(0, 1, 2, 3))))
    width = columns(sys.stdout)
    print("\n".join(wrap(freshness.describe_age(fresh), width, rest="  ")))
    return 0


def list_rules(args: argparse.Namespace) -> int:
    import json

    ruleset = common.rules(args)
    rules = sorted(ruleset.rules, key=lambda r: (str(r.published), r.id), reverse=True)
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "kind": r.kind,
                        "published": str(r.published),
                        "issuer": r.issuer,
                        "url": r.url,
                        "origin": r.origin,
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return 0
    from agent.report.term import columns, table

    rows = [["ID", "PUBLISHED", "KIND", "MODELS"]]
    for rule in rules:
        models = ", ".join(m for p in rule.products for m in p.models[:4])
        rows.append([terminal(rule.id), str(rule.published), rule.kind, terminal(models, 60)])
    print("\n".join(table(rows, columns(sys.stdout), keep=(0, 1, 2), cut=(3,))))
    print(f"{len(rules)} rule{'' if len(rules) == 1 else 's'}", file=sys.stderr)
    return 0


def show_rule(args: argparse.Namespace) -> int:
    rule = common.rules(args).get(args.id)
    if rule is None:
        raise UsageError(f"no rule with id {args.id!r} (see `recall-agent rules list`)")
    print(describe(rule))
    return 0


def describe(rule: Rule) -> str:
    """Every field of a rule; each comes from a file or a feed, so each is escaped for the terminal."""
    t, many = terminal, _joined
    lines = [
        f"{rule.id}: {paragraph(rule.title)}",
        f"  {rule.kind} by {t(rule.issuer)} ({rule.issuer_type}){' ' + t(rule.reference) if rule.reference else ''}, "
        f"published {rule.published}",
        f"  notice:  {t(rule.url, 2000)}",
        f"  hazard:  {paragraph(rule.hazard)} [{', '.join(rule.hazards)}]",
        f"  remedy:  {paragraph(rule.remedy)}",
        f"  check:   {paragraph(rule.check)}",
        f"  file:    {t(rule.path, 2000)} ({rule.origin})",
    ]
    for ref in rule.also:
        lines.append(f"  also:    {t(ref.issuer)} {t(ref.reference)} {t(ref.url, 2000)}".rstrip())
    for product in rule.products:
        lines.append(f"  product: {paragraph(product.name)}")
        lines.append(f"    brands: {many(product.brands)}")
        for label, values in (
            ("models", product.models),
            ("upcs", sorted(product.upcs)),
            ("retailer ids", sorted(product.retailer_ids)),
            ("codes", sorted(product.codes)),
            ("colors", sorted(product.colors)),
        ):
            if values:
                lines.append(f"    {label}: {many(values)}")
        if product.serial:
            from agent.matching.criteria import describe_serial

            lines.append(f"    serial: {t(describe_serial(product.serial), 2000)}")
        if product.manufactured:
            lines.append(f"    made: {product.manufactured}")
        if product.sold:
            lines.append(f"    sold: {product.sold}")
        for usb in product.usb:
            lines.append(f"    usb: {usb.vendor_id}:{usb.product_id or '*'} {t(usb.product)}".rstrip())
        for mdns in product.mdns:
            lines.append(f"    mdns: {t(mdns.service)} {t(mdns.model)} {t(mdns.instance)}".rstrip())
    return "\n".join(lines)


def _joined(values: Iterable[str]) -> str:
    return terminal(", ".join(values), limit=2000)


def check_rules(args: argparse.Namespace) -> int:
    from agent.rules.load import load_rules

    folders = [(p, "extra") for p in args.paths] if args.paths else None
    if folders is not None:
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            raise UsageError(f"no such file or folder: {', '.join(missing)}")
        ruleset = load_rules(folders)
    else:
        ruleset = common.rules(args, quiet=True)
    for problem in ruleset.problems:
        print(problem)
    from agent.rules.overrides import replaced_shipped

    for line in replaced_shipped(ruleset):
        print(f"warning: {line}")
    verdict = "problems" if ruleset.problems else "ok"
    print(
        f"{ruleset.files} files, {len(ruleset.rules)} rules, {len(ruleset.problems)} problems: {verdict}",
        file=sys.stderr,
    )
    return 1 if ruleset.problems else 0
