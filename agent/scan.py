"""One scan: run the sources, merge what they saw into the inventory, match every item against the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.inventory import store
from agent.inventory.parse import ItemProblem, is_ignored
from agent.matching.finding import Finding
from agent.matching.matcher import RuleIndex
from agent.model import Item, Observation
from agent.rules.load import RuleSet
from agent.sources.base import DeviceSource, SourceResult


@dataclass(frozen=True, slots=True)
class ScanResult:
    findings: tuple[Finding, ...]
    items: tuple[Item, ...]
    sources: tuple[SourceResult, ...]
    rules: RuleSet
    added: tuple[str, ...]
    inventory: Path
    skipped: tuple[ItemProblem, ...] = ()  # broken items left out of a partial scan, with their problems
    replaced: tuple[str, ...] = ()  # local rules that replace a shipped rule (agent.rules.overrides)

    @property
    def exit_code(self) -> int:
        return 1 if any(f.serious for f in self.findings) else 0


def collect(sources: Sequence[DeviceSource]) -> list[SourceResult]:
    results = []
    for source in sources:
        try:
            result = source.collect()
        except Exception as e:  # a source bug must not cost the whole scan
            import logging

            logging.getLogger(__name__).exception("source %s failed", source.name)
            result = SourceResult(source=source.name, skipped=f"failed unexpectedly: {e}")
        results.append(result)
    return results


def scan(
    inventory: Path,
    rules: RuleSet,
    sources: Sequence[DeviceSource] = (),
    *,
    index: RuleIndex | None = None,
    save: bool = True,
    now: dt.datetime | None = None,
    partial: bool = False,
) -> ScanResult:
    """With ``partial``, a broken item is skipped and reported while every other item is still matched."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    results = collect(sources)
    observations = [o for r in results for o in r.observations]
    added: tuple[str, ...] = ()
    if observations and save:
        from agent.inventory.merge import merge

        added = merge(inventory, observations, now).added
    loaded = store.load(inventory, partial=partial)
    items = loaded.items
    if observations and not save:
        kept = [o for o in observations if not is_ignored(o.identity, loaded.ignored)]
        items = items + _unsaved(items, kept, now)
    index = index or RuleIndex(rules.rules)
    findings = index.match(items, now.astimezone().date())
    from agent.rules.overrides import replaced_shipped

    replaced = replaced_shipped(rules)
    return ScanResult(tuple(findings), items, tuple(results), rules, added, inventory, loaded.problems, replaced)


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
