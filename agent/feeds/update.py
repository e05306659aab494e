"""Keep the CPSC rule cache fresh by LastPublishDate window; offline or failing, keep the last good rules.

Misspelled-parameter guard: the API ignores parameters it does not know and then returns every record
(about 10,000). A response holding any record whose LastPublishDate lies outside the requested window
(one day of slack for time zones) is therefore refused as a whole, and the cache is left as it was:
keeping the in-window part of a response that ignored our query would hide the fault, not fix it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from agent import datetimes as dt
from agent.feeds import FeedError, cpsc, interface, read_capped
from agent.feeds import meta as feed_meta
from agent.feeds.http import Fetch, check_url
from agent.feeds.interface import Feed, Meta, Record
from agent.feeds.result import UpdateResult

FEED = "CPSC"
BASE_URL = "https://www.saferproducts.gov/RestWebServices/Recall"
FIRST_START = dt.date(2010, 1, 1)  # first update without a cache: recalls published since then
WINDOW = dt.timedelta(days=366)  # one request per year of history keeps each response small
SLACK = dt.timedelta(days=1)
MAX_IMPORT = 200_000_000


class CpscFeed(Feed):
    """The US CPSC Recalls API, asked year by year for what was published or changed since the last update."""

    name, title, merge = "cpsc", FEED, True

    def __init__(self, *, since: dt.date | None = None, base_url: str = BASE_URL) -> None:
        self.since = since
        self.base_url = base_url

    def fetch(self, get: Fetch, meta: Mapping[str, Any], now: dt.datetime) -> tuple[list[Record], Meta]:
        start = self.since or _cursor(meta) or FIRST_START
        check_url(self.base_url)
        records = [r for a, b in windows(start, now.date()) for r in _fetch_window(get, self.base_url, a, b)]
        return records, _meta(now, now.date(), self.base_url)

    def read(self, path: Path, meta: Mapping[str, Any], now: dt.datetime) -> tuple[list[Record], Meta]:
        records = cpsc.parse_response(read_capped(path, MAX_IMPORT), str(path))
        newest = max((d for d in (cpsc.api_date(r.get("LastPublishDate")) for r in records) if d), default=None)
        known = [x for x in (feed_meta.data_as_of(meta), _midnight(newest)) if x is not None]
        as_of = max(known) if known else None
        return records, {
            "data_as_of": as_of.isoformat() if as_of else None,
            "cursor": _cursor(meta) or newest,
            "source": meta.get("source", ""),
            "imported": str(path.name),
            "imported_at": now,
        }

    def convert(self, record: Record) -> dict[str, Any]:
        return cpsc.rule_from_record(record)


def update(
    cache_dir: Path,
    since: dt.date | None = None,
    *,
    fetch: Fetch | None = None,
    base_url: str = BASE_URL,
    now: dt.datetime | None = None,
) -> UpdateResult:
    """Fetch recalls published or changed since ``since`` (default: the last update) and store them."""
    return interface.update(CpscFeed(since=since, base_url=base_url), cache_dir, fetch=fetch, now=now)


def import_file(path: Path, cache_dir: Path, *, now: dt.datetime | None = None) -> UpdateResult:
    """Add the recalls of a saved API response to the cache; FeedError if the file cannot be used."""
    return interface.import_file(CpscFeed(), path, cache_dir, now=now)


def windows(start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive windows of at most a year covering ``start`` to ``end`` inclusive."""
    while start <= end:
        stop = min(start + WINDOW - dt.timedelta(days=1), end)
        yield start, stop
        start = stop + dt.timedelta(days=1)


def window_url(base_url: str, start: dt.date, end: dt.date) -> str:
    return f"{base_url}?format=json&LastPublishDateStart={start:%Y-%m-%d}&LastPublishDateEnd={end:%Y-%m-%d}"


def _fetch_window(get: Fetch, base_url: str, start: dt.date, end: dt.date) -> list[Mapping[str, Any]]:
    url = window_url(base_url, start, end)
    records = cpsc.parse_response(get(url), url)
    outside = [
        d
        for d in (cpsc.api_date(r.get("LastPublishDate")) for r in records)
        if d is None or not start - SLACK <= d <= end + SLACK
    ]
    if outside:
        raise FeedError(
            f"{url}: {len(outside)} of {len(records)} records lie outside the requested window "
            f"{start} to {end}; the API may have ignored the query, so the response is refused"
        )
    return records


def _cursor(meta: Mapping[str, Any]) -> dt.date | None:
    return cpsc.api_date(meta.get("cursor"))


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) if day else None


def _meta(now: dt.datetime, cursor: dt.date, source: str) -> dict[str, Any]:
    return {"data_as_of": now.isoformat(), "cursor": cursor.isoformat(), "source": source}
