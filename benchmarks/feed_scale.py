"""A whole feed: `rules import cpsc` of 10,000 records, then `scan --source inventory` over 500 items with
those rules next to the same scan with the shipped rules alone; and the rule cache's load next to the
pickle the program used to keep, for the same 10,000 rules, each in a fresh process: as a scan opens the
cache (indexed: only the index is read), and with every rule decoded (as `rules list` needs them).

The records are real CPSC records (benchmarks/data/), multiplied: every copy gets its own recall number
and shifted model numbers, so it converts into a rule of its own.

Run: python benchmarks/feed_scale.py [--records N] [--keep DIR]

``--keep DIR`` works in DIR instead of a temporary folder and keeps it: a later run with the same DIR
and record count reuses the import (the slow part) and only times the scans, each time from a rule cache
removed first, so the first scan still builds it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from startup import program, write_inventory  # type: ignore[import-not-found,unused-ignore]

DATA = Path(__file__).parent / "data" / "cpsc-website-export-2023-12_2026-03.as-api.json.gz"
RECORDS = 10_000
ITEMS = 500
RUNS = 21
_CODE = re.compile(r"\b([A-Z]{1,5}[- ]?)(\d{2,})([A-Z]{0,3})\b")


def records(count: int = RECORDS) -> list[dict[str, Any]]:
    """``count`` records: the real ones first, then copies with their own numbers."""
    real: list[dict[str, Any]] = json.loads(gzip.decompress(DATA.read_bytes()))
    out: list[dict[str, Any]] = []
    copy = 0
    while len(out) < count:
        for record in real[: count - len(out)]:
            out.append(_copy(record, copy, len(out)) if copy else record)
        copy += 1
    return out


def _copy(record: dict[str, Any], copy: int, serial: int) -> dict[str, Any]:
    def shift(match: re.Match[str]) -> str:
        digits = match[2]
        return f"{match[1]}{(int(digits) + copy * 37) % 10 ** len(digits):0{len(digits)}d}{match[3]}"

    changed: dict[str, Any] = json.loads(json.dumps(record))
    changed["RecallNumber"] = f"9{serial:06d}"
    changed.pop("RecallID", None)
    for field in ("Title", "Description"):
        changed[field] = _CODE.sub(shift, str(changed.get(field) or ""))
    for product in changed.get("Products") or []:
        product["Name"] = _CODE.sub(shift, str(product.get("Name") or ""))
    return changed


def timed(command: list[str], env: dict[str, str], *, one_core: bool = False) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, its worker processes too) and exit code of one run;
    ``one_core`` keeps the program (and so its feed conversion) on one core (taskset, util-linux)."""
    if one_core:
        command = ["taskset", "-c", str(min(os.sched_getaffinity(0))), *command]
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(command, env=env, stdout=null, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[-4:])} failed ({proc.returncode}): {err.decode()[-500:]}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, proc.returncode


def medians(command: list[str], envs: list[dict[str, str]], runs: int = RUNS) -> list[tuple[float, float]]:
    """Median wall and CPU seconds of ``command`` in each environment, run in turn (one run in each, then
    again), so that each meets the same load on the machine."""
    samples: list[list[tuple[float, float, int]]] = [[] for _ in envs]
    for _ in range(runs):
        for env, found in zip(envs, samples, strict=True):
            found.append(timed(command, env))
    return [(statistics.median(s[0] for s in found), statistics.median(s[1] for s in found)) for found in samples]


def environment(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_STATE_HOME": str(root / "state"),
        "RECALL_AGENT_INVENTORY": str(root.parent / "inventory.toml"),
    }


LOAD_CHILD = """
import json, pickle, sys, time
from pathlib import Path
from agent.paths import layout
from agent.rules import cache
from agent.rules.load import RuleSet
folders, cache_file, old = layout().rule_dirs, Path(sys.argv[1]), Path(sys.argv[2])
if sys.argv[3] == "write-pickle":
    ruleset = cache.load_cached(folders, cache_file)
    ruleset = RuleSet(tuple(ruleset.rules), ruleset.problems, ruleset.files)  # every rule, as the pickle held
    old.write_bytes(pickle.dumps((cache.fingerprint(folders), ruleset), protocol=pickle.HIGHEST_PROTOCOL))
    sys.exit(0)
cpu, wall = time.process_time(), time.perf_counter()
if sys.argv[3] == "pickle":  # what the program did before: check the key, then take the RuleSet
    with old.open("rb") as handle:
        key, ruleset = pickle.load(handle)  # noqa: S301 - the benchmark's own file, written just above
    assert key == cache.fingerprint(folders)
else:
    ruleset = cache.load_cached(folders, cache_file)
    if sys.argv[3] == "every":  # each rule decoded, as `rules list` needs them
        ruleset = RuleSet(tuple(ruleset.rules), ruleset.problems, ruleset.files)
print(json.dumps([time.process_time() - cpu, time.perf_counter() - wall, len(ruleset.rules)]))
"""


