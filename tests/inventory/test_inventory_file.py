"""The inventory file: exact messages for broken files, comment-keeping atomic edits."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from conftest import write

from agent.dates import PartialDate
from agent.errors import InventoryError, ProblemList
from agent.inventory import store
from agent.model import HandledStatus

GOOD = """\
# Things in the house. Keep this comment!
version = 1

[items.power-bank]   # the black one
name = "Anker 321 Power Bank"
brand = "Anker"
model = "A1112"
manufactured = "2023-04"
purchased = 2023-05-02
location = "desk drawer"  # top left

# A note between items.
[items.kettle]
name = "Kettle"
"""


def test_reads_a_hand_written_file(inventory_path: Path) -> None:
    write(inventory_path, GOOD)
    items = store.load(inventory_path).items
    assert [i.id for i in items] == ["power-bank", "kettle"]
    assert items[0].manufactured == PartialDate(2023, 4)
    assert items[0].purchased == PartialDate(2023, 5, 2)


def test_a_missing_file_is_an_empty_inventory(inventory_path: Path) -> None:
    assert store.load(inventory_path).items == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[items.a]\nname = "A"\nmodle = "X1"\n', ["{p}:3: item a: unknown field 'modle'"]),
        (
            '[items.a]\nname = "A"\nmanufactured = "spring 2023"\n',
            ["{p}:3: item a: field 'manufactured': expected a date like 2023-04-17 or 2023-04, got 'spring 2023'"],
        ),
        ("[items.a]\nname = 5\n", ["{p}:2: item a: field 'name': expected a string, got the number 5"]),
        ('[items.a]\nname = "A"\nname = "B"\n', ["{p}:3: invalid TOML: cannot overwrite a value"]),
        ('[items.a]\nname = "A\n', ["{p}:2: invalid TOML: illegal character '\\n'"]),
        ("version = 2\n", ["{p}: format version 2 is not supported (this program reads version 1)"]),
        ('[things.a]\nname = "A"\n', ["{p}: unknown top-level field 'things' (items go in [items.<id>] tables)"]),
        (
            '[items."a b"]\nname = "A"\n',
            ["{p}: item a b: an item id uses letters, digits, '-' and '_' only (at most 64)"],
        ),
        (
            '[items.a]\nname = "A"\n[items.a.handled.r1]\nstatus = "lost"\n',
            [
                "{p}: item a: field 'handled.r1.status': expected one of checked, returned, disposed, repaired, ignored, "
                "got 'lost'"
            ],
        ),
        (
            '[items.a]\nname = "A"\n[items.a.usb]\nvendor_id = "xyz1"\nproduct_id = "0001"\n',
            ["{p}: item a: field 'usb.vendor_id': expected a 16-bit hex id like 291a, got 'xyz1'"],
        ),
    ],
)
def test_broken_inventory_messages(inventory_path: Path, text: str, expected: list[str]) -> None:
    write(inventory_path, text)
    with pytest.raises((InventoryError, ProblemList)) as caught:
        store.load(inventory_path)
    assert str(caught.value).splitlines() == [e.format(p=inventory_path) for e in expected]


def test_every_problem_is_reported_at_once(inventory_path: Path) -> None:
    write(inventory_path, '[items.a]\nmodle = "X"\n\n[items.b]\npurchased = "soon"\ncolour = "red"\n')
    with pytest.raises(ProblemList) as caught:
        store.load(inventory_path)
    assert len(caught.value.problems) == 3
    assert [p.split(": ")[0].rsplit(":", 1)[1] for p in map(str, caught.value.problems)] == ["2", "5", "6"]
    assert [p.line for p in caught.value.problems] == [2, 5, 6]


def test_add_edit_remove_keep_comments_and_layout(inventory_path: Path) -> None:
    write(inventory_path, GOOD)
    new_id = store.add_item(inventory_path, {"name": "Fitbit Ionic", "brand": "Fitbit", "model": "FB503"})
    store.edit_item(inventory_path, "power-bank", {"serial": "AD1234", "location": ""})
    store.set_handled(
        inventory_path,
        "power-bank",
        "anker-2024-321-power-bank",
        {"status": "disposed", "date": dt.date(2024, 7, 1), "reason": "recycling centre"},
    )
    store.remove_item(inventory_path, "kettle")
    text = inventory_path.read_text()
    assert new_id == "fitbit-ionic"
    assert text.startswith(
        "# Things in the house. Keep this comment!\nversion = 1\n\n[items.power-bank]   # the black one\n"
    )
    assert "location" not in text
    assert 'serial = "AD1234"' in text
    assert "[items.kettle]" not in text
    items = {i.id: i for i in store.load(inventory_path).items}
    assert items["power-bank"].handled[0].status is HandledStatus.DISPOSED
    assert items["fitbit-ionic"].model == "FB503"


def test_ids_stay_unique(inventory_path: Path) -> None:
    first = store.add_item(inventory_path, {"name": "Power bank"})
    second = store.add_item(inventory_path, {"name": "Power bank"})
    assert (first, second) == ("power-bank", "power-bank-2")
    with pytest.raises(InventoryError, match="already exists"):
        store.add_item(inventory_path, {"name": "x"}, item_id="power-bank")


def test_a_broken_file_is_never_overwritten(inventory_path: Path) -> None:
    broken = GOOD.replace('model = "A1112"', 'model = "A1112')
    write(inventory_path, broken)
    before = inventory_path.read_bytes()
    with pytest.raises(InventoryError, match=r":7: invalid TOML"):
        store.add_item(inventory_path, {"name": "Lamp"})
    with pytest.raises(InventoryError):
        store.edit_item(inventory_path, "kettle", {"brand": "Acme"})
    assert inventory_path.read_bytes() == before
    names = sorted(p.name for p in inventory_path.parent.iterdir())
    assert names == sorted([inventory_path.name, f".{inventory_path.name}.lock"])


def test_writes_are_atomic_keep_the_mode_and_a_backup(inventory_path: Path) -> None:
    write(inventory_path, GOOD)
    inventory_path.chmod(0o640)
    store.edit_item(inventory_path, "kettle", {"brand": "Acme"})
    backup = inventory_path.with_name("inventory.toml.bak")
    assert backup.read_text() == GOOD
    assert stat.S_IMODE(inventory_path.stat().st_mode) == 0o640  # the person's choice, not reset to 0600
    leftovers = [p.name for p in inventory_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_failed_write_leaves_the_old_file(inventory_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(inventory_path, GOOD)

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space"):
        store.edit_item(inventory_path, "kettle", {"brand": "Acme"})
    assert inventory_path.read_text() == GOOD
    assert not [p for p in inventory_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_unknown_item(inventory_path: Path) -> None:
    write(inventory_path, GOOD)
    with pytest.raises(InventoryError, match="no item with id 'lamp'"):
        store.edit_item(inventory_path, "lamp", {"brand": "x"})
