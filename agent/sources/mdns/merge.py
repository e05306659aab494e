"""Merge the services one device announces into one Observation with a stable identity.

Services are linked when they share a stable TXT id (HomeKit id, Chromecast id, UUID, serial, a
burned-in MAC) or a host name. A host that proxies several devices (a print server with two printers,
a bridge) announces different ids of one kind; its services are then split by instance name instead.
The identity comes from the strongest id, else the host name, else the service and instance name,
never from an address or a locally administered (randomised) MAC.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from agent.model import MdnsFacts, Observation
from agent.sources.mdns.convert import DEVICE_TYPES, clean_addresses, service_priority

MAX_DEVICE_TXT = 128
# Id kinds, strongest first: the first one a device has becomes its identity.
ID_KINDS = ("hap", "cast", "uuid", "serial", "mac", "hue", "matter")
_TOKEN = re.compile(r"[^0-9a-z._-]+")
_HEX12 = re.compile(r"^[0-9a-f]{12}$")


def _token(value: str, limit: int = 64) -> str:
    return _TOKEN.sub("", value.lower())[:limit]


def mac_id(value: str) -> str:
    """Twelve hex digits of a globally administered unicast MAC; "" for a randomised or odd one."""
    digits = re.sub(r"[:\-.]", "", value.strip().lower())
    if not _HEX12.match(digits) or digits in ("000000000000", "ffffffffffff"):
        return ""
    first = int(digits[:2], 16)
    return "" if first & 0x03 else digits  # 0x02: locally administered; 0x01: multicast


def stable_ids(facts: MdnsFacts) -> tuple[tuple[str, str], ...]:
    """(kind, value) ids that name the physical device behind one service, in ID_KINDS order."""
    type_ = facts.services[0] if facts.services else ""
    txt = dict(facts.txt)
    found: list[tuple[str, str]] = []

    def add(kind: str, value: str) -> None:
        if value and (kind, value) not in found:
            found.append((kind, value))

    if type_ in ("_hap._tcp", "_hap._udp"):
        add("hap", _token(txt.get("id", "").replace(":", "")))
    if type_ == "_googlecast._tcp":
        add("cast", _token(txt.get("id", "")))
    add("uuid", _token(txt.get("uuid", "").removeprefix("urn:uuid:")))
    serial = _token(txt.get("serialnumber") or txt.get("serial") or txt.get("sn") or "")
    if serial:
        model = _token(facts.model)
        add("serial", f"{model}:{serial}" if model else serial)
    for key in ("deviceid", "mac"):
        add("mac", mac_id(txt.get(key, "")))
    if type_ == "_raop._tcp" and "@" in facts.instance:
        add("mac", mac_id(facts.instance.split("@", 1)[0]))  # "AABBCCDDEEFF@Living Room"
    if type_ == "_hue._tcp":
        add("hue", _token(txt.get("bridgeid", "")))
    if type_ == "_matter._tcp":
        add("matter", _token(facts.instance))  # "<compressed fabric id>-<node id>"
    return tuple(sorted(found, key=lambda item: ID_KINDS.index(item[0])))


class _Groups:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)

    def union_all(self, members: Sequence[int]) -> None:
        for other in members[1:]:
            self.union(members[0], other)


def group_services(services: Sequence[MdnsFacts]) -> list[list[int]]:
    """Indexes of ``services`` grouped by physical device."""
    groups = _Groups(len(services))
    ids = [stable_ids(s) for s in services]
    by_id: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_host: dict[str, list[int]] = defaultdict(list)
    for i, service in enumerate(services):
        for key in ids[i]:
            by_id[key].append(i)
        if service.hostname:
            by_host[service.hostname].append(i)
    for members in by_id.values():
        groups.union_all(members)
    for members in by_host.values():
        if _is_proxy(ids[i] for i in members):
            by_instance: dict[str, list[int]] = defaultdict(list)
            for i in members:
                by_instance[services[i].instance].append(i)
            for same in by_instance.values():
                groups.union_all(same)
        else:
            groups.union_all(members)
    _attach_unresolved(services, groups)
    found: dict[int, list[int]] = defaultdict(list)
    for i in range(len(services)):
        found[groups.find(i)].append(i)
    return list(found.values())


def _is_proxy(ids: Iterable[tuple[tuple[str, str], ...]]) -> bool:
    """A host announcing two different ids of one kind speaks for several devices."""
    seen: dict[str, set[str]] = defaultdict(set)
    for service_ids in ids:
        for kind, value in service_ids:
            seen[kind].add(value)
    return any(len(values) > 1 for values in seen.values())


def _attach_unresolved(services: Sequence[MdnsFacts], groups: _Groups) -> None:
    """A service without a host name joins the one device of the same instance name, if there is one."""
    roots_by_instance: dict[str, set[int]] = defaultdict(set)
    for i, service in enumerate(services):
        if service.hostname:
            roots_by_instance[service.instance].add(groups.find(i))
    hostless: dict[str, int] = {}
    for i, service in enumerate(services):
        if service.hostname:
            continue
        roots = roots_by_instance.get(service.instance, set())
        if len(roots) == 1:
            groups.union(i, next(iter(roots)))
        elif service.instance in hostless:
            groups.union(i, hostless[service.instance])
        else:
            hostless[service.instance] = i


def merge_facts(services: Sequence[MdnsFacts]) -> MdnsFacts:
    """One device's facts from all its services; the most telling service type speaks first."""
    ordered = sorted(services, key=lambda s: (service_priority(_type(s)), s.instance, s.hostname))
    txt = sorted({pair for s in ordered for pair in s.txt})
    return MdnsFacts(
        instance=next((s.instance for s in ordered if s.instance), ""),
        hostname=next((s.hostname for s in ordered if s.hostname), ""),
        services=tuple(sorted({t for s in ordered for t in s.services})),
        txt=tuple(txt[:MAX_DEVICE_TXT]),
        manufacturer=next((s.manufacturer for s in ordered if s.manufacturer), ""),
        model=next((s.model for s in ordered if s.model), ""),
        addresses=clean_addresses(a for s in ordered for a in s.addresses),
    )


