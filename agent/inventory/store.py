"""Load the inventory, and apply edits that keep the person's comments and layout, atomically and locked."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator

from agent import datetimes as dt
from agent import normalize
from agent.errors import InventoryError, ProblemList
from agent.inventory.parse import FORMAT_VERSION, Parsed, read_items, valid_id
from agent.model import Item
from agent.problems import Problem
from agent.record import Record
from agent.tomlio import atomic_write, locked, parse_toml, read_text, remove_leftovers

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:  # tomlkit is imported only by commands that edit, to keep read-only start-up fast
    from contextlib import AbstractContextManager
    from typing import Any

    import tomlkit
    from tomlkit.items import Table

    from agent.paths import StrPath

MAX_INVENTORY = 20_000_000
HEADER = """\
# recall-agent inventory: one [items.<id>] table per thing the household owns.
# Edit it by hand or with `recall-agent inventory add/edit/remove`; comments are kept.
# Fields: name, brand, model, serial, manufactured, purchased, upc, retailer_id, code, color,
# location, notes. Dates are 2024-06-06, or "2023-04" when only the month is known.
"""


class Inventory(Record):
    path: str
    items: tuple[Item, ...]
    problems: tuple[Problem, ...] = ()  # broken items that were skipped (only from a partial load)
    ignored: tuple[str, ...] = ()  # discovered devices kept out of the inventory

    def get(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise InventoryError(self.path, f"no item with id {item_id!r} (see `recall-agent inventory list`)")


def _read(path: StrPath) -> tuple[str, dict[str, Any]]:
    if not os.path.exists(path):
        return "", {}
    text = read_text(path, MAX_INVENTORY, InventoryError)
    return text, parse_toml(text, path, InventoryError, memo=True)


def load(path: StrPath, *, partial: bool = False) -> Inventory:
    """Read and validate the inventory; a missing file is an empty inventory.

    With ``partial``, a broken item is skipped and named in ``problems`` while every other item is kept;
    a problem with the file as a whole still stops the load.
    """
    path = os.fspath(path)
    text, doc = _read(path)
    parsed = read_items(doc, path, text)
    if parsed.fatal or (parsed.problems and not partial):
        raise ProblemList(parsed.problems)
    return Inventory(path, parsed.items, parsed.problems, parsed.ignored)


def _unchanged_problems(before: Parsed, after: Parsed) -> None:
    """An edit may leave an item that was already broken as it was, but must not break anything more."""
    known = Counter((p.item, p.field, p.message) for p in before.problems)
    new = Counter((p.item, p.field, p.message) for p in after.problems)
    if after.fatal or new - known:
        added = [p for p in after.problems if (p.item, p.field, p.message) in (new - known) or p.kind != "item"]
        raise ProblemList(added or after.problems)


class Prepared(Record):
    """The inventory as tomlkit parsed it ahead of an edit (see ``prepare_edit``)."""

    path: str
    text: str
    doc: Any


def prepare_edit(path: StrPath) -> Prepared | None:
    """Parse ``path`` now for an edit that comes soon: a scan does it while its sources are still running,
    since parsing is most of what an edit of a large inventory costs. ``editing`` uses it only if the file
    still holds the same text when read under its lock; None when there is nothing (valid) to parse."""
    import tomlkit

    try:
        target = edit_target(path)
        text = read_text(target, MAX_INVENTORY, InventoryError) if os.path.exists(target) else ""
        return Prepared(target, text, tomlkit.parse(text)) if text else None
    except Exception:  # a problem with the file is reported by the edit itself, as without this
        return None


def editing(path: StrPath, prepared: Prepared | None = None) -> AbstractContextManager[tomlkit.TOMLDocument]:
    """Yield the document for editing; on success, validate the result and replace the file atomically.

    A file that does not validate before the edit is reported and left untouched. A symbolic link is
    edited through to the file it points to; a read-only file is refused.
    """
    import contextlib  # here, not at import: a start that only reads the inventory needs none of it

    return contextlib.contextmanager(_editing)(path, prepared)


def _editing(path: StrPath, prepared: Prepared | None) -> Iterator[tomlkit.TOMLDocument]:
    import tomlkit

    path = edit_target(path)
    with locked(path):
        text, parsed = _read(path)
        before = read_items(parsed, path, text)
        if before.fatal:
            raise ProblemList(before.problems)
        if prepared is not None and prepared.path == path and prepared.text == text:
            doc = prepared.doc  # the same text parses to the same document
        else:
            doc = tomlkit.parse(text) if text else tomlkit.parse(HEADER + f"version = {FORMAT_VERSION}\n")
        yield doc
        new_text = _checked_text(doc, path, text, before)
        if new_text != text:
            atomic_write(path, new_text, backup=bool(text))
        remove_leftovers(path)


def _checked_text(doc: tomlkit.TOMLDocument, path: str, text: str, before: Parsed, *, memo: bool = False) -> str:
    """The edited document as the file's new text, once it is sure to break nothing that was not broken.
    With ``memo``, the parse of the new text is kept for the next read of it (agent.tomlmemo)."""
    import tomlkit

    new_text = tomlkit.dumps(doc)
    if "\r\n" in text:  # a file written on Windows keeps its line ends, new lines included
        new_text = new_text.replace("\r\n", "\n").replace("\n", "\r\n")
    after = read_items(parse_toml(new_text, path, InventoryError, memo=memo), path, new_text)
    _unchanged_problems(before, after)
    return new_text


class Drafted(Record):
    """An edit worked out ahead, not written (``draft_edit``): the file it is for, the text it was worked
    out from ("" for no file yet) and the text the edit leaves."""

    path: str
    text: str
    new_text: str


def draft_edit(path: StrPath, edit: Callable[[tomlkit.TOMLDocument], object]) -> Drafted:
    """Work out what ``editing`` would write for ``edit``, without the lock and without writing: a scan
    drafts its merge while the network still answers. Raises as ``editing`` would. ``commit_draft``
    writes it if the file still holds the text it was worked out from."""
    import tomlkit

    path = edit_target(path)
    text, parsed = _read(path)
    before = read_items(parsed, path, text)
    if before.fatal:
        raise ProblemList(before.problems)
    doc = tomlkit.parse(text) if text else tomlkit.parse(HEADER + f"version = {FORMAT_VERSION}\n")
    edit(doc)
    # The scan reads the inventory back once the draft is written: its parse is kept now, while the network
    # is waited for, rather than parsed and kept then. A memo only serves the very text it was made from.
    new_text = _checked_text(doc, path, text, before, memo=True)
    import tempfile  # noqa: F401 - what the write imports, loaded now rather than after the wait

    from agent import owner  # noqa: F401

    return Drafted(path, text, new_text)


def commit_draft(path: StrPath, drafted: Drafted) -> bool:
    """Write a drafted edit, as ``editing`` would have, if ``path`` still leads to the file it was drafted
    for and that file still holds the same text; False (nothing written) otherwise. Refuses a file that
    became read-only meanwhile, as ``editing`` does."""
    target = edit_target(path)
    if target != drafted.path:
        return False
    with locked(target):
        text = read_text(target, MAX_INVENTORY, InventoryError) if os.path.exists(target) else ""
        if text != drafted.text:
            return False
        if drafted.new_text != text:
            atomic_write(target, drafted.new_text, backup=bool(text))
        remove_leftovers(target)
    return True


def edit_target(path: StrPath) -> str:
    """The file an edit of ``path`` replaces: ``path``, or the file a symbolic link there points to.

    Refuses, naming the file, a link that points nowhere and a file that is read-only to its owner or
    cannot be written by this user: rewriting those would silently drop the person's choice.
    """
    import stat

    target = path = os.fspath(path)
    if os.path.islink(path):
        target = os.path.realpath(path)
        if not os.path.exists(target):
            raise InventoryError(
                path, f"is a symbolic link to {target}, which does not exist; create that file or remove the link"
            )
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    if not info.st_mode & stat.S_IWUSR:
        raise InventoryError(
            target, f"is read-only (mode {stat.S_IMODE(info.st_mode):04o}); run `chmod u+w {target}` to allow edits"
        )
    if not os.access(target, os.W_OK):
        raise InventoryError(target, "cannot be edited: this user may not write it")
    return target


def items_table(doc: tomlkit.TOMLDocument) -> Table:
    import tomlkit
    from tomlkit.items import Table

    if "items" not in doc:
        doc.add("items", tomlkit.table(is_super_table=True))
    table = doc["items"]
    if not isinstance(table, Table):
        raise InventoryError("inventory", "'items' must be a table of [items.<id>] tables")
    return table


def item_table(doc: tomlkit.TOMLDocument, path: StrPath, item_id: str) -> Table:
    from tomlkit.items import Table

    items = items_table(doc)
    if item_id not in items:
        raise InventoryError(path, f"no item with id {item_id!r} (see `recall-agent inventory list`)")
    table = items[item_id]
    if not isinstance(table, Table):
        raise InventoryError(path, f"item {item_id}: expected a table [items.{item_id}]")
    return table


def new_id(existing: set[str], *hints: str) -> str:
    """A readable, unique id from the first useful hint: "anker-321-power-bank", then "-2", "-3"."""
    base = ""
    for hint in hints:
        base = "-".join(normalize.words(hint))[:48].strip("-")
        if base:
            break
    base = base or "item"
    candidate, n = base, 2
    while candidate in existing:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def set_fields(table: Table, values: dict[str, object]) -> None:
    """Set fields; an empty string removes the field. Existing comments on other lines are untouched."""
    from agent.inventory.comments import delete_keeping_comments  # only edits need it

    for key, value in values.items():
        if value == "":
            if key in table:
                delete_keeping_comments(table, key)
        else:
            table[key] = value


def add_item(path: StrPath, values: dict[str, object], item_id: str = "") -> str:
    import tomlkit

    with editing(path) as doc:
        items = items_table(doc)
        if item_id and item_id in items:
            raise InventoryError(path, f"an item with id {item_id!r} already exists")
        if item_id and not valid_id(item_id):
            raise InventoryError(path, f"id {item_id!r}: use letters, digits, '-' and '_' only")
        chosen = item_id or new_id(set(items), str(values.get("name", "")), str(values.get("model", "")))
        table = tomlkit.table()
        set_fields(table, {k: v for k, v in values.items() if v != ""})
        items.add(chosen, table)
    return chosen


def edit_item(path: StrPath, item_id: str, values: dict[str, object]) -> None:
    with editing(path) as doc:
        set_fields(item_table(doc, path, item_id), values)


def remove_item(path: StrPath, item_id: str, *, ignore: str = "") -> None:
    """Remove an item; with ``ignore``, also put that identity or pattern on the ignore list."""
    from agent.inventory.comments import delete_keeping_comments

    with editing(path) as doc:
        items = items_table(doc)
        item_table(doc, path, item_id)
        delete_keeping_comments(items, item_id)
        if ignore:
            add_ignored(doc, ignore)


def add_ignored(doc: tomlkit.TOMLDocument, pattern: str) -> bool:
    """Add to the top-level ``ignore`` list (tomlkit keeps it above the tables); False if already there."""
    import tomlkit

    current = doc.get("ignore")
    if current is None:
        listed = tomlkit.array()
        listed.multiline(True)
        listed.append(pattern)
        doc.add("ignore", listed)
        return True
    if pattern in list(current):
        return False
    current.append(pattern)
    return True


def remove_ignored(path: StrPath, pattern: str) -> bool:
    with editing(path) as doc:
        current = doc.get("ignore")
        if current is None or pattern not in list(current):
            return False
        current.remove(pattern)
        if not current:
            del doc["ignore"]
    return True


def ignore(path: StrPath, pattern: str) -> bool:
    with editing(path) as doc:
        return add_ignored(doc, pattern)


def set_handled(path: StrPath, item_id: str, rule_id: str, values: dict[str, object] | None) -> None:
    """Record (or with ``None`` forget) a person's answer to one finding."""
    import tomlkit
    from tomlkit.items import Table

    from agent.inventory.comments import delete_keeping_comments

    with editing(path) as doc:
        table = item_table(doc, path, item_id)
        handled = table.get("handled")
        if values is None:
            if isinstance(handled, Table) and rule_id in handled:
                delete_keeping_comments(handled, rule_id)
                if not handled:
                    delete_keeping_comments(table, "handled")
            return
        if not isinstance(handled, Table):
            handled = tomlkit.table(is_super_table=True)
            table.add("handled", handled)
        entry = tomlkit.table()
        set_fields(entry, values)
        entry.add(tomlkit.nl())  # a blank line before whatever table comes next
        handled[rule_id] = entry


def today() -> dt.date:
    return dt.datetime.now().astimezone().date()
