"""`recall-agent inventory list|show|add|edit|remove`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from agent import datetimes as dt
from agent.cli import common
from agent.dates import parse_partial_date
from agent.errors import UsageError
from agent.model import Item
from agent.textsafe import terminal

FIELDS = {
    "name": "what it is, as you would call it",
    "brand": "brand on the label",
    "model": "model number on the label",
    "serial": "serial number on the label",
    "manufactured": "production date, 2023-04-17 or 2023-04",
    "purchased": "purchase date, 2024-01-05 or 2024-01",
    "upc": "UPC / EAN / GTIN barcode number",
    "retailer-id": "retailer product id such as an Amazon ASIN",
    "code": "batch or date code printed on the unit ('none' if it has none)",
    "color": "colour",
    "location": "where it is kept",
    "notes": "anything else",
}


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("inventory", parents=[shared])
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    listing = actions.add_parser("list", parents=[shared], help="a table of every item")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.add_argument("--source", choices=("manual", "usb", "mdns"), help="only items from this source")
    listing.set_defaults(handler=list_items)
    show = actions.add_parser("show", parents=[shared], help="every field of one item")
    show.add_argument("id")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=show_item)
    add = actions.add_parser("add", parents=[shared], help="add an item by hand")
    add.add_argument("name", help=FIELDS["name"])
    add.add_argument("--id", default="", help="choose the id (default: made from the name)")
    _field_options(add, skip="name")
    add.set_defaults(handler=add_item)
    edit = actions.add_parser("edit", parents=[shared], help="change fields of an item ('' clears one)")
    edit.add_argument("id")
    _field_options(edit)
    edit.set_defaults(handler=edit_item)
    remove = actions.add_parser(
        "remove", parents=[shared], help="remove an item (a discovered device is also kept from coming back)"
    )
    remove.add_argument("id")
    remove.add_argument("--allow-return", action="store_true", help="let a discovered device be added again")
    remove.set_defaults(handler=remove_item)
    ignored = actions.add_parser(
        "ignore",
        parents=[shared],
        help="keep discovered devices out: by item id, or --match PATTERN (e.g. 'usb:1d6b:*')",
    )
    ignored.add_argument("id", nargs="?", help="a discovered item: it is removed and never added again")
    ignored.add_argument("--match", metavar="PATTERN", help="a device identity or shell-style pattern")
    ignored.add_argument("--list", action="store_true", help="show the ignore list")
    ignored.add_argument("--undo", metavar="PATTERN", help="take an identity or pattern off the ignore list")
    ignored.set_defaults(handler=ignore_items)
    from agent.cli import transfer_cmd

    transfer_cmd.register(actions, shared)


def _field_options(parser: argparse.ArgumentParser, skip: str = "") -> None:
    for name, text in FIELDS.items():
        if name != skip:
            parser.add_argument(f"--{name}", default=None, metavar="TEXT", help=text)


def field_values(args: argparse.Namespace) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in FIELDS:
        value = getattr(args, name.replace("-", "_"), None)
        if value is None:
            continue
        value = value.strip()
        if name in ("manufactured", "purchased") and value:
            try:
                date = parse_partial_date(value)
            except ValueError as e:
                raise UsageError(f"--{name}: {e}") from e
            if name == "purchased" and date.first > store_today():
                raise UsageError(f"--purchased {value}: that date is in the future")
            value = date.first if date.day else str(date)
        if name == "upc" and value:
            digits = str(value).replace(" ", "").replace("-", "")
            if not digits.isdigit() or not 8 <= len(digits) <= 14:
                raise UsageError(f"--upc {value!r}: a UPC, EAN or GTIN is 8 to 14 digits")
            value = digits
        values[name.replace("-", "_")] = value
    return values


def store_today() -> dt.date:
    from agent.inventory.store import today

    return today()


def list_items(args: argparse.Namespace) -> int:
    import json

    from agent.inventory import store
    from agent.report.json_report import item_json
    from agent.report.term import columns, table

    path = common.paths(args).inventory
    items = [i for i in store.load(path).items if args.source in (None, i.source)]
    if args.format == "json":
        document = {"format": LIST_FORMAT, "inventory": str(path), "items": [item_json(i) for i in items]}
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    if not items:
        which = f"No {args.source} items" if args.source else "The inventory is empty"
        print(f"{which} in {terminal(str(path), 2000)}. Add one with `recall-agent inventory add NAME --model ...`.")
        return 0
    rows = [["ID", "NAME", "BRAND", "MODEL", "SOURCE", "LAST SEEN"]]
    rows += [
        [
            terminal(i.id),
            terminal(i.display_name, 80),
            terminal(i.brand, 40),
            terminal(i.model or (i.mdns.model if i.mdns else ""), 40),
            _source(i),
            i.last_seen.astimezone().strftime("%Y-%m-%d %H:%M") if i.last_seen else "",
        ]
        for i in items
    ]
    print("\n".join(table(rows, columns(sys.stdout), keep=(0, 4, 5))))
    return 0


LIST_FORMAT = 1


def _source(item: Item) -> str:
    if item.source == "usb" and item.usb:
        return f"usb {item.usb.vendor_id}:{item.usb.product_id}"
    return item.source


def show_item(args: argparse.Namespace) -> int:
    import json

    from agent.inventory import store
    from agent.report.json_report import item_json

    item = store.load(common.paths(args).inventory).get(args.id)
    data = item_json(item)
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    for key, value in data.items():
        if key == "handled":
            continue
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                _show_line(f"{key}.{sub}", subvalue)
        else:
            _show_line(key, value)
    for handling in item.handled:
        print(
            f"handled {terminal(handling.rule)}: {handling.status.value}"
            f"{' on ' + str(handling.date) if handling.date else ''}"
            f"{' until ' + str(handling.until) if handling.until else ''}"
            f"{' - ' + terminal(handling.reason) if handling.reason else ''}"
        )
    return 0


def _show_line(key: str, value: object) -> None:
    """One field as a person reads it: lists joined, TXT pairs as key=value, nothing shown when empty."""
    if value in (None, "", []) or key == "name_given":
        return
    if isinstance(value, list):
        value = ", ".join("=".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
    print(f"{key}: {terminal(str(value), 2000)}")


def add_item(args: argparse.Namespace) -> int:
    from agent.inventory import store

    values = {"name": args.name.strip(), **field_values(args)}
    if not values["name"]:
        raise UsageError("the name must not be empty")
    path = common.paths(args).inventory
    item_id = store.add_item(path, values, args.id)
    print(f"Added {item_id} to {path}")
    return 0


def edit_item(args: argparse.Namespace) -> int:
    from agent.inventory import store

    values = field_values(args)
    if not values:
        raise UsageError("nothing to change: give at least one field option, e.g. --serial")
    store.edit_item(common.paths(args).inventory, args.id, values)
    print(f"Updated {args.id}")
    return 0


def remove_item(args: argparse.Namespace) -> int:
    from agent.inventory import store

    path = common.paths(args).inventory
    item = store.load(path).get(args.id)
    keep_out = item.discovered if item.discovered and not args.allow_return else ""
    store.remove_item(path, args.id, ignore=keep_out)
    print(f"Removed {args.id}")
    if keep_out:
        print(f"{keep_out} will not be added again (undo: `recall-agent inventory ignore --undo '{keep_out}'`)")
    return 0


def ignore_items(args: argparse.Namespace) -> int:
    from agent.inventory import store

    path = common.paths(args).inventory
    chosen = [x for x in (args.id, args.match, args.undo) if x] + (["list"] if args.list else [])
    if len(chosen) != 1:
        raise UsageError("give one of: an item id, --match PATTERN, --undo PATTERN or --list")
    if args.list:
        for pattern in store.load(path).ignored:
            print(terminal(pattern))
        return 0
    if args.undo:
        if not store.remove_ignored(path, args.undo):
            raise UsageError(f"{args.undo!r} is not on the ignore list (see `recall-agent inventory ignore --list`)")
        print(f"{args.undo} may be added again by the next scan")
        return 0
    if args.match:
        pattern = args.match.strip()
        if not pattern or ":" not in pattern:
            raise UsageError(f"--match {args.match!r}: expected an identity such as 'usb:1d6b:*' or 'mdns:*printer*'")
        added = store.ignore(path, pattern)
        print(f"Ignoring {pattern}" if added else f"{pattern} was already ignored")
        return 0
    item = store.load(path).get(args.id)
    if not item.discovered:
        raise UsageError(f"{args.id} was added by hand, not discovered; remove it with `recall-agent inventory remove`")
    store.remove_item(path, args.id, ignore=item.discovered)
    print(f"Removed {args.id}; {item.discovered} will not be added again")
    return 0
