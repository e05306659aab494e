"""Turn the parsed inventory file into Items, naming the line of every problem."""

from __future__ import annotations

from agent import normalize
from agent.errors import ProblemList
from agent.fields import Fields, Problems
from agent.model import HandledStatus, Handling, HomeAssistantFacts, Item, MdnsFacts, UsbFacts
from agent.problems import Problem
from agent.record import Record, replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FORMAT_VERSION = 1
ID_CHARS = normalize.ALNUM | {"_", "-"}
_WITHOUT_ID_CHARS = dict.fromkeys(map(ord, ID_CHARS))  # str.translate deletes them
MAX_ID = 64
TEXT_FIELDS = ("name", "brand", "model", "serial", "upc", "retailer_id", "code", "color", "location", "notes")
DATE_FIELDS = ("manufactured", "purchased")
SOURCES = ("manual", "usb", "mdns", "homeassistant")


class Parsed(Record):
    items: tuple[Item, ...]  # every item that is whole; a broken one is left out
    problems: tuple[Problem, ...]
    ignored: tuple[str, ...] = ()  # discovered devices kept out: identities, or patterns such as "usb:1d6b:*"

    @property
    def fatal(self) -> bool:
        """A problem with the file as a whole, so no item can be trusted."""
        return any(p.kind != "item" for p in self.problems)


def valid_id(item_id: str) -> bool:
    """An item id: ASCII letters, digits, '-' and '_', one to MAX_ID of them."""
    return 0 < len(item_id) <= MAX_ID and item_id.isascii() and not item_id.translate(_WITHOUT_ID_CHARS)


def read_items(doc: dict[str, Any], path: str, text: str) -> Parsed:
    """Every item that validates, and every problem: a broken item is skipped, the others are kept."""
    problems = Problems(path)
    version = doc.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.add(f"format version {version!r} is not supported (this program reads version 1)", field="version")
    for key in doc:
        if key not in ("version", "items", "ignore"):
            problems.add(f"unknown top-level field '{key}' (items go in [items.<id>] tables)", field=key)
    ignore = doc.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(p, str) and p.strip() for p in ignore):
        problems.add("'ignore' must be a list of device identities or patterns, e.g. [\"usb:1d6b:*\"]", field="ignore")
        ignore = []
    raw_items = doc.get("items", {})
    items: list[Item] = []
    if not isinstance(raw_items, dict):
        problems.add("'items' must be a table of [items.<id>] tables", field="items")
        raw_items = {}
    for item_id, table in raw_items.items():
        before = len(problems.items)
        if not valid_id(item_id):
            problems.add("an item id uses letters, digits, '-' and '_' only (at most 64)", kind="item", item=item_id)
        elif not isinstance(table, dict):
            problems.add("expected a table [items.<id>]", kind="item", item=item_id)
        else:
            item = _item(item_id, table, Fields(table, problems, kind="item", item=item_id))
            if item is not None and len(problems.items) == before:
                items.append(item)
    return Parsed(tuple(items), _with_lines(problems.items, text), tuple(ignore))


def is_ignored(identity: str, patterns: tuple[str, ...]) -> bool:
    """Whether a discovered device is on the ignore list, by its identity or a shell-style pattern."""
    from fnmatch import fnmatchcase

    return any(identity == p or fnmatchcase(identity, p) for p in patterns)


def items_from_document(doc: dict[str, Any], path: str, text: str) -> tuple[Item, ...]:
    """Validate the whole file; raise InventoryError listing every problem, one per line."""
    parsed = read_items(doc, path, text)
    if parsed.problems:
        raise ProblemList(parsed.problems)
    return parsed.items


def _item(item_id: str, table: dict[str, Any], f: Fields) -> Item | None:
    # Only the fields the table has are read (an absent one is the Item's default: "", None, "manual" or
    # ()), in the order of the checks, so that the problems of a broken item come in the same order.
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in table:
            values[name] = f.text(name)
    for name in DATE_FIELDS:
        if name in table:
            values[name] = f.date(name)
    if "source" in table:
        values["source"] = f.text("source", choices=SOURCES) or "manual"
    tables = [(name, f.table_of(name)) for name in TABLES if name in table]
    for name in ("discovered", "imported", "locator"):
        if name in table:
            values[name] = f.text(name)
    for name in ("first_seen", "last_seen"):
        if name in table:
            values[name] = f.timestamp(name)
    for name, sub in tables:
        if sub is not None:
            values[name] = TABLES[name](sub)
    item = Item(id=item_id, **values)
    f.reject_unknown()
    return item