def _type(facts: MdnsFacts) -> str:
    return facts.services[0] if facts.services else ""


def identity_key(services: Sequence[MdnsFacts], merged: MdnsFacts) -> str:
    """The stable key of one device: its strongest id, else its host name, else service and instance."""
    ids = {key for s in services for key in stable_ids(s)}
    if ids:
        kind, value = min(ids, key=lambda item: (ID_KINDS.index(item[0]), item[1]))
        return f"{kind}:{value}"
    if merged.hostname:
        return f"host:{merged.hostname.removesuffix('.local')}"
    first = min(services, key=lambda s: (service_priority(_type(s)), s.instance))
    return f"instance:{_type(first)}:{first.instance.lower()}"


def is_device(facts: MdnsFacts) -> bool:
    """A web server or a computer alone is not an item; a known device type or a model fact is."""
    return bool(facts.model or facts.manufacturer or any(t in DEVICE_TYPES for t in facts.services))


def observations_from_services(services: Sequence[MdnsFacts]) -> list[Observation]:
    """One Observation per physical device, sorted by identity."""
    found: dict[str, Observation] = {}
    for members in group_services(services):
        group = [services[i] for i in members]
        merged = merge_facts(group)
        if not is_device(merged):
            continue
        identity = "mdns:" + identity_key(group, merged)
        locator = merged.addresses[0] if merged.addresses else merged.hostname or merged.instance
        if identity in found:  # two groups with one identity: keep both facts as one device
            merged = merge_facts([*group, *_as_list(found[identity].mdns)])
        found[identity] = Observation(source="mdns", identity=identity, locator=locator, mdns=merged)
    return [found[k] for k in sorted(found)]


def _as_list(facts: MdnsFacts | None) -> list[MdnsFacts]:
    return [facts] if facts else []
