"""Paths as strings where a scan runs (agent.paths): written as pathlib writes them, sorted as pathlib sorts
them, and the installed `recall-agent` script starting the program without pathlib or re."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import skip_or_fail
from hypothesis import given
from hypothesis import strategies as st

from agent import paths
from agent.cli.shell_files import LAUNCHER
from agent.rules.load import rule_files

PARTS = st.sampled_from(["", ".", "..", "a", "b-c", "b", "x.toml", " sp ", "é"])


@pytest.mark.parametrize(
    "text",
    ["inv.toml", "./inv.toml", "a//b/", "/", "//x", "/var/lib/./recall-agent/", ".", "", "a/../b", "~/x"],
)
def test_a_path_is_written_as_pathlib_writes_it(text: str) -> None:
    expected = str(Path(text))
    if expected.startswith("//"):  # pathlib keeps a leading double slash (POSIX leaves its meaning open)
        expected = expected[1:]
    assert paths.clean(text) == expected


@given(st.booleans(), st.lists(PARTS, max_size=6))
def test_any_path_is_written_as_pathlib_writes_it(absolute: bool, parts: list[str]) -> None:
    text = ("/" if absolute else "") + "/".join(parts)
    expected = str(Path(text))
    assert paths.clean(text) == (expected[1:] if expected.startswith("//") else expected)


@pytest.mark.parametrize("text", ["inv.toml", "a/b.toml", "/a/b.toml", "/inv.toml", "/"])
def test_a_parent_is_the_folder_pathlib_gives(text: str) -> None:
    assert paths.parent(text) == str(Path(text).parent)


def test_rule_files_sort_part_by_part_as_paths_do(tmp_path: Path) -> None:
    for relative in ("b-c/x.toml", "b/x.toml", "b/y.toml", "a.toml", "b.toml", "bb/x.toml"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    found = rule_files(str(tmp_path))
    assert found == [str(p) for p in sorted(Path(f) for f in found)]
    assert found.index(str(tmp_path / "b" / "x.toml")) < found.index(str(tmp_path / "b-c" / "x.toml"))


def test_the_layout_is_strings_written_as_pathlib_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/tmp/data//./")
    monkeypatch.setenv(paths.INVENTORY_ENV, "./mine.toml")
    found = paths.layout()
    assert found.inventory == "mine.toml"
    assert paths.layout(inventory=Path("a/./b.toml")).inventory == "a/b.toml"
    monkeypatch.delenv(paths.INVENTORY_ENV)
    assert paths.layout().inventory == "/tmp/data/recall-agent/inventory.toml"
    monkeypatch.setenv("STATE_DIRECTORY", "/var/lib/recall-agent/:/var/lib/other")
    system = paths.layout(system=True)
    assert (system.inventory, system.cache_dir) == (
        "/var/lib/recall-agent/inventory.toml",
        "/var/lib/recall-agent/cache",
    )


def _installed_script() -> Path:
    script = Path(sys.executable).with_name("recall-agent")
    if not script.exists():
        skip_or_fail("recall-agent is not installed beside this Python")  # tests/run.sh installs it
    return script


def test_the_installed_script_is_the_packages_own() -> None:
    lines = _installed_script().read_text().splitlines()
    assert lines[0].startswith("#!") and "python" in lines[0]
    assert lines[1:] == LAUNCHER.splitlines()[1:]


def test_the_installed_script_starts_a_scan_without_pathlib_or_re(tmp_path: Path) -> None:
    env = {**os.environ, **{f"XDG_{name}_HOME": str(tmp_path / name) for name in ("DATA", "CACHE", "CONFIG", "STATE")}}
    env.pop(paths.INVENTORY_ENV, None)
    inventory = tmp_path / "DATA" / "recall-agent" / "inventory.toml"
    inventory.parent.mkdir(parents=True)
    inventory.write_text('version = 1\n\n[items.lamp]\nname = "Desk lamp"\nbrand = "Ikea"\n')
    command = [sys.executable, "-X", "importtime", str(_installed_script()), "scan", "--source", "inventory"]
    for _ in range(2):  # the first writes the caches; the second is a scan as it usually runs
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "agent.scan" in imported  # the scan ran, and its imports were listed
    assert not imported & {"re", "pathlib", "urllib.parse", "fnmatch", "typing"}
