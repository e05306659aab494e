"""`recall-agent ack ITEM RULE`: record that a finding was handled, so it stops counting."""

from __future__ import annotations

import argparse
from typing import Any

from agent.cli import common
from agent.errors import UsageError
from agent.model import HandledStatus


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "ack",
        parents=[shared],
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
    from agent import acknowledge
    from agent.inventory import store

    path = common.paths(args).inventory
    store.load(path).get(args.item)  # an unknown item is named before anything else
    if args.forget:
        if args.status or args.until or args.reason:
            raise UsageError("--forget removes the record, so it takes no --as, --until or --reason")
        acknowledge.forget(path, args.item, args.rule)
        print(f"Forgot how {args.item} / {args.rule} was handled")
        return 0
    if args.status is None:
        raise UsageError("say how it was handled with --as (or --forget)")
    ack = acknowledge.Ack(
        item=args.item, rule=args.rule, status=HandledStatus(args.status), until=args.until or "", reason=args.reason
    )
    acknowledge.record(path, common.rules(args, quiet=True), ack)
    print(f"Recorded {args.item} / {args.rule} as {args.status}")
    return 0
