"""What an update did, and the two ways it ends: new rules stored, or the old ones kept with a warning."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent import datetimes as dt
from agent.feeds import cache
from agent.feeds import meta as feed_meta

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateResult:
    """``ok`` is False when the feed could not be used; the cache then holds the last good rules."""

    feed: str
    ok: bool
    added: int = 0
    changed: int = 0
    total: int = 0
    skipped: tuple[str, ...] = ()
    data_as_of: dt.datetime | None = None
    warning: str = ""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def age(since: dt.datetime, now: dt.datetime) -> str:
    days = (now - since).days
    if days < 1:
        return "less than a day old"
    return f"{days} day{'s' if days != 1 else ''} old"


def _listed(cache_dir: Path) -> frozenset[str] | None:
    """The names in the cache folder (none when there is no cache yet), or None when it cannot be listed
    (each file is then tried on its own)."""
    try:
        return frozenset(os.listdir(cache_dir))
    except (FileNotFoundError, NotADirectoryError):
        return frozenset()
    except OSError:
        return None


def _old_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def stale(feed: str, cache_dir: Path, reason: str, now: dt.datetime) -> UpdateResult:
    """The update failed: say how old the cached rules are, and keep them."""
    as_of = feed_meta.data_as_of(feed_meta.read_meta(cache_dir))
    if as_of is None:
        kept = f"no {feed} rules are cached yet; scans use the other rule folders"
    else:
        kept = f"keeping the cached {feed} rules from {as_of:%Y-%m-%d} ({age(as_of, now)})"
    warning = f"could not update {feed} rules: {reason}; {kept}"
    log.warning("%s", warning)
    return UpdateResult(feed=feed, ok=False, data_as_of=as_of, warning=warning)


def store(
    feed: str,
    cache_dir: Path,
    rendered: Iterable[tuple[str, str]],
    meta: Mapping[str, Any],
    *,
    merge: bool,
) -> UpdateResult:
    """Write the converted rules as the new cache, each as it comes; count what was added and changed.

    ``rendered`` holds (file name, TOML text) for each rule and ("", problem) for each notice skipped (and
    ("", "") for one not wanted), as interface.renderings gives them. A later rule of the same file name
    replaces an earlier one.
    """
    texts: dict[str, str] = {}
    before: dict[str, str | None] = {}  # the old cache's text of each file, None for a new one
    skipped: list[str] = []
    present = _listed(cache_dir)

    def rules() -> Iterator[tuple[str, str]]:
        for name, text in rendered:
            if not name:
                if text:
                    skipped.append(text)
                continue
            if name not in before:  # the old cache stays in place until the new one is written
                before[name] = _old_text(cache_dir / name) if present is None or name in present else None
            texts[name] = text
            yield name, text

    total = cache.replace_texts(cache_dir, rules(), {"feed": feed, **meta}, merge=merge)
    added = sum(old is None for old in before.values())
    changed = sum(old is not None and old != texts[name] for name, old in before.items())
    for problem in skipped:
        log.info("skipped a record: %s", problem)
    return UpdateResult(
        feed=feed,
        ok=True,
        added=added,
        changed=changed,
        total=total,
        skipped=tuple(skipped),
        data_as_of=feed_meta.data_as_of(meta),
    )
