"""The one scan pipeline: run the sources, merge what they saw into the inventory, match every item.

``scan`` is used by both front ends: the one-shot `recall-agent scan` and the daemon's every rescan.
A one-shot scan stops at a broken inventory (the error names the file, the line and the problem); a
long-running caller passes the previous result as ``last_good``, and then a broken inventory or rule file
costs nothing that worked before: the last good items and the last good rules of each broken rule file
stay in use, and what could not be used is listed in ``ScanResult.problems``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

from agent import datetimes as dt
from agent.errors import InputFileError, ProblemList, RecallAgentError
from agent.inventory import store
from agent.inventory.parse import is_ignored
from agent.matching.finding import Finding
from agent.matching.matcher import Index, index_for
from agent.model import Item, Observation
from agent.problems import Problem
from agent.record import Record, field
from agent.rules.load import RuleSet
from agent.sources.base import DeviceSource, SourceResult, start_all

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.inventory.merge import Draft
    from agent.paths import StrPath


class ScanResult(Record):
    findings: tuple[Finding, ...]
    items: tuple[Item, ...]
    sources: tuple[SourceResult, ...]
    rules: RuleSet
    added: tuple[str, ...]  # ids of the items this scan added to the inventory
    inventory: str
    skipped: tuple[Problem, ...] = ()  # broken items left out of a partial scan, with their problems
    replaced: tuple[str, ...] = ()  # local rules that replace a shipped rule (agent.rules.overrides)
    problems: tuple[Problem, ...] = ()  # inputs that could not be used; their last good version was
    not_saved: tuple[Problem, ...] = ()  # why what the sources saw could not be written (a read-only inventory)
    index: Index | None = field(default=None, compare=False, repr=False)  # for the next scan's reuse

    @property
    def exit_code(self) -> int:
        return 1 if any(f.serious for f in self.findings) else 0

    @classmethod
    def empty(cls, inventory: StrPath) -> ScanResult:
        """Nothing known yet: the ``last_good`` of a daemon's first scan."""
        return cls((), (), (), RuleSet((), (), 0), (), os.fspath(inventory))


STEADY = 0.03  # seconds without news from the background before what it found so far is handed ahead
NEAR_END = 0.5  # ... and only once the background would end within this if nothing more came


def collect(
    sources: Sequence[DeviceSource],
    background: Sequence[DeviceSource] | None = None,
    ahead: Callable[[list[Observation]], object] | None = None,
) -> list[SourceResult]:
    """What every source found, in the sources' order. Those that run in the background (``background``,
    as ``start_all`` gave them; started here when not given) are waited for last, so the others (USB,
    Home Assistant) are read while the network answers, not after it. While they are waited for,
    ``ahead`` is given every observation found so far whenever that has settled (see ``_follow``)."""
    if background is None:
        background = start_all(sources)
    found = {id(source): _collect(source) for source in sources if source not in background}
    if ahead is not None and background:
        _follow(sources, found, background, ahead)
    found.update({id(source): _collect(source) for source in background})
    return [found[id(source)] for source in sources]


def _follow(
    sources: Sequence[DeviceSource],
    found: dict[int, SourceResult],
    background: Sequence[DeviceSource],
    ahead: Callable[[list[Observation]], object],
) -> None:
    """Until the background sources are done: hand ``ahead`` all the observations found so far (the done
    sources' and what the others found so far, in the sources' order) once nothing new came for
    ``STEADY`` and the background is within ``NEAR_END`` of its end; again after more news if the last
    hand took less than the time left (a draft that would end after the network only delays the merge).
    It is not called more than a third of the time, so a network that never settles costs at most that."""
    seen = {id(source): 0 for source in background}
    live = list(background)
    handed, news_at, not_before, took = True, 0.0, 0.0, 0.0
    while live:
        ends = 0.0
        for source in list(live):
            try:
                news = source.so_far(seen[id(source)], (STEADY if not handed else 0.25) / len(live))
            except Exception:  # collect() reports what went wrong; it just is not followed
                news = None
            if news is None:
                live.remove(source)
                continue
            ends = max(ends, news.ends_at)
            if news.version != seen[id(source)]:
                seen[id(source)], handed, news_at = news.version, False, time.monotonic()
        now = time.monotonic()
        settled = not handed and now - news_at >= STEADY and now >= not_before
        end = max(ends, now)  # past its end, a source still waits for something that may come at any moment
        if live and settled and now + took <= end <= now + NEAR_END:
            try:
                ahead(_found_so_far(sources, found, seen))
            except Exception:  # a source's bug: its collect() still says what it found
                live = []
            took = time.monotonic() - now
            handed, not_before = True, now + 3 * took


def _found_so_far(
    sources: Sequence[DeviceSource], found: dict[int, SourceResult], seen: dict[int, int]
) -> list[Observation]:
    """Every observation so far, in the sources' order: the done sources' and what the others found so far
    (``seen`` is given the versions they were taken at)."""
    observations: list[Observation] = []
    for source in sources:
        if id(source) in seen:
            seen[id(source)], so_far = source.found_so_far()
            observations += so_far
        else:
            observations += found[id(source)].observations
    return observations


def _collect(source: DeviceSource) -> SourceResult:
    try:
        return source.collect()
    except Exception as e:  # a source bug must not cost the whole scan
        import logging  # only here: a scan of files alone never logs

        logging.getLogger(__name__).exception("source %s failed", source.name)
        return SourceResult(source=source.name, skipped=f"failed unexpectedly: {e}")


