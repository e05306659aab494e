"""Inventory files of any shape load as items or as one-line problems naming the file; edits keep comments."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hostile.hostile_support import (
    HOSTILE,
    TEXT,
    assert_one_line_naming,
    dump_toml,
    mutate,
    mutations,
    toml_tables,
    toml_values,
)
from hypothesis import assume, given
from hypothesis import strategies as st

from agent.errors import InventoryError, ProblemList
from agent.inventory import store
from agent.tomlio import parse_toml

VALID_INVENTORY = (Path(__file__).parent / "fuzz" / "seeds_inventory" / "valid.toml").read_text(encoding="utf-8")
FIELDS = [
    "name",
    "brand",
    "model",
    "serial",
    "manufactured",
    "purchased",
    "upc",
    "location",
    "notes",
    "handled",
    "usb",
    "mdns",
    "source",
    "first_seen",
    "last_seen",
]


def _load(data: str | bytes) -> tuple[str, int | None, list[str]]:
    """(path, number of items or None, problem lines)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.toml"
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(data)
        try:
            return str(path), len(store.load(path).items), []
        except ProblemList as e:
            return str(path), None, [str(p) for p in e.problems]
        except InventoryError as e:
            return str(path), None, str(e).splitlines()


def _check(data: str | bytes) -> None:
    path, items, problems = _load(data)
    assert items is not None or problems
    for problem in problems:
        assert_one_line_naming(problem, path)


def test_the_valid_inventory_loads() -> None:
    assert _load(VALID_INVENTORY)[1:] == (3, [])


@HOSTILE
@given(toml_tables())
def test_any_toml_document(document: dict[str, Any]) -> None:
    text = dump_toml(document)
    if text is not None:
        _check(text)


@HOSTILE
@given(st.dictionaries(TEXT, toml_tables(), max_size=4), st.sampled_from([1, 2, "1"]))
def test_any_items(items: dict[str, Any], version: object) -> None:
    text = dump_toml({"version": version, "items": items})
    if text is not None:
        _check(text)


@HOSTILE
@given(st.data())
def test_one_field_of_a_valid_item_replaced(data: st.DataObject) -> None:
    document = parse_toml(VALID_INVENTORY, Path("valid.toml"))
    item = document["items"][data.draw(st.sampled_from(["kettle", "usb-hub", "printer"]))]
    item[data.draw(st.sampled_from(FIELDS) | TEXT)] = data.draw(toml_values())
    text = dump_toml(document)
    if text is not None:
        _check(text)


@HOSTILE
@given(mutations())
def test_text_mutations_of_a_valid_file(edits: list[tuple[int, int, str]]) -> None:
    _check(mutate(VALID_INVENTORY, edits))


@HOSTILE
@given(st.binary(max_size=400) | st.binary(max_size=40).map(lambda b: VALID_INVENTORY.encode()[:400] + b))
def test_arbitrary_bytes(data: bytes) -> None:
    _check(data)


# Comment lines a person may write anywhere between tables and fields, and what the store may do then.
COMMENT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30).map(lambda t: "# " + t)
EDITS = st.sampled_from(["edit", "add", "remove", "handled", "forget"])


@HOSTILE
@given(st.lists(st.tuples(st.integers(0, 200), COMMENT), min_size=1, max_size=5), EDITS, TEXT)
def test_store_edits_keep_every_comment_line(comments: list[tuple[int, str]], edit: str, value: str) -> None:
    lines = VALID_INVENTORY.splitlines()
    for position, comment in comments:
        at = position % (len(lines) + 1)
        # Between fields and tables only: a comment inside an inline table or after a header is another test.
        lines.insert(at, comment)
    text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.toml"
        path.write_text(text, encoding="utf-8")
        try:
            store.load(path)
        except ProblemList:
            assume(False)  # a comment placed where TOML does not allow it
        value = value.strip() or "x"
        if edit == "edit":
            store.edit_item(path, "kettle", {"notes": value, "serial": ""})
        elif edit == "add":
            store.add_item(path, {"name": value})
        elif edit == "remove":
            store.remove_item(path, "printer")
        elif edit == "handled":
            store.set_handled(path, "usb-hub", "hub-rule", {"status": "returned", "reason": value})
        else:
            store.set_handled(path, "kettle", "kettle-2024", None)
        after = path.read_text(encoding="utf-8").splitlines()
        kept_items = {i.id for i in store.load(path).items}
    removed = {"remove": "[items.printer", "forget": "[items.kettle.handled"}.get(edit)
    for comment in [c for _, c in comments] + ["# the kitchen", "# found on the bus"]:
        if removed and _inside(text, comment, removed):
            continue  # written inside the tables the edit removes
        assert any(line.strip() == comment.strip() for line in after), f"lost {comment!r} after {edit}"
    assert {"kettle", "usb-hub"} <= kept_items


def _inside(text: str, comment: str, header: str) -> bool:
    """Whether ``comment`` belongs to a table whose header starts with ``header``.

    A comment with only comments and blank lines between it and the next header is about the next table.
    (The store keeps such a comment even when it deletes that next table: a stray comment beats a lost one.)
    """
    lines = text.splitlines()
    current = ""
    for number, line in enumerate(lines):
        if line.startswith("["):
            current = line
        if line.strip() != comment.strip():
            continue
        following = [rest for rest in lines[number + 1 :] if rest.strip() and not rest.lstrip().startswith("#")]
        if not following:
            return current.startswith(header)
        return (following[0] if following[0].startswith("[") else current).startswith(header)
    return False


def test_merging_new_facts_keeps_the_comment_above_the_next_item(tmp_path: Path) -> None:
    """The daemon replaces a device's [usb] table when its facts change; the next item's comment stays."""
    import datetime as dt

    from agent.inventory.merge import merge
    from agent.model import Observation, UsbFacts

    path = tmp_path / "inventory.toml"
    path.write_text(VALID_INVENTORY, encoding="utf-8")
    facts = UsbFacts(vendor_id="291a", product_id="3369", product="Hub, renamed")
    seen = Observation(source="usb", identity="usb:291a:3369:s:ABC", locator="1-2", usb=facts)
    merge(path, [seen], dt.datetime(2024, 6, 7, tzinfo=dt.timezone.utc))
    text = path.read_text(encoding="utf-8")
    assert 'product = "Hub, renamed"' in text
    assert "# a printer\n[items.printer]" in text.replace("\n\n", "\n")


@pytest.mark.parametrize("edit", ["remove kettle", "forget", "clear a field"])
def test_deleting_keeps_the_comment_above_the_next_item(tmp_path: Path, edit: str) -> None:
    path = tmp_path / "inventory.toml"
    path.write_text(VALID_INVENTORY, encoding="utf-8")
    if edit == "remove kettle":
        store.remove_item(path, "kettle")
    elif edit == "forget":
        store.set_handled(path, "kettle", "kettle-2024", None)
    else:
        store.edit_item(path, "usb-hub", {"locator": ""})
    text = path.read_text(encoding="utf-8")
    assert "# found on the bus\n[items.usb-hub]" in text.replace("\n\n", "\n")