def cache_loads(env: dict[str, str], cache_dir: Path) -> dict[str, tuple[float, float, int]]:
    """Median CPU and wall seconds of loading the rules, and the rule count, for each format."""
    cache_file, old = cache_dir / "rules.json", cache_dir / "benchmark-old-format.pickle"
    base = [sys.executable, "-c", LOAD_CHILD, str(cache_file), str(old)]
    # Run from the cache folder: from a checkout, `python -c` would import the checkout's program instead
    # of the installed one, whose cache key differs.
    subprocess.run([*base, "write-pickle"], env=env, check=True, cwd=cache_dir)
    found: dict[str, tuple[float, float, int]] = {}
    samples: dict[str, list[list[float]]] = {"pickle": [], "open": [], "every": []}
    for _ in range(RUNS):
        for kind, rows in samples.items():  # in turn, so both meet the same load on the machine
            done = subprocess.run([*base, kind], env=env, capture_output=True, text=True, check=True, cwd=cache_dir)
            rows.append(json.loads(done.stdout))
    for kind, rows in samples.items():
        found[kind] = (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows), int(rows[0][2]))
    old.unlink()
    return found


def household(path: Path, feed: list[dict[str, Any]]) -> None:
    """500 items: ordinary gadgets, and ten things named like products of the imported recalls."""
    write_inventory(path, ITEMS - 11)
    extra = []
    for n, record in enumerate(feed[:: len(feed) // 10][:10]):
        name = str((record.get("Products") or [{}])[0].get("Name") or record["Title"])[:60].replace('"', "")
        extra.append(f'\n[items.recalled-{n}]\nname = "{name}"\n')
    with path.open("a") as handle:
        handle.write("".join(extra))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def run(count: int = RECORDS, keep: Path | None = None) -> list[tuple[str, str, str]]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="ra-feed-") as tmp:
            return _run(Path(tmp), count)
    keep.mkdir(parents=True, exist_ok=True)
    return _run(keep, count)


def _run(root: Path, count: int) -> list[tuple[str, str, str]]:
    agent = program()
    rows: list[tuple[str, str, str]] = []
    big, shipped = environment(root / "feed"), environment(root / "shipped")
    feed_dir = root / "feed" / "cache" / "recall-agent" / "feeds" / "cpsc"
    saved = root / "cpsc.json"
    done = root / f"imported-{count}"
    if done.exists():
        feed = json.loads(saved.read_text())
        rows.append((f"rules import cpsc, {count:,} records", "reused", f"from an earlier run in {root}"))
    else:
        shutil.rmtree(root / "feed", ignore_errors=True)
        feed = records(count)
        saved.write_text(json.dumps(feed))
        importing = [*agent, "rules", "import", "cpsc", str(saved)]
        one_wall, one_cpu, _ = timed(importing, environment(root / "one-core"), one_core=True)
        shutil.rmtree(root / "one-core", ignore_errors=True)
        wall, cpu, _ = timed(importing, big)
        rows.append((f"rules import cpsc, {count:,} records", f"{wall:.1f} s", f"{cpu:.1f} s CPU; target < 10 s"))
        rows.append(("  the same kept on one core", f"{one_wall:.1f} s", f"{one_cpu:.1f} s CPU"))
        done.touch()
    household(root / "inventory.toml", feed)
    for cache_dir in (root / "feed" / "cache" / "recall-agent", root / "shipped" / "cache" / "recall-agent"):
        for old in cache_dir.glob("rules.*"):
            old.unlink()
    rules = len(list(feed_dir.glob("*.toml")))
    scan = [*agent, "scan", "--source", "inventory"]
    first, first_cpu, _ = timed(scan, big)
    rows.append(
        (f"first scan after the import, {rules:,} rules", f"{first:.2f} s", f"{first_cpu:.2f} s CPU; builds the cache")
    )
    timed(scan, shipped)
    (big_wall, big_cpu), (small_wall, small_cpu) = medians(scan, [big, shipped])
    rows.append((f"scan {ITEMS} items, shipped rules", f"{small_wall * 1000:.0f} ms", f"{small_cpu * 1000:.0f} ms CPU"))
    rows.append(
        (f"scan {ITEMS} items, + {rules:,} feed rules", f"{big_wall * 1000:.0f} ms", f"{big_cpu * 1000:.0f} ms CPU")
    )
    rows.append(
        ("  ratio, cache warm", f"{big_wall / small_wall:.2f}x", f"CPU {big_cpu / small_cpu:.2f}x; target <= 1.5x")
    )
    loads = cache_loads(big, root / "feed" / "cache" / "recall-agent")
    labels = (("pickle", "old pickle cache"), ("open", "cache as a scan opens it"), ("every", "cache, every rule"))
    for kind, label in labels:
        load_cpu, load_wall, n = loads[kind]
        rows.append((f"load {n:,} rules: {label}", f"{load_wall * 1000:.0f} ms", f"{load_cpu * 1000:.0f} ms CPU"))
    for kind, label in labels[1:]:
        rows.append((f"  {label} / pickle, CPU", f"{loads[kind][0] / loads['pickle'][0]:.2f}x", "target <= 1x"))
    return rows


if __name__ == "__main__":
    number = int(sys.argv[sys.argv.index("--records") + 1]) if "--records" in sys.argv else RECORDS
    kept = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    for name, value, note in run(number, kept):
        print(f"{name:<48} {value:>12}  {note}")