def scan(
    inventory: StrPath,
    rules: RuleSet,
    sources: Sequence[DeviceSource] = (),
    *,
    index: Index | None = None,
    save: bool = True,
    now: dt.datetime | None = None,
    partial: bool = False,
    last_good: ScanResult | None = None,
    merged: Callable[[], None] | None = None,
    cache_dir: StrPath | None = None,
) -> ScanResult:
    """One pass. With ``partial``, a broken item is skipped and reported while every other item is still
    matched. ``merged`` is called right after this scan wrote the inventory (the daemon's file watch).
    ``cache_dir`` holds the rule caches (the shipped rules are read through one there)."""
    inventory = os.fspath(inventory)
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if last_good is not None:
        rules = rules.keeping(last_good.rules)
        if index is None and last_good.index is not None and rules.rules == last_good.rules.rules:
            index = last_good.index
    background = start_all(sources)  # the work below, which needs no device, is done while the network answers
    index = index or index_for(rules)
    from agent.rules.overrides import replaced_shipped

    replaced = replaced_shipped(rules, cache_dir)
    prepared = _prepare_merge(inventory) if background and save else None  # while the network answers
    drafts: list[Draft] = []
    results = collect(sources, background, ahead=_drafting(inventory, now, drafts) if background and save else None)
    observations = [o for r in results for o in r.observations]
    strict = last_good is None
    added, not_saved = _record(
        inventory,
        observations,
        now,
        save=save,
        merged=merged,
        strict=strict,
        prepared=prepared,
        drafted=drafts[-1] if drafts else None,
    )
    problems: tuple[Problem, ...] = ()
    try:
        loaded = store.load(inventory, partial=partial)
    except (RecallAgentError, OSError) as e:
        if last_good is None:
            raise
        loaded, problems = store.Inventory(inventory, last_good.items, last_good.skipped), problems_of(e, inventory)
    items = loaded.items
    if observations and not save:
        kept = [o for o in observations if not is_ignored(o.identity, loaded.ignored)]
        items = items + _unsaved(items, kept, now)
    findings = tuple(index.match(items, now.astimezone().date()))
    skipped = loaded.problems
    return ScanResult(
        findings, items, tuple(results), rules, added, inventory, skipped, replaced, problems, not_saved, index
    )


def _record(
    path: str,
    observations: list[Observation],
    now: dt.datetime,
    *,
    save: bool,
    merged: Callable[[], None] | None,
    strict: bool,
    prepared: store.Prepared | None = None,
    drafted: Draft | None = None,
) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """Merge what the sources saw, when saving: (ids added, why it could not be written). ``strict``: raise.
    ``drafted`` is written as it is if it was drafted from these observations."""
    if not observations or not save:
        return (), ()
    try:
        return _merge(path, observations, now, merged, prepared, drafted=drafted), ()
    except (RecallAgentError, OSError) as e:
        if strict:
            raise
        return (), problems_of(e, path)  # the inventory as it is is still checked


def _prepare_merge(inventory: str) -> store.Prepared | None:
    """Load the inventory editor (tomlkit) and parse the inventory with it now, while the sources run,
    rather than after them; the merge uses that parse only if the file has not changed meanwhile."""
    import agent.inventory.merge  # noqa: F401 - loaded for later; _merge imports what it uses

    return store.prepare_edit(inventory)


def _drafting(inventory: str, now: dt.datetime, drafts: list[Draft]) -> Callable[[list[Observation]], None]:
    """Draft the merge of what the sources found so far, while the network still answers (``collect``'s
    ``ahead``): the merge writes the last draft as it is if nothing more was found."""

    def make(observations: list[Observation]) -> None:
        from agent.inventory.merge import draft

        made = draft(inventory, observations, now) if observations else None
        drafts[:] = [made] if made is not None else []

    return make


def _merge(
    path: str,
    observations: list[Observation],
    now: dt.datetime,
    merged: Callable[[], None] | None,
    prepared: store.Prepared | None = None,
    *,
    drafted: Draft | None = None,
) -> tuple[str, ...]:
    """Record what the sources saw in the inventory; the ids of the items added."""
    from agent.inventory.merge import merge

    added = merge(path, observations, now, prepared, drafted).added
    if merged is not None:
        merged()
    return added


def problems_of(error: RecallAgentError | OSError, path: StrPath) -> tuple[Problem, ...]:
    """The problems an inventory error stands for, as values."""
    if isinstance(error, ProblemList):
        return tuple(error.problems)
    if isinstance(error, InputFileError):
        return (error.as_problem(),)
    if isinstance(error, OSError):
        return (Problem(path=str(path), message=error.strerror or str(error)),)
    return (Problem(path=str(path), message=str(error)),)


def _unsaved(items: tuple[Item, ...], observations: list[Observation], now: dt.datetime) -> tuple[Item, ...]:
    """Without saving, discovered devices still get matched, as temporary items."""
    from agent.inventory.merge import assign

    out = []
    for n, (obs, item_id) in enumerate(assign(items, observations)):
        if item_id is None:
            out.append(
                Item(
                    id=f"unsaved-{n + 1}",
                    source=obs.source,
                    discovered=obs.identity,
                    locator=obs.locator,
                    first_seen=now,
                    last_seen=now,
                    usb=obs.usb,
                    mdns=obs.mdns,
                )
            )
    return tuple(out)
