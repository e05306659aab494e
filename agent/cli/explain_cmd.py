"""`recall-agent explain ITEM [RULE]`: the rules that came close to one item, and why each matched or not."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from agent.cli import common
from agent.errors import UsageError
from agent.model import Item
from agent.textsafe import terminal

WIDTH = 80


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "explain",
        parents=[shared],
        description="For one inventory item, the recall rules that came close and why each matched or did "
        "not (brand, identifiers, product name, criteria), and what to add to the inventory to decide.",
    )
    parser.add_argument("item", help="the item's id, or its name when only one item has it")
    parser.add_argument("rule", nargs="?", default="", help="explain only this rule id")
    parser.set_defaults(handler=run)


def find_item(items: tuple[Item, ...], wanted: str) -> Item:
    for item in items:
        if item.id == wanted:
            return item
    named = [i for i in items if i.display_name.casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(i.id for i in named)
        raise UsageError(f"several items are named {terminal(wanted, 80)!r} ({terminal(ids, 200)}); give the id")
    raise UsageError(f"no item with id or name {terminal(wanted, 80)!r} (see `recall-agent inventory list`)")


def run(args: argparse.Namespace) -> int:
    from agent.inventory import store
    from agent.matching.explain import explain
    from agent.matching.matcher import RuleIndex

    item = find_item(store.load(common.paths(args).inventory).items, args.item)
    index = RuleIndex(common.rules(args).rules)
    if args.rule and not any(r.id == args.rule for r in (*index.rules, *index.superseded)):
        raise UsageError(f"no rule with id {terminal(args.rule, 90)!r} (see `recall-agent rules list`)")
    found = explain(item, index, args.rule)
    print(terminal(f"{item.display_name} ({item.id})"))
    if not found:
        print("No rule comes close: no brand, identifier or product name of this item appears in a notice.")
        print(_wrap("To check it more closely, add its brand and the model number from the label."))
        return 0
    for each in found:
        print()
        print(_wrap(f"{each.outcome.upper()}: {each.rule.id}: {each.rule.title}"))
        for line in each.lines:
            print(_wrap(line, "  - "))
        for line in each.to_add:
            print(_wrap(line, "  to decide, add: "))
    return 0


def _wrap(text: str, lead: str = "") -> str:
    return textwrap.fill(terminal(text, 1000), WIDTH, initial_indent=lead, subsequent_indent=" " * max(len(lead), 4))
