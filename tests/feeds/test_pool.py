"""A large feed converted in worker processes gives what one process gives, in the same order."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from agent.feeds import interface, pool
from agent.feeds.update import CpscFeed

RECORDS = Path(__file__).parent / "labelled" / "cpsc-2023-2026" / "records.json"


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for even a small list, on two cores whatever this machine has."""
    monkeypatch.setattr(pool, "MIN_ITEMS", 0)
    monkeypatch.setattr(pool, "CHUNK", 7)
    monkeypatch.setattr(pool, "cores", lambda: 2)
    assert threading.active_count() == 1, "a test left a thread running, so no worker can be forked"


def where(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_results_come_back_in_order_from_the_workers(two_cores: None) -> None:
    found = pool.ordered_map(where, range(100))
    assert [value for value, _ in found] == [n * n for n in range(100)]
    assert os.getpid() not in {pid for _, pid in found}


def test_one_core_or_a_small_list_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "cores", lambda: 1)
    assert {pid for _, pid in pool.ordered_map(where, range(pool.MIN_ITEMS + 10))} == {os.getpid()}
    monkeypatch.setattr(pool, "cores", lambda: 2)
    assert {pid for _, pid in pool.ordered_map(where, range(pool.MIN_ITEMS - 1))} == {os.getpid()}


def fails_on_13(item: int) -> int:
    if item == 13:
        raise ValueError(f"item {item} is unlucky")
    return item


def test_an_error_in_a_worker_reaches_the_caller(two_cores: None) -> None:
    with pytest.raises(ValueError, match="item 13 is unlucky"):
        pool.ordered_map(fails_on_13, range(50))


def test_a_feed_converted_in_workers_is_byte_identical(two_cores: None, monkeypatch: pytest.MonkeyPatch) -> None:
    records: list[dict[str, Any]] = json.loads(RECORDS.read_text(encoding="utf-8"))
    broken = [dict(records[3], RecallDate=None), dict(records[40], Title="")]  # two notices that are skipped
    feed = [*records[:30], broken[0], *records[30:60], broken[1], *records[60:]]
    texts, skipped = interface.rendered(CpscFeed(), feed)
    monkeypatch.setattr(pool, "cores", lambda: 1)
    one_texts, one_skipped = interface.rendered(CpscFeed(), feed)
    assert list(texts.items()) == list(one_texts.items()) and skipped == one_skipped
    assert list(texts)[:2] == [f"cpsc-{records[0]['RecallNumber']}.toml", f"cpsc-{records[1]['RecallNumber']}.toml"]
    assert skipped == [
        f"CPSC record {broken[0]['RecallNumber']}: missing RecallNumber, Title or RecallDate",
        f"CPSC record {broken[1]['RecallNumber']}: missing RecallNumber, Title or RecallDate",
    ]


PARENT = os.getpid()


def dies_in_a_worker_on_33(item: int) -> int:
    if item == 33 and os.getpid() != PARENT:
        os._exit(3)  # a worker killed mid-feed
    return item * 2


def test_when_a_worker_dies_this_process_does_the_rest_once(two_cores: None) -> None:
    assert pool.ordered_map(dies_in_a_worker_on_33, range(80)) == [n * 2 for n in range(80)]


def waits_for_the_parent(item: tuple[int, str]) -> str:
    """The last item waits until the parent says it has the first result."""
    number, flag = item
    if number < 69:
        return "early"
    for _ in range(600):
        if Path(flag).exists():
            return "after the parent had the first results"
        threading.Event().wait(0.1)
    return "the parent had nothing yet"


def test_the_first_results_come_while_the_workers_still_convert(two_cores: None, tmp_path: Path) -> None:
    flag = tmp_path / "first results seen"
    results = pool.ordered_iter(waits_for_the_parent, [(n, str(flag)) for n in range(70)])
    assert next(results) == "early"
    flag.touch()
    assert list(results)[-1] == "after the parent had the first results"
