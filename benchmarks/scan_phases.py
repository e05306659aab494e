"""Run `recall-agent` with timing probes and write when each phase of a scan began and ended.

Usage: python benchmarks/scan_phases.py OUT ARGS...   (ARGS as for recall-agent, e.g. ``scan --format json``)

For benchmarks/network.py: the probes wrap a few functions of the program as their modules load (so the
import order, and the time to the first question, stay the program's own) and note, on one monotonic
clock shared with the parent process, when the first one-shot questions go out, when each service is
heard, when the quiet rule ends the browse, when the inventory merge starts and ends and when the program
is done. OUT gets one "seconds name" line per event.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import importlib.machinery
import runpy
import sys
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

stamps: list[tuple[float, str]] = []


def wrap(owner: Any, attr: str, label: str, *, when: Callable[[Any], bool] = lambda result: True) -> None:
    """Note ``label>`` when ``owner.attr`` is called and ``label<`` when it returns a result ``when`` likes."""
    original = getattr(owner, attr)

    @functools.wraps(original)
    def probe(*args: Any, **kwargs: Any) -> Any:
        stamps.append((time.monotonic(), f"{label}>"))
        result = original(*args, **kwargs)
        if when(result):
            stamps.append((time.monotonic(), f"{label}<"))
        return result

    setattr(owner, attr, probe)


PROBES: dict[str, Callable[[ModuleType], None]] = {
    "agent.sources.mdns.oneshot": lambda m: wrap(m.OneShot, "ask_types", "ask"),
    "agent.sources.mdns.quiet": lambda m: wrap(m.Quiet, "over", "quiet", when=bool),
    "agent.sources.mdns.browse": lambda m: wrap(m._Listener, "add_service", "heard"),
    "agent.scan": lambda m: wrap(m, "_record", "write"),
}


class Probes(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader of each module in PROBES so its probes go in once it ran."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if name not in PROBES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            PROBES[name](module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def main(argv: list[str]) -> None:
    out, args = argv[0], argv[1:]

    def done() -> None:
        stamps.append((time.monotonic(), "done"))
        with open(out, "w", encoding="utf-8") as handle:
            handle.writelines(f"{when:.6f} {name}\n" for when, name in stamps)

    atexit.register(done)
    sys.meta_path.insert(0, Probes())
    sys.argv = ["recall-agent", *args]
    runpy.run_module("agent", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
