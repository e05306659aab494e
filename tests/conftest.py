"""Fixtures shared by every test: an isolated home, a rules folder, and the CLI run as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent import tomlmemo

FIXTURES = Path(__file__).parent / "fixtures"
CLI = [sys.executable, "-m", "agent"]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """A missing peer skips a test on a developer's machine and fails it in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing peer is a failure)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own XDG folders, so nothing reads or writes the real home."""
    home = tmp_path / "home"
    for name, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("RECALL_AGENT_INVENTORY", raising=False)
    tomlmemo.keep_in(None)  # a command run in this process earlier said where to keep parsed TOML
    return home


@pytest.fixture
def inventory_path(isolated_home: Path) -> Path:
    return isolated_home / "data" / "recall-agent" / "inventory.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    """Run `python -m agent ...` in a subprocess from a folder that is not the checkout."""
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()

    def run(*args: str, stdin: str | None = None) -> Run:
        done = subprocess.run(
            [*CLI, *args], cwd=workdir, capture_output=True, text=True, input=stdin, timeout=120, check=False
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def rules_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "rules"
    folder.mkdir()
    yield folder
