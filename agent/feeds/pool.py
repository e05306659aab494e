"""A large feed converted on every core: its notices are independent, so chunks of them go to worker
processes and the results come back in the feed's order, exactly as one process would give them, each
chunk as soon as it is done (so the caller can store the first ones while the workers convert the rest).

Workers are forked, so they start with everything the parent has loaded (the feed, its records, the
vocabularies) and only the chunk bounds and the results (plain text) cross between processes. One process
does the work when the feed is small, when only one core is ours, when the process runs threads (a fork
copies their locks, not their owners) or when no worker can be started.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

MIN_ITEMS = 400  # fewer notices convert in less time than starting the workers takes
CHUNK = 40  # notices per task: small enough to share the work evenly, large enough to cost little to send
MAX_WORKERS = 8

_WORK: list[tuple[Callable[[Any], Any], Sequence[Any]]] = []  # the parent's job, inherited by each worker


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def ordered_map(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """``[function(item) for item in items]``, on several cores when that pays off (see ordered_iter)."""
    return list(ordered_iter(function, items))


def ordered_iter(function: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
    """``function(item)`` for each item in order, computed on several cores when that pays off.

    ``function`` must not depend on what an earlier call did to shared state, and its results must be
    picklable plain data. An exception ``function`` raises reaches the caller, as it would in one process.
    Workers run ahead of the caller; they are stopped when the caller stops reading.
    """
    workers = min(cores(), MAX_WORKERS, -(-len(items) // CHUNK))
    if workers < 2 or len(items) < MIN_ITEMS or not _can_fork():
        yield from map(function, items)
        return
    done = 0
    try:
        for result in _in_workers(function, items, workers):
            yield result
            done += 1
    except (OSError, BrokenProcessPool):  # no worker could start, or one died: this process does the rest
        yield from map(function, items[done:])


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _in_workers(function: Callable[[Any], Any], items: Sequence[Any], workers: int) -> Iterator[Any]:
    spans = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    for stream in (sys.stdout, sys.stderr):  # a worker must not print what the parent has buffered
        stream.flush()
    _WORK.append((function, items))
    executor = ProcessPoolExecutor(workers, multiprocessing.get_context("fork"), initializer=_quiet)
    try:
        for chunk in executor.map(_run, spans):
            yield from chunk
    finally:
        _WORK.clear()
        executor.shutdown(wait=True, cancel_futures=True)


def _quiet() -> None:
    """Ctrl-C is the parent's to handle: it stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(span: tuple[int, int]) -> list[Any]:
    if not _WORK:
        raise RuntimeError("a pool task runs only in a worker of ordered_iter")
    function, items = _WORK[0]
    return [function(items[index]) for index in range(*span)]
