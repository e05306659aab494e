"""`recall-agent ack ITEM RULE`: record that a finding was handled, so it stops counting."""

from __future__ import annotations

import argparse
from typing import Any

from agent.cli import common
from agent.dates import parse_partial_date
from agent.errors import UsageError
from agent.model import HandledStatus


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
    store.load(path).get(args.item)
    if args.forget:
        store.set_handled(path, args.item, args.rule, None)
        print(f"Forgot how {args.item} / {args.rule} was handled")
        return 0
    if args.status is None:
        raise UsageError("say how it was handled with --as (or --forget)")
    values: dict[str, object] = {"status": args.status, "date": store.today()}
    if args.until:
        if args.status != HandledStatus.IGNORED.value:
            raise UsageError("--until only goes with --as ignored")
        try:
            until = parse_partial_date(args.until)
        except ValueError as e:
            raise UsageError(f"--until: {e}") from e
        values["until"] = until.last
    if args.reason:
        values["reason"] = args.reason
    ruleset = common.rules(args, quiet=True)
    if ruleset.get(args.rule) is None:
        raise UsageError(f"no rule with id {args.rule!r} (see `recall-agent rules list`)")
    store.set_handled(path, args.item, args.rule, values)
    print(f"Recorded {args.item} / {args.rule} as {args.status}")
    return 0
