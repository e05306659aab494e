"""A compiled copy of the loaded rules, reused while no rule file has changed.

Parsing and validating every TOML rule file costs more than the rest of a scan; the cache holds the
validated RuleSet keyed by the path, size and modification time of every rule file it came from.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

from agent import __version__
from agent.rules.load import RuleSet, load_rules, rule_files
from agent.tomlio import atomic_write_bytes

Fingerprint = tuple[object, ...]


def fingerprint(folders: Iterable[tuple[Path, str]]) -> Fingerprint:
    parts: list[object] = [__version__, sys.version_info[:2]]
    for folder, origin in folders:
        parts.append((str(folder), origin))
        for path in rule_files(folder):
            try:
                info = path.stat()
            except OSError:
                continue
            parts.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(parts)


def load_cached(folders: list[tuple[Path, str]], cache_file: Path) -> RuleSet:
    """The rules from ``folders``, from ``cache_file`` when it is still current, else loaded and cached."""
    key = fingerprint(folders)
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        with cache_file.open("rb") as handle:
            stored_key, ruleset = pickle.load(handle)  # noqa: S301 - our own file in the user's cache folder
        if stored_key == key and isinstance(ruleset, RuleSet):
            return ruleset
    ruleset = load_rules(folders)
    with contextlib.suppress(OSError):
        atomic_write_bytes(cache_file, pickle.dumps((key, ruleset), protocol=pickle.HIGHEST_PROTOCOL))
    return ruleset