def _usb(f: Fields) -> UsbFacts | None:
    vendor = f.converted("vendor_id", normalize.hex_id)
    product = f.converted("product_id", normalize.hex_id)
    facts = UsbFacts(
        vendor_id=vendor or "",
        product_id=product or "",
        bcd_device=f.text("bcd_device"),
        manufacturer=f.text("manufacturer"),
        product=f.text("product"),
        serial=f.text("serial"),
        device_class=f.text("device_class"),
        interface_classes=f.texts("interface_classes"),
        bus=f.integer("bus"),
        port_path=f.text("port_path"),
        speed=f.text("speed"),
        vendor_name=f.text("vendor_name"),
        product_name=f.text("product_name"),
        unreadable=f.texts("unreadable"),
    )
    f.reject_unknown()
    return facts if vendor and product else None


def _mdns(f: Fields) -> MdnsFacts:
    txt_fields = f.table_of("txt")
    txt: tuple[tuple[str, str], ...] = ()
    if txt_fields is not None:
        txt = tuple((str(k), v) for k, v in txt_fields.table.items() if isinstance(v, str))
        for key, value in txt_fields.table.items():
            if not isinstance(value, str):
                txt_fields.bad(key, "expected a string")
    facts = MdnsFacts(
        instance=f.text("instance"),
        hostname=f.text("hostname"),
        services=f.texts("services"),
        txt=txt,
        manufacturer=f.text("manufacturer"),
        model=f.text("model"),
        addresses=f.texts("addresses"),
    )
    f.reject_unknown()
    return facts


def _homeassistant(f: Fields) -> HomeAssistantFacts | None:
    texts = ("manufacturer", "model", "model_id", "name", "name_by_user", "serial_number", "sw_version")
    facts = HomeAssistantFacts(
        device_id=f.text("device_id", required=True),
        identifiers=f.texts("identifiers"),
        connections=f.texts("connections"),
        **{key: f.text(key) for key in texts},
        hw_version=f.text("hw_version"),
        area=f.text("area"),
    )
    f.reject_unknown()
    return facts if facts.device_id else None


def _handled(f: Fields) -> tuple[Handling, ...]:
    out = []
    for rule_id in f.table:
        entry = f.table_of(rule_id)
        if entry is None:
            continue
        choices = tuple(s.value for s in HandledStatus)
        status = entry.text("status", required=True, choices=choices)
        until = entry.full_date("until")
        handling = Handling(
            rule=rule_id,
            status=HandledStatus(status) if status else HandledStatus.CHECKED,
            date=entry.full_date("date"),
            until=until,
            reason=entry.text("reason"),
        )
        entry.reject_unknown()
        if status:
            out.append(handling)
    return tuple(out)


TABLES: dict[str, Callable[[Fields], Any]] = {
    "usb": _usb,
    "mdns": _mdns,
    "homeassistant": _homeassistant,
    "handled": _handled,
}  # an item's tables, each with its reader

# Patterns of what is only looked for when there are problems: compiled (and kept by re) when first used.
_HEADER = r"^\s*\[\s*items\s*\.\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*(?:\.|\])"
_TOP_KEY = r"[.\[]"


def _with_lines(problems: list[Problem], text: str) -> tuple[Problem, ...]:
    """Give each problem about a field of an item the line of that field, when the text has it."""
    if not problems:
        return ()
    import re

    lines = text.splitlines()
    out = []
    for problem in problems:
        key = re.split(_TOP_KEY, problem.field, maxsplit=1)[0]
        found = problem.kind == "item" and problem.item and key
        line = _find_field(lines, problem.item, key) if found else None
        out.append(problem if line is None else replace(problem, line=line))
    return tuple(out)


def _find_field(lines: list[str], item_id: str, field: str) -> int | None:
    import re

    inside = False
    key = re.compile(rf"^\s*[\"']?{re.escape(field)}[\"']?\s*=")
    for number, line in enumerate(lines, start=1):
        header = re.match(_HEADER, line)
        if header:
            inside = header[1] == item_id and line.strip().startswith(f"[items.{item_id}]")
            continue
        if line.lstrip().startswith("["):
            inside = False
        elif inside and key.match(line):
            return number
    return None
