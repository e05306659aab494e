"""Edits go through a symbolic link to its target; a dangling link and a read-only file are refused; modes stay."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from conftest import Run

from agent.inventory import store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_edit_through_a_link_changes_the_target_and_keeps_the_link(tmp_path: Path, cli: Callable[..., Run]) -> None:
    target = tmp_path / "synced" / "inventory.toml"
    store.add_item(target, {"name": "Kettle"})
    target.chmod(0o640)
    link = tmp_path / "inventory.toml"
    link.symlink_to(target)
    done = cli("--inventory", str(link), "inventory", "add", "Toaster")
    assert done.code == 0, done.err
    assert link.is_symlink() and link.resolve() == target
    assert "Toaster" in target.read_text(encoding="utf-8")
    assert mode(target) == 0o640
    assert (target.parent / "inventory.toml.bak").exists()  # the backup lives beside the real file


def test_a_dangling_link_is_refused_saying_where_it_points(tmp_path: Path, cli: Callable[..., Run]) -> None:
    link = tmp_path / "inventory.toml"
    link.symlink_to(tmp_path / "gone" / "inventory.toml")
    done = cli("--inventory", str(link), "inventory", "add", "Toaster")
    assert done.code == 2
    assert done.err.strip() == (
        f"recall-agent: error: {link}: is a symbolic link to {tmp_path}/gone/inventory.toml, "
        "which does not exist; create that file or remove the link"
    )
    assert link.is_symlink() and not (tmp_path / "gone").exists()


def test_a_read_only_inventory_is_refused_and_left_alone(tmp_path: Path, cli: Callable[..., Run]) -> None:
    inventory = tmp_path / "inventory.toml"
    store.add_item(inventory, {"name": "Kettle"})
    inventory.chmod(0o444)
    before = inventory.read_bytes()
    done = cli("--inventory", str(inventory), "inventory", "edit", "kettle", "--model", "KT-100")
    assert done.code == 2
    assert done.err.strip() == (
        f"recall-agent: error: {inventory}: is read-only (mode 0444); run `chmod u+w {inventory}` to allow edits"
    )
    assert inventory.read_bytes() == before and mode(inventory) == 0o444
    assert cli("--inventory", str(inventory), "scan", "--source", "inventory").code == 0  # reading still works


def test_an_edit_keeps_the_files_mode(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.toml"
    store.add_item(inventory, {"name": "Kettle"})
    assert mode(inventory) == 0o600
    inventory.chmod(0o660)
    store.edit_item(inventory, "kettle", {"model": "KT-100"})
    assert mode(inventory) == 0o660
