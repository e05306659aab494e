"""The one interface every recall feed implements, and the pipeline every feed goes through.

A feed knows where its notices come from and how to read them: ``fetch`` downloads them (given the
cache's metadata, so a feed can ask only for what is new), ``read`` takes a saved copy, ``convert`` turns
one notice into a rule table, ``wanted`` picks the notices that are about consumer products. Everything
else is shared here: the cache lock, validation of every converted rule by the rule loader itself
(agent.rules.parse, so a feed cannot write a rule that the loader would refuse), storing, and keeping
the last good rules with a warning when a download fails.

To add a feed: one module with a subclass of Feed, and its name in agent/feeds/registry.py; then
`recall-agent rules update --feed NAME` and `rules import NAME FILE` use it.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from agent import datetimes as dt
from agent.feeds import FeedError, cache, pool
from agent.feeds import meta as feed_meta
from agent.feeds.http import MAX_BYTES, Fetch, http_get
from agent.feeds.result import UpdateResult, stale, store, utcnow
from agent.tomlio import locked

Record = Mapping[str, Any]
Meta = dict[str, Any]


class Feed(abc.ABC):
    name: str = ""  # as the command line names it: "cpsc"
    title: str = ""  # as messages name it: "CPSC"
    merge: bool = False  # True: a fetch adds to the cached rules; False: it replaces them
    max_bytes: int = MAX_BYTES  # the largest download accepted

    @abc.abstractmethod
    def fetch(self, get: Fetch, meta: Mapping[str, Any], now: dt.datetime) -> tuple[list[Record], Meta]:
        """The notices to store and the cache's new metadata; FeedError or OSError if the feed fails."""

    @abc.abstractmethod
    def read(self, path: Path, meta: Mapping[str, Any], now: dt.datetime) -> tuple[list[Record], Meta]:
        """The notices of a saved copy and the cache's new metadata; FeedError if the file cannot be used."""

    @abc.abstractmethod
    def convert(self, record: Record) -> dict[str, Any]:
        """One notice as a rule table; FeedError naming the notice if it cannot be converted."""

    def wanted(self, record: Record) -> bool:
        """Whether a notice is about something a household owns (default: every notice)."""
        return True


def update(feed: Feed, cache_dir: Path, *, fetch: Fetch | None = None, now: dt.datetime | None = None) -> UpdateResult:
    """Download, convert, validate and store. Never raises for network or feed trouble: the result then
    has ``ok=False`` and a warning saying how old the cached rules are, and the cache is untouched."""
    now = now or utcnow()
    with locked(cache_dir):
        cache.recover(cache_dir)
        try:
            get = fetch or (lambda url: http_get(url, max_bytes=feed.max_bytes))
            records, meta = feed.fetch(get, feed_meta.read_meta(cache_dir), now)
            return store(feed.title, cache_dir, renderings(feed, records), meta, merge=feed.merge)
        except (FeedError, OSError) as e:
            return stale(feed.title, cache_dir, str(e), now)


def import_file(feed: Feed, path: Path, cache_dir: Path, *, now: dt.datetime | None = None) -> UpdateResult:
    """The same from a saved copy of the feed; FeedError if the file cannot be used."""
    with locked(cache_dir):
        cache.recover(cache_dir)
        records, meta = feed.read(path, feed_meta.read_meta(cache_dir), now or utcnow())
        return store(feed.title, cache_dir, renderings(feed, records), meta, merge=feed.merge)


def rules_from_records(feed: Feed, records: Sequence[Record]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every wanted notice converted and checked by the rule loader; one that fails is skipped and named."""
    rules: list[dict[str, Any]] = []
    skipped: list[str] = []
    for record in records:
        if not feed.wanted(record):
            continue
        try:
            rules.append(checked(feed, record))
        except FeedError as e:
            skipped.append(str(e))
    return rules, skipped


def rendered(feed: Feed, records: Sequence[Record]) -> tuple[dict[str, str], list[str]]:
    """:func:`rules_from_records` as the cache stores it: file name -> TOML text, in the feed's order.

    A large feed is converted on every core (agent/feeds/pool.py); the result is the same either way.
    """
    texts: dict[str, str] = {}
    skipped: list[str] = []
    for name, text in renderings(feed, records):
        if name:
            texts[name] = text
        elif text:
            skipped.append(text)
    return texts, skipped


def renderings(feed: Feed, records: Sequence[Record]) -> Iterator[tuple[str, str]]:
    """Each notice's (file name, TOML text), ("", problem) if it is skipped or ("", "") if unwanted, in the
    feed's order; a large feed's are converted by workers while the caller stores the first ones."""
    return pool.ordered_iter(functools.partial(_render, feed), records)


def _render(feed: Feed, record: Record) -> tuple[str, str]:
    """(file name, TOML text) of one notice's rule; ("", problem) if it is skipped; ("", "") if unwanted."""
    if not feed.wanted(record):
        return "", ""
    try:
        rule = checked(feed, record)
    except FeedError as e:
        return "", str(e)
    return cache.file_name(rule), cache.rule_to_toml(rule)


def checked(feed: Feed, record: Record) -> dict[str, Any]:
    """One notice's rule, validated by the rule loader; FeedError naming the notice and the problem."""
    rule = feed.convert(record)
    validate(rule, feed.title)
    return rule


def validate(rule: Mapping[str, Any], title: str) -> None:
    """Run the rule loader's own validation on a converted rule; FeedError with its first problem."""
    from agent.fields import Problems
    from agent.rules.parse import rule_from_table

    problems = Problems(f"{title} notice")
    if rule_from_table(dict(rule), problems.path, problems, "feed") is None or problems:
        first = problems.items[0] if problems.items else "the rule loader refused it"
        raise FeedError(str(first))
