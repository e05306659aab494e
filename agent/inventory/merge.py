"""Merge what the sources saw into the inventory file without touching anything the person typed."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tomlkit import TOMLDocument
from tomlkit.items import Table

from agent import datetimes as dt
from agent.inventory.comments import replace_keeping_comments
from agent.inventory.parse import is_ignored, read_items
from agent.inventory.store import (
    Drafted,
    Prepared,
    commit_draft,
    draft_edit,
    editing,
    item_table,
    items_table,
    new_id,
)
from agent.model import HomeAssistantFacts, Item, MdnsFacts, Observation, UsbFacts
from agent.record import Record, fields

if TYPE_CHECKING:
    from agent.paths import StrPath


class MergeSummary(Record):
    added: tuple[str, ...]  # ids of the items this merge created


def assign(items: Iterable[Item], observations: Iterable[Observation]) -> list[tuple[Observation, str | None]]:
    """Pair each observation with the item it is, or None for a new one.

    Same identity first; among several candidates (identical devices without serials) the one last seen at
    the same locator wins, then the most recently seen. Failing that, an item of the same family last seen
    at the same locator. Two devices seen at once never share an item.
    """
    by_identity: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.discovered:
            by_identity[item.discovered].append(item)
    groups: dict[str, list[Observation]] = defaultdict(list)
    for observation in observations:
        groups[observation.identity].append(observation)
    pairs: list[tuple[Observation, str | None]] = []
    for identity, seen in groups.items():
        free = list(by_identity.get(identity, []))
        waiting: list[Observation] = []
        for observation in seen:
            same_place = next((i for i in free if i.locator and i.locator == observation.locator), None)
            if same_place is None:
                waiting.append(observation)
            else:
                free.remove(same_place)
                pairs.append((observation, same_place.id))
        oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        free.sort(key=lambda i: i.last_seen or oldest, reverse=True)
        for observation in waiting:
            pairs.append((observation, free.pop(0).id if free else None))
    return _same_family_same_place(pairs, list(items))


def _same_family_same_place(
    pairs: list[tuple[Observation, str | None]], items: list[Item]
) -> list[tuple[Observation, str | None]]:
    """A device whose identity reads differently this time keeps an unclaimed item of its family at its place."""
    taken = {item_id for _, item_id in pairs if item_id}
    out: list[tuple[Observation, str | None]] = []
    for observation, known in pairs:
        found = known
        if found is None and observation.family and observation.locator:
            found = next(
                (
                    i.id
                    for i in items
                    if i.id not in taken
                    and i.locator == observation.locator
                    and i.discovered.startswith(observation.family + ":")
                ),
                None,
            )
            if found:
                taken.add(found)
        out.append((observation, found))
    return out


class Draft(Record):
    """A merge worked out ahead (``draft``) for these observations at ``now``, not yet written."""

    observations: tuple[Observation, ...]
    now: dt.datetime
    edit: Drafted
    added: tuple[str, ...]


def draft(path: StrPath, observations: Iterable[Observation], now: dt.datetime) -> Draft | None:
    """What ``merge`` would write for ``observations`` at ``now``, worked out now without writing (a scan
    does it while the network still answers); None when it cannot be (``merge`` then says why)."""
    observations = tuple(observations)
    added: list[str] = []
    try:
        edit = draft_edit(path, lambda doc: added.extend(_merge_into(doc, path, observations, now)))
    except Exception:  # a problem with the file is reported by the merge itself, as without a draft
        return None
    return Draft(observations, now, edit, tuple(added))


def merge(
    path: StrPath,
    observations: Iterable[Observation],
    now: dt.datetime,
    prepared: Prepared | None = None,
    drafted: Draft | None = None,
) -> MergeSummary:
    """``prepared``: the inventory parsed ahead (store.prepare_edit), used if the file has not changed since.
    ``drafted``: this merge worked out ahead (``draft``), written as it is if it was drafted for the same
    observations at the same time and the file has not changed since."""
    observations = list(observations)
    if not observations:
        return MergeSummary(())
    fits = drafted is not None and drafted.now == now and drafted.observations == tuple(observations)
    if drafted is not None and fits and commit_draft(path, drafted.edit):
        return MergeSummary(drafted.added)
    with editing(path, prepared) as doc:
        added = _merge_into(doc, path, observations, now)
    return MergeSummary(tuple(added))


def _merge_into(doc: TOMLDocument, path: StrPath, observations: Sequence[Observation], now: dt.datetime) -> list[str]:
    """Merge into the inventory's document; the ids of the items added."""
    added: list[str] = []
    parsed = read_items(doc.unwrap(), os.fspath(path), "")
    current = parsed.items  # a broken item is left as it is
    table = items_table(doc)
    whole = {item.id for item in current}
    broken = {str(t.get("discovered", "")) for k, t in table.items() if k not in whole and hasattr(t, "get")}
    observations = [  # a broken item's device is not added twice; an ignored device not at all
        o for o in observations if o.identity not in broken and not is_ignored(o.identity, parsed.ignored)
    ]
    for observation, known in assign(current, observations):
        item_id = known or new_id(set(table), _hint(observation), observation.source)
        if known is None:
            table.add(item_id, {"source": observation.source, "discovered": observation.identity, "first_seen": now})
            added.append(item_id)
        _update(item_table(doc, path, item_id), observation, now)
    return added


def _update(entry: Table, observation: Observation, now: dt.datetime) -> None:
    if observation.locator:
        entry["locator"] = observation.locator
    entry["last_seen"] = now
    for key, facts in (
        ("usb", observation.usb),
        ("mdns", observation.mdns),
        ("homeassistant", observation.homeassistant),
    ):
        if facts is None:
            continue
        fresh = facts_table(facts)
        old = entry.get(key)
        if isinstance(old, Table):  # what could not be read this time keeps its last known value
            known = old.unwrap()
            for name in getattr(facts, "unread", ()):
                if name in known and name not in fresh:
                    fresh[name] = known[name]
        if old is None or (isinstance(old, Table) and old.unwrap() != fresh):
            replace_keeping_comments(entry, key, fresh)


NOT_STORED = frozenset({"unread"})  # facts about this one reading, not about the device


def facts_table(facts: UsbFacts | MdnsFacts | HomeAssistantFacts) -> dict[str, Any]:
    """Facts as a TOML-ready table, leaving out empty values."""
    out: dict[str, Any] = {}
    for field in fields(facts):
        if field.name in NOT_STORED:
            continue
        value = getattr(facts, field.name)
        if value in ("", (), None):
            continue
        if field.name == "txt":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[field.name] = value
    return out


def _hint(observation: Observation) -> str:
    if observation.usb:
        usb = observation.usb
        name = usb.product or usb.product_name
        return name or f"usb {usb.vendor_id} {usb.product_id}"
    if observation.mdns:
        return observation.mdns.model or observation.mdns.instance or observation.mdns.hostname
    if observation.homeassistant:
        return observation.homeassistant.label
    return observation.source
