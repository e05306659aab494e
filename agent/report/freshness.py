"""How old the recall data is: every rule source with its count, each feed's "data as of" and last update."""

from __future__ import annotations

import os
from collections import Counter

from agent import datetimes as dt
from agent.paths import Layout
from agent.record import Record
from agent.rules.load import RuleSet

STALE_DAYS = 30  # feeds older than this are warned about
STALE_ENV = "RECALL_AGENT_STALE_DAYS"
FEEDS = ("cpsc", "healthcanada")


class SourceStatus(Record):
    name: str  # shipped, a feed's name, system, user, extra
    rules: int
    data_as_of: dt.datetime | None = None  # feeds: the newest data the feed had; shipped: the newest notice
    updated: dt.datetime | None = None  # feeds: when the cache was last written
    feed: bool = False


class Freshness(Record):
    sources: tuple[SourceStatus, ...]
    as_of: dt.datetime | None  # the newest data of all: what "data as of" means for a scan
    age_days: int | None
    stale_after: int

    @property
    def stale(self) -> bool:
        return self.age_days is None or self.age_days > self.stale_after


def stale_after(option: int | None = None) -> int:
    """Days after which the data counts as stale: the option, else $RECALL_AGENT_STALE_DAYS, else 30."""
    if option is not None:
        return option
    value = os.environ.get(STALE_ENV, "")
    return int(value) if value.isdigit() else STALE_DAYS


def _feed_of(folder: str, feeds_dir: str) -> str:
    """The feed a folder of feed rules belongs to: its first folder below the feeds' folder."""
    inside = folder.startswith(feeds_dir + "/") and folder[len(feeds_dir) + 1 :].split("/", maxsplit=1)[0]
    return inside or "feed"


def status(layout: Layout, ruleset: RuleSet, *, now: dt.datetime | None = None, days: int | None = None) -> Freshness:
    now = now or dt.datetime.now(dt.timezone.utc)
    feeds_dir = os.path.join(layout.cache_dir, "feeds")
    counts: Counter[str] = Counter()
    for group in ruleset.census():
        counts[_feed_of(group.folder, feeds_dir) if group.origin == "feed" else group.origin] += group.rules
    newest = max((g.newest for g in ruleset.census() if g.origin == "shipped" and g.newest), default=None)
    sources = [
        SourceStatus(
            "shipped",
            counts.pop("shipped", 0),
            dt.datetime.combine(newest, dt.time(), dt.timezone.utc) if newest else None,
        )
    ]
    updated_any = os.path.isdir(feeds_dir)  # else no feed was ever updated: nothing to read (nor feeds.cache to import)
    for feed in FEEDS:
        as_of, updated = _feed_dates(os.path.join(feeds_dir, feed)) if updated_any else (None, None)
        sources.append(SourceStatus(feed, counts.pop(feed, 0), as_of, updated, feed=True))
    sources += [SourceStatus(name, count) for name, count in sorted(counts.items())]
    fed = [s.data_as_of for s in sources if s.feed and s.data_as_of is not None]
    as_of = max(fed, default=None) or sources[0].data_as_of  # the feeds once updated, else the package
    age = (now - as_of).days if as_of else None
    return Freshness(tuple(sources), as_of, age, stale_after(days))


def _feed_dates(folder: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """A feed's "data as of" and when its cache was last written, each None when not known."""
    from agent.feeds.meta import META, data_as_of, read_meta

    try:
        updated = dt.datetime.fromtimestamp(os.stat(os.path.join(folder, META)).st_mtime, dt.timezone.utc)
    except OSError:  # no feed.json (or none to look at)
        updated = None
    return data_as_of(read_meta(folder)), updated


def describe_age(fresh: Freshness) -> str:
    """One line for a scan summary: the data's date and age, and what to do when it is stale."""
    if fresh.as_of is None:
        return "Recall data: of unknown date; run `recall-agent rules update`"
    fed = any(s.feed and s.data_as_of for s in fresh.sources)
    what = "data as of" if fed else "shipped rules only, newest notice"
    text = f"Recall data: {what} {fresh.as_of.date()} ({_days(fresh.age_days or 0)} old)"
    if fresh.stale:
        text += f": older than {_days(fresh.stale_after)}; run `recall-agent rules update`"
    return text


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def table_rows(fresh: Freshness) -> list[list[str]]:
    rows = [["SOURCE", "RULES", "DATA AS OF", "LAST UPDATE"]]
    for source in fresh.sources:
        as_of = source.data_as_of.strftime("%Y-%m-%d") if source.data_as_of else ""
        if source.feed:
            updated = source.updated.astimezone().strftime("%Y-%m-%d %H:%M") if source.updated else "never"
        else:
            updated = "with the package" if source.name == "shipped" else ""
        if source.name == "shipped" and as_of:
            as_of += " (newest notice)"
        rows.append([source.name, str(source.rules), as_of, updated])
    return rows


def json_status(fresh: Freshness) -> dict[str, object]:
    return {
        "data_as_of": fresh.as_of.isoformat() if fresh.as_of else None,
        "age_days": fresh.age_days,
        "stale_after_days": fresh.stale_after,
        "stale": fresh.stale,
        "sources": [
            {
                "name": s.name,
                "rules": s.rules,
                "feed": s.feed,
                "data_as_of": s.data_as_of.isoformat() if s.data_as_of else None,
                "updated": s.updated.isoformat() if s.updated else None,
            }
            for s in fresh.sources
        ],
    }
