"""`recall-agent ack ITEM RULE`: record that a finding was handled, so it stops counting."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from agent.cli import common
from agent.dates import parse_partial_date
from agent.errors import UsageError
from agent.model import HandledStatus, Item


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "ack",
        parents=[shared],
        help="record how a finding was handled",
        description="Record in the inventory that a finding was handled: checked (the label shows the unit "
        "is not affected), returned, disposed, repaired, or ignored until a date. Handled findings are "
        "shown as such and no longer count for the exit code.",
    )
    parser.add_argument("item", help="item id")
    parser.add_argument("rule", help="rule id")
    parser.add_argument("--as", dest="status", choices=[s.value for s in HandledStatus], default=None)
    parser.add_argument("--until", default=None, metavar="DATE", help="with --as ignored: until this date")
    parser.add_argument("--reason", default="", metavar="TEXT")
    parser.add_argument("--forget", action="store_true", help="remove the record instead")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from agent.inventory import store

    path = common.paths(args).inventory
    item = store.load(path).get(args.item)
    if args.forget:
        if args.status or args.until or args.reason:
            raise UsageError("--forget removes the record, so it takes no --as, --until or --reason")
        if item.handling_for(args.rule) is None:
            raise UsageError(f"{args.item} has no record for rule {args.rule!r}: nothing to forget")
        store.set_handled(path, args.item, args.rule, None)
        print(f"Forgot how {args.item} / {args.rule} was handled")
        return 0
    if args.status is None:
        raise UsageError("say how it was handled with --as (or --forget)")
    today = store.today()
    values: dict[str, object] = {"status": args.status, "date": today}
    if args.until:
        values["until"] = _until(args.until, args.status, today)
    if args.reason:
        values["reason"] = args.reason
    _check_applies(args, item, today)
    store.set_handled(path, args.item, args.rule, values)
    print(f"Recorded {args.item} / {args.rule} as {args.status}")
    return 0


def _until(text: str, status: str, today: dt.date) -> dt.date:
    if status != HandledStatus.IGNORED.value:
        raise UsageError("--until only goes with --as ignored")
    try:
        until = parse_partial_date(text).last
    except ValueError as e:
        raise UsageError(f"--until: {e}") from e
    if until < today:
        raise UsageError(f"--until {text}: that date has passed (today is {today})")
    return until


def _check_applies(args: argparse.Namespace, item: Item, today: dt.date) -> None:
    """The rule must exist and match the item; `checked` (not affected) cannot answer a confirmed finding."""
    from agent.confidence import Confidence
    from agent.matching.matcher import RuleIndex

    rule = common.rules(args, quiet=True).get(args.rule)
    if rule is None:
        raise UsageError(f"no rule with id {args.rule!r} (see `recall-agent rules list`)")
    findings = [f for f in RuleIndex([rule]).match([item], today) if f.item.id == item.id]
    if not findings:
        raise UsageError(
            f"rule {args.rule} does not apply to {args.item} (see `recall-agent scan` for the rules that do)"
        )
    if args.status == HandledStatus.CHECKED.value and findings[0].confidence is Confidence.CONFIRMED:
        raise UsageError(
            f"{args.item} is confirmed affected by {args.rule}, so it cannot be checked as not affected; "
            "correct what the label says with `recall-agent inventory edit`, or use --as returned, disposed or repaired"
        )
