"""Root's `--system` commands leave the service user's state its own, and the service can use it after.

Each test makes a state folder owned by an unused uid (the "service user"), runs admin commands as root the
way `sudo recall-agent ... --system` does, then checks owners and modes and, in a child process that has
become the service user, that the service can still read and write everything.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from admin.service_user import SERVICE, as_service_user, warm_up
from conftest import skip_or_fail

from agent.cli.main import main
from agent.inventory import store

SAMPLE = Path(__file__).parents[1] / "feeds" / "data" / "cpsc-recall-7938.json"
RULE = (Path(__file__).parents[1] / "hostile" / "fuzz" / "seeds_rules" / "valid.toml").read_text(encoding="utf-8")


@pytest.fixture
def state(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A StateDirectory= as systemd makes it: 0755, owned by the service user, in a folder it can reach."""
    if os.geteuid() != 0:
        skip_or_fail("changing owners needs root")
    top = Path(tempfile.mkdtemp(prefix="recall-agent-admin-", dir="/var/tmp"))
    top.chmod(0o755)
    folder = top / "state"
    folder.mkdir(mode=0o755)
    os.chown(folder, SERVICE, SERVICE)
    config = top / "config"
    (config / "rules").mkdir(parents=True)
    (config / "rules" / "kettle.toml").write_text(RULE, encoding="utf-8")
    monkeypatch.setenv("STATE_DIRECTORY", str(folder))
    monkeypatch.setenv("CONFIGURATION_DIRECTORY", str(config))
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    try:
        yield folder
    finally:
        shutil.rmtree(top)


def owners(top: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(top)): (p.lstat().st_uid, p.lstat().st_gid) for p in top.rglob("*")}


def as_root(*argv: str) -> int:
    return main([*argv])


def test_inventory_add_and_ack_keep_the_service_users_files(state: Path, tmp_path: Path) -> None:
    warm_up(tmp_path)
    assert as_root("--system", "inventory", "add", "Kettle", "--brand", "Example", "--model", "KT-100") == 0
    inventory = state / "inventory.toml"
    assert stat.S_IMODE(inventory.stat().st_mode) == 0o600
    inventory.chmod(0o640)  # the person's choice of mode is kept by every later write
    assert as_root("ack", "--system", "kettle", "kettle-2024", "--as", "checked") == 0
    assert as_root("inventory", "edit", "--system", "kettle", "--location", "kitchen") == 0
    assert set(owners(state).values()) == {(SERVICE, SERVICE)}, owners(state)
    assert stat.S_IMODE(inventory.stat().st_mode) == 0o640
    assert {p.name for p in state.iterdir()} >= {"inventory.toml", "inventory.toml.bak", ".inventory.toml.lock"}
    code, err = as_service_user("inventory", "edit", "--system", "kettle", "--notes", "by the service")
    assert (code, err) == (0, "")
    code, err = as_service_user("scan", "--system", "--source", "inventory")
    assert code == 0, err  # handled, so nothing counts
    assert 'notes = "by the service"' in inventory.read_text(encoding="utf-8")


def test_a_file_an_older_root_write_left_behind_is_given_back(state: Path, tmp_path: Path) -> None:
    warm_up(tmp_path)
    inventory = state / "inventory.toml"
    store.add_item(inventory, {"name": "Kettle"})
    for left in (inventory, state / ".inventory.toml.lock"):  # root-owned 0600, as older versions left them
        os.chown(left, 0, 0)
        left.chmod(0o600)
    assert as_root("inventory", "edit", "--system", "kettle", "--model", "KT-100") == 0
    assert set(owners(state).values()) == {(SERVICE, SERVICE)}, owners(state)
    assert as_service_user("inventory", "edit", "--system", "kettle", "--color", "white") == (0, "")


def test_rules_import_leaves_the_feed_cache_the_service_users(state: Path, tmp_path: Path) -> None:
    warm_up(tmp_path)
    assert as_root("rules", "import", "--system", "cpsc", str(SAMPLE)) == 0
    feeds = state / "cache" / "feeds"
    assert (feeds / "cpsc").is_dir()
    assert set(owners(state).values()) == {(SERVICE, SERVICE)}, owners(state)
    code, err = as_service_user("rules", "list", "--system")
    assert code == 0, err
    code, err = as_service_user("rules", "import", "--system", "cpsc", str(SAMPLE))
    assert code == 0, err


def test_a_user_mode_write_by_a_normal_user_changes_no_owner(tmp_path: Path) -> None:
    """Outside root nothing is chowned: the code path must not fail for an ordinary user."""
    inventory = tmp_path / "inv.toml"
    done = subprocess.run(
        [sys.executable, "-m", "agent", "--inventory", str(inventory), "inventory", "add", "Kettle"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert inventory.stat().st_uid == os.geteuid()
