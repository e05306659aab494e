"""MdnsSource: the devices that announce themselves over mDNS/DNS-SD on the local network.

Browses the service types home devices use, plus whatever else the network enumerates under
``_services._dns-sd._udp``, for a bounded window; resolves each service and merges the services of one
device into one Observation (see mdns_facts and mdns_merge for the pure conversion).

``collect`` returns once the network has gone quiet (see quiet.py), at the latest after ``window``
seconds plus a short resolve grace. Call it from a plain thread, not from inside a running asyncio event
loop (Zeroconf would attach to that loop).
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from zeroconf import ServiceBrowser, ServiceInfo, ServiceListener, Zeroconf

from agent.model import MdnsFacts
from agent.sources.base import DeviceSource, SourceResult
from agent.sources.mdns.convert import (
    DEVICE_TYPES,
    IGNORED_TYPES,
    WEAK_TYPES,
    facts_from_service_info,
    instance_name,
    service_type,
)
from agent.sources.mdns.merge import observations_from_services
from agent.sources.mdns.net import current_interfaces
from agent.sources.mdns.oneshot import OneShot
from agent.sources.mdns.quiet import FIRST_QUERY_DELAY, RESOLVE_PATIENCE, Quiet
from agent.sources.mdns.text import clean_text

log = logging.getLogger(__name__)

ENUMERATION = "_services._dns-sd._udp.local."
MAX_SERVICES = 512  # service instances resolved per scan; a flood past this is cut off
MAX_EXTRA_TYPES = 64  # enumerated types outside the known list that are browsed
RESOLVE_GRACE = 1.0  # seconds after the window for answers to questions asked late
_TICK = 0.1


@dataclass(frozen=True, slots=True, kw_only=True)
class MdnsProgress:
    """One step of a scan, for a terminal progress line."""

    elapsed: float
    window: float
    services: int
    resolved: int
    done: bool = False

    def __str__(self) -> str:
        if self.done:
            return f"network: {self.services} services, {self.resolved} resolved"
        left = max(self.window - self.elapsed, 0.0)
        return f"network: browsing, {self.services} services found, {self.resolved} resolved, {left:.0f}s left"


ProgressCallback = Callable[[MdnsProgress], None]


_Resolving: TypeAlias = "concurrent.futures.Future[ServiceInfo | None]"


class _Listener(ServiceListener):
    """Browser callbacks run on zeroconf's threads: they only queue names, never block.

    The same queue carries each resolve as it finishes, so the scan counts it (and reports progress) at once.
    """

    def __init__(self) -> None:
        self.found: queue.SimpleQueue[tuple[str, str] | _Resolving] = queue.SimpleQueue()

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.found.put((type_, name))

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.found.put((type_, name))

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        """A service that said goodbye during the window was still seen; keep it."""


def _full_type(type_: str) -> str:
    return f"{type_}.local."


class MdnsSource(DeviceSource):
    """Devices on the local network. ``zeroconf`` is injected by tests and the daemon; it is never closed here."""

    name = "mdns"

    def __init__(
        self,
        window: float = 3.0,
        interfaces: list[str] | None = None,
        zeroconf: Zeroconf | None = None,
        progress: ProgressCallback | None = None,
        zeroconf_now: Callable[[], Zeroconf | None] | None = None,
    ) -> None:
        if not window > 0:
            raise ValueError(f"the mDNS browse window must be positive, got {window}")
        self.window = float(window)
        self.interfaces = list(interfaces) if interfaces is not None else None
        self._zeroconf = zeroconf
        self._progress = progress
        self._zeroconf_now = zeroconf_now  # the daemon's browser, which follows the network (follow.py)

    def collect(self) -> SourceResult:
        if self._zeroconf_now is not None:
            zc = self._zeroconf_now()
            if zc is None:
                return SourceResult(source=self.name, skipped="no interface to browse mDNS on yet")
            return self._scan(zc, ())
        if self._zeroconf is not None:
            return self._scan(self._zeroconf, ())
        return self._scan_once()

    def _scan_once(self) -> SourceResult:
        """A browse on a Zeroconf of its own, with one-shot questions beside it (see oneshot.py)."""
        plan = current_interfaces(self.interfaces)
        if not plan.bind:
            reason = "; ".join(plan.problems) or "no multicast-capable network interface is up"
            return SourceResult(source=self.name, skipped=f"no interface to browse mDNS on: {reason}")
        try:
            zc = Zeroconf(interfaces=list(plan.bind))
        except (OSError, RuntimeError, ValueError) as e:
            return SourceResult(source=self.name, skipped=f"cannot open mDNS sockets on {', '.join(plan.names)}: {e}")
        try:
            oneshot = OneShot(zc, plan)
        except OSError as e:
            zc.close()
            return SourceResult(source=self.name, skipped=f"cannot open mDNS sockets on {', '.join(plan.names)}: {e}")
        try:
            return self._scan(zc, plan.problems, oneshot)
        finally:
            oneshot.close()
            zc.close()

    def _scan(self, zc: Zeroconf, problems: tuple[str, ...], oneshot: OneShot | None = None) -> SourceResult:
        try:
            services, warnings = _Scan(zc, self.window, self._progress, oneshot).run()
        except (OSError, RuntimeError) as e:  # a socket error, or an injected Zeroconf already closed
            return SourceResult(source=self.name, skipped=f"mDNS browse failed: {e}")
        return SourceResult(
            source=self.name,
            observations=tuple(observations_from_services(services)),
            warnings=(*problems, *warnings),
        )


class _Scan:
    """One bounded browse-and-resolve pass over an open Zeroconf."""

    def __init__(
        self, zc: Zeroconf, window: float, progress: ProgressCallback | None, oneshot: OneShot | None = None
    ) -> None:
        self.zc = zc
        self.oneshot = oneshot
        self.window = window
        self.progress = progress
        self.listener = _Listener()
        self.browsed: set[str] = {*DEVICE_TYPES, *WEAK_TYPES}
        self.extra_types = 0
        self.overflow = False
        self.pending: dict[tuple[str, str], _Resolving] = {}
        self.resolved = 0
        self.resolving = 0  # submitted resolves whose result the loop has not taken yet
        self.warnings: list[str] = []
        self.start = time.monotonic()
        self.deadline = self.start + window
        self.quiet = Quiet(self.start, window)

    def run(self) -> tuple[list[MdnsFacts], list[str]]:
        browsers = [ServiceBrowser(self.zc, [_full_type(t) for t in sorted(self.browsed)], listener=self.listener)]
        browsers.append(ServiceBrowser(self.zc, ENUMERATION, listener=self.listener))
        self._ask([*(_full_type(t) for t in sorted(self.browsed)), ENUMERATION])
        with concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="mdns-resolve") as pool:
            try:
                while not self.quiet.over(now := time.monotonic(), self.resolving):
                    wait = self.deadline - now if self.resolving else self.quiet.ends_at() - now
                    self._drain(pool, browsers, timeout=min(_TICK, wait))
                    self._report(done=False)
            finally:
                for browser in browsers:
                    browser.cancel()
            concurrent.futures.wait(self.pending.values())
        services = self._facts()
        self._report(done=True)
        return services, self.warnings

    def _drain(self, pool: concurrent.futures.Executor, browsers: list[ServiceBrowser], timeout: float) -> None:
        try:
            item: tuple[str, str] | _Resolving | None = self.listener.found.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return
        self.quiet.heard(time.monotonic())
        while item is not None:
            if isinstance(item, concurrent.futures.Future):
                self.resolving -= 1
                self.resolved += _answered(item)
                item = self._next()
                continue
            type_, name = item
            if type_.lower() == ENUMERATION:
                self._browse_type(name, browsers)
            elif (type_, name) not in self.pending:
                self._resolve(pool, type_, name)
            item = self._next()

    def _ask(self, types: list[str]) -> None:
        """The first questions for new types: one-shot ones now, else the browser's within its first delay."""
        if self.oneshot is None:
            self.quiet.asked(time.monotonic() + FIRST_QUERY_DELAY)
            return
        self.oneshot.ask_types(types)
        self.quiet.asked(time.monotonic())

    def _next(self) -> tuple[str, str] | _Resolving | None:
        try:
            return self.listener.found.get_nowait()
        except queue.Empty:
            return None

    def _browse_type(self, full_type: str, browsers: list[ServiceBrowser]) -> None:
        type_ = service_type(full_type)
        if type_ in self.browsed or type_ in IGNORED_TYPES or not type_.startswith("_"):
            return
        self.browsed.add(type_)
        if self.extra_types >= MAX_EXTRA_TYPES:
            return
        self.extra_types += 1
        try:
            browsers.append(ServiceBrowser(self.zc, full_type, listener=self.listener))
            self._ask([full_type])
        except Exception as e:  # a malformed type name from the network must not end the scan
            log.debug("cannot browse %r: %s", full_type, e)

    def _resolve(self, pool: concurrent.futures.Executor, type_: str, name: str) -> None:
        if len(self.pending) >= MAX_SERVICES:
            if not self.overflow:
                self.overflow = True
                self.warnings.append(f"more than {MAX_SERVICES} services announced; the rest were ignored")
            return
        until = min(self.deadline + RESOLVE_GRACE, time.monotonic() + RESOLVE_PATIENCE)
        ask = self.oneshot.ask_service if self.oneshot is not None else None
        future = pool.submit(_resolve, self.zc, type_, name, until, ask)
        self.pending[(type_, name)] = future
        self.resolving += 1
        future.add_done_callback(self.listener.found.put)

    def _facts(self) -> list[MdnsFacts]:
        services: list[MdnsFacts] = []
        unresolved = 0
        for (type_, name), future in self.pending.items():
            try:
                info = future.result()
                if info is None:
                    unresolved += 1
                    services.append(_unresolved_facts(type_, name))
                else:
                    services.append(facts_from_service_info(info))
            except Exception as e:  # one malformed answer must not cost the other devices
                self.warnings.append(f"could not read service {clean_text(name)!r}: {type(e).__name__}")
        if unresolved:
            self.warnings.append(f"{unresolved} announced services did not answer in time")
        return services

    def _report(self, *, done: bool) -> None:
        if self.progress is None:
            return
        if done:  # resolves that finished after the browse loop ended
            self.resolved = sum(_answered(f) for f in self.pending.values())
        self.progress(
            MdnsProgress(
                elapsed=time.monotonic() - self.start,
                window=self.window,
                services=len(self.pending),
                resolved=self.resolved,
                done=done,
            )
        )


def _answered(future: _Resolving) -> int:
    """1 for a finished resolve that got its answer, else 0."""
    return int(future.done() and future.exception() is None and future.result() is not None)


def _resolve(
    zc: Zeroconf, type_: str, name: str, until: float, ask: Callable[[str], None] | None = None
) -> ServiceInfo | None:
    """Resolve from the cache, else ask until ``until`` (monotonic); a task that starts late asks not at all.
    ``ask`` puts a one-shot question beside the resolve's own multicast ones."""
    info = ServiceInfo(type_, name)
    if info.load_from_cache(zc):
        return info
    if ask is not None:
        ask(name)
    left = until - time.monotonic()
    if left > 0.05 and info.request(zc, left * 1000):
        return info
    return None


def _unresolved_facts(type_: str, name: str) -> MdnsFacts:
    """A service that never answered still says its instance name and type."""
    return MdnsFacts(instance=instance_name(name, type_), services=(clean_text(service_type(type_)),))
