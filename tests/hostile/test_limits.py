"""Absurdly large inputs are refused with a clear message, and never read whole into memory."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.errors import InventoryError
from agent.feeds import FeedError, healthcanada
from agent.feeds import update as cpsc_update
from agent.feeds.http import _read_capped
from agent.inventory import store
from agent.rules.load import load_rules
from agent.sources.mdns.text import MAX_KEYS, MAX_VALUE, clean_properties

HUGE = 64 * 2**30  # a sparse 64 GiB file: reading it whole would take minutes and all the memory there is


def sparse(path: Path, size: int = HUGE, head: bytes = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def peak_memory(action: Callable[[], Any]) -> int:
    """The most memory Python allocated while ``action`` ran, in bytes."""
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_huge_rule_file(tmp_path: Path) -> None:
    path = sparse(tmp_path / "rules" / "huge.toml", head=b'id = "huge"\n')
    found: list[tuple[str, ...]] = []
    assert (
        peak_memory(lambda: found.append(tuple(map(str, load_rules([(tmp_path / "rules", "extra")]).problems))))
        < 10_000_000
    )
    assert found == [(f"{path}: larger than 1 MB; refusing to load it",)]


def test_a_huge_inventory(tmp_path: Path) -> None:
    path = sparse(tmp_path / "inventory.toml", head=b"version = 1\n")
    errors: list[str] = []

    def attempt() -> None:
        try:
            store.load(path)
        except InventoryError as e:
            errors.append(str(e))

    assert peak_memory(attempt) < 50_000_000
    assert errors == [f"{path}: larger than 20 MB; refusing to load it"]
    done = subprocess.run(
        [sys.executable, "-m", "agent", "inventory", "list", "--inventory", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"recall-agent: error: {path}: larger than 20 MB; refusing to load it\n"


@pytest.mark.parametrize(
    ("importer", "limit"), [(cpsc_update.import_file, "200 MB"), (healthcanada.import_file, "100 MB")]
)
def test_a_huge_saved_feed_file(tmp_path: Path, importer: Callable[[Path, Path], Any], limit: str) -> None:
    path = sparse(tmp_path / "feed.json", head=b"[")
    with pytest.raises(FeedError, match=rf"feed.json: larger than {limit}; refusing to load it$"):
        importer(path, tmp_path / "cache" / "feed")
    assert not (tmp_path / "cache" / "feed").exists()


class EndlessResponse:
    """A server that never stops sending: reading it whole would never end."""

    def __init__(self, chunk: bytes) -> None:
        self.chunk = chunk
        self.sent = 0

    def read(self, size: int) -> bytes:
        self.sent += len(self.chunk)
        return self.chunk


def test_an_endless_feed_response_stops_at_the_cap() -> None:
    response = EndlessResponse(b"x" * 65536)
    with pytest.raises(FeedError, match="response is over the 1000000-byte limit; refusing it"):
        _read_capped(response, 1_000_000, False, "https://example.org/feed")
    assert response.sent < 1_200_000


def test_a_gzip_bomb_is_refused_after_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # 50 MB inflated from about 50 kB
    response = io.BytesIO(bomb)
    errors: list[str] = []

    def attempt() -> None:
        try:
            _read_capped(response, 1_000_000, True, "https://example.org/feed")
        except FeedError as e:
            errors.append(str(e))

    assert peak_memory(attempt) < 5_000_000  # never more than the cap and a chunk inflated at once
    assert errors == ["https://example.org/feed: response is over the 1000000-byte limit; refusing it"]


def test_a_huge_txt_record_keeps_only_the_caps() -> None:
    properties = {f"key{n}".encode(): os.urandom(8) * 1000 for n in range(20_000)}
    pairs, dropped = clean_properties(properties)
    assert len(pairs) == MAX_KEYS
    assert dropped == 20_000 - MAX_KEYS
    assert all(len(value) <= MAX_VALUE for _, value in pairs)
