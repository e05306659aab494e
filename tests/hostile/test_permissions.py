"""Private files 0600 in folders 0700 whatever the umask; findings.json public; the service writes only its state."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.feeds import update as cpsc_update
from agent.inventory import store
from agent.rules.cache import load_cached
from agent.state import NotifyState
from agent.tomlio import private_dir

SAMPLE = Path(__file__).parents[1] / "feeds" / "data" / "cpsc-recall-7938.json"
RULE = (Path(__file__).parent / "fuzz" / "seeds_rules" / "valid.toml").read_text(encoding="utf-8")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everything through, so only the code's own modes protect the files."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_private_dir_makes_every_missing_folder_0700(tmp_path: Path, open_umask: None) -> None:
    (tmp_path / "kept").mkdir(mode=0o755)
    private_dir(tmp_path / "kept" / "a" / "b" / "c")
    assert mode(tmp_path / "kept") == 0o755  # an existing folder keeps its mode (a StateDirectory= is 0755)
    for folder in ("a", "a/b", "a/b/c"):
        assert mode(tmp_path / "kept" / folder) == 0o700, folder


def test_inventory_backup_and_lock_are_private(tmp_path: Path, open_umask: None) -> None:
    inventory = tmp_path / "private" / "data" / "inventory.toml"
    store.add_item(inventory, {"name": "Kettle"})
    store.edit_item(inventory, "kettle", {"model": "KT-100"})
    assert mode(inventory.parent) == mode(inventory.parent.parent) == 0o700
    for name in ("inventory.toml", "inventory.toml.bak", ".inventory.toml.lock"):
        assert mode(inventory.parent / name) == 0o600, name


def test_state_rule_cache_and_feed_cache(tmp_path: Path, open_umask: None) -> None:
    state_file = tmp_path / "state" / "sub" / "notified.json"
    state = NotifyState()
    state.notified(("kettle", "rule"), "likely", dt.datetime(2024, 6, 6, tzinfo=dt.timezone.utc))
    state.save(state_file)
    assert mode(state_file) == 0o600
    assert mode(state_file.parent) == mode(state_file.parent.parent) == 0o700
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "rule.toml").write_text(RULE, encoding="utf-8")
    cache_file = tmp_path / "cache" / "recall-agent" / "rules.json"
    assert load_cached([(rules, "extra")], cache_file).rules
    assert mode(cache_file) == 0o600
    assert mode(cache_file.parent) == mode(cache_file.parent.parent) == 0o700
    feed = tmp_path / "cache2" / "recall-agent" / "feeds" / "cpsc"
    assert cpsc_update.import_file(SAMPLE, feed).ok
    # The folders above a feed cache are private; the feed's own files are public recall data (0644).
    for folder in (feed.parent, feed.parent.parent, feed.parent.parent.parent):
        assert mode(folder) == 0o700, folder
    assert mode(feed.parent / ".cpsc.lock") == 0o600
    assert {mode(p) for p in feed.iterdir()} == {0o644}


def _tree(top: Path) -> set[Path]:
    return {p for p in top.rglob("*")}


def _system_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    home, state, config, tmp = (tmp_path / name for name in ("empty-home", "state", "config", "tmp"))
    for folder in (home, config, tmp):
        folder.mkdir()
    state.mkdir(mode=0o755)  # as systemd creates a StateDirectory= with StateDirectoryMode=0755
    store.add_item(state / "inventory.toml", {"name": "Kettle", "brand": "Example", "model": "KT-100"})
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "kettle.toml").write_text(RULE, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "RECALL_AGENT_", "CACHE_DIRECTORY"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "d"),
        XDG_CONFIG_HOME=str(home / "c"),
        XDG_STATE_HOME=str(home / "s"),
        XDG_CACHE_HOME=str(home / "k"),
        XDG_RUNTIME_DIR=str(home / "r"),
        STATE_DIRECTORY=str(state),
        CONFIGURATION_DIRECTORY=str(config),
        TMPDIR=str(tmp),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env, state


def _outside(tmp_path: Path, state: Path, before: set[Path]) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in _tree(tmp_path) - before if not p.is_relative_to(state))


def test_a_system_scan_writes_only_inside_the_state_directory(tmp_path: Path) -> None:
    env, state = _system_env(tmp_path)
    before = _tree(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent",
            "scan",
            "--system",
            "--source",
            "inventory",
            "--rules",
            str(tmp_path / "rules"),
        ],
        env=env,
        cwd=tmp_path / "config",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the kettle is recalled
    assert _outside(tmp_path, state, before) == []
    assert (state / "cache" / "rules.json").exists()
    assert mode(state / "cache") == 0o700
    assert mode(state / "cache" / "rules.json") == 0o600


def test_the_service_writes_only_inside_the_state_directory(tmp_path: Path) -> None:
    env, state = _system_env(tmp_path)
    before = _tree(tmp_path)
    daemon = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agent",
            "run",
            "--system",
            "--notify",
            "log",
            "--no-network",
            "--no-usb",
            "--debounce",
            "0.1",
            "--rules",
            str(tmp_path / "rules"),
        ],
        env=env,
        cwd=tmp_path / "config",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    findings = state / "findings.json"
    try:
        deadline = time.monotonic() + 60
        while not (findings.exists() and (state / "notified.json").exists()) and time.monotonic() < deadline:
            assert daemon.poll() is None, daemon.communicate()
            time.sleep(0.1)
    finally:
        daemon.send_signal(signal.SIGTERM)
        err = daemon.communicate(timeout=30)[1]
    assert daemon.returncode == 0, err
    assert b"recall: Kettle" in err  # the log notifier's line
    assert _outside(tmp_path, state, before) == []
    assert mode(findings) == 0o644  # published on purpose: the per-user notifiers read it
    assert json.loads(findings.read_text(encoding="utf-8"))
    for private in ("notified.json", "inventory.toml", "cache/rules.json"):
        assert mode(state / private) == 0o600, private
    assert mode(state / "cache") == 0o700
    assert mode(state) == 0o755  # a StateDirectory= keeps the mode systemd gave it
