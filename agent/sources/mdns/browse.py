"""The browse itself, on python-zeroconf: browsers for the known and the enumerated service types, a
resolve for every service they name, and the quiet end (quiet.py); MdnsSource (source.py) runs it.

A resolve the cache cannot answer runs as a request on Zeroconf's own event loop, so nothing blocks a
thread on it: a browse told to stop (the service is stopping) cancels what is still waiting and returns
at once, and a request that can never finish (its Zeroconf was closed under it when the network
changed) is given up once the browse's resolve time is over.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import time
from collections.abc import Callable
from typing import TypeAlias

from zeroconf import ServiceBrowser, ServiceInfo, ServiceListener, Zeroconf

from agent.model import MdnsFacts
from agent.sources.mdns.convert import (
    DEVICE_TYPES,
    ENUMERATION,
    IGNORED_TYPES,
    WEAK_TYPES,
    facts_from_service_info,
    full_type,
    instance_name,
    service_type,
)
from agent.sources.mdns.oneshot import OneShot
from agent.sources.mdns.quiet import FIRST_QUERY_DELAY, RESOLVE_PATIENCE, Quiet
from agent.sources.mdns.source import RESOLVE_GRACE, MdnsProgress, ProgressCallback
from agent.sources.mdns.text import clean_text

log = logging.getLogger(__name__)

MAX_SERVICES = 512  # service instances resolved per scan; a flood past this is cut off
MAX_EXTRA_TYPES = 64  # enumerated types outside the known list that are browsed
_TICK = 0.1
_STRAGGLERS = 0.5  # seconds past the last resolve's own end before a request that never ended is dropped


_Resolving: TypeAlias = "concurrent.futures.Future[ServiceInfo | None]"


class _Done:
    """A resolve that finished, with the service it was for."""

    __slots__ = ("future", "key")

    def __init__(self, key: tuple[str, str], future: _Resolving) -> None:
        self.key, self.future = key, future


class _Listener(ServiceListener):
    """Browser callbacks run on zeroconf's threads: they only queue names, never block.

    The same queue carries each resolve as it finishes, so the scan reads it (and reports progress) at once.
    """

    def __init__(self) -> None:
        self.found: queue.SimpleQueue[tuple[str, str] | _Done] = queue.SimpleQueue()

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.found.put((type_, name))

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.found.put((type_, name))

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        """A service that said goodbye during the window was still seen; keep it."""


class Scan:
    """One bounded browse-and-resolve pass over an open Zeroconf.

    With ``oneshot``, the first one-shot questions for ``FIRST_TYPES`` went out at ``start`` (the caller
    asks them before opening Zeroconf, to gain the time that takes); without it the browse starts now.
    """

    def __init__(
        self,
        zc: Zeroconf,
        window: float,
        progress: ProgressCallback | None,
        oneshot: OneShot | None = None,
        start: float | None = None,
        *,
        stopped: Callable[[], bool] = lambda: False,
        post: Callable[[tuple[MdnsFacts, ...], float], None] | None = None,
    ) -> None:
        self.zc = zc
        self.post = post  # told what the browse has found so far, and when it would end, as that changes
        self.stopped = stopped
        self.oneshot = oneshot
        self.window = window
        self.progress = progress
        self.listener = _Listener()
        self.browsed: set[str] = {*DEVICE_TYPES, *WEAK_TYPES}
        self.extra_types = 0
        self.overflow = False
        self.pending: dict[tuple[str, str], _Resolving] = {}
        # What each finished resolve said, read as it finished: its facts, None (no answer) or a warning.
        self.read: dict[tuple[str, str], MdnsFacts | str | None] = {}
        self.resolved = 0
        self.resolving = 0  # submitted resolves whose result the loop has not taken yet
        self.warnings: list[str] = []
        self.start = time.monotonic() if start is None or oneshot is None else start
        self.deadline = self.start + window
        self.quiet = Quiet(self.start, window)

    def run(self) -> tuple[list[MdnsFacts], list[str]]:
        browsers = [ServiceBrowser(self.zc, [full_type(t) for t in sorted(self.browsed)], listener=self.listener)]
        browsers.append(ServiceBrowser(self.zc, ENUMERATION, listener=self.listener))
        if self.oneshot is None:
            self.quiet.asked(time.monotonic() + FIRST_QUERY_DELAY)
        else:
            self.quiet.asked(self.start)
        try:
            while not self.stopped() and not self.quiet.over(now := time.monotonic(), self.resolving):
                wait = self.deadline - now if self.resolving else self.quiet.ends_at() - now
                if self._drain(browsers, timeout=min(_TICK, wait)) and self.post is not None:
                    self.post(self._so_far(), self.quiet.ends_at())
                self._report(done=False)
        finally:
            for browser in browsers:
                browser.cancel()
            self._settle()
        services = self._facts()
        self._report(done=True)
        return services, self.warnings

    def _settle(self) -> None:
        """Let the resolves still waiting end by their own time, or cancel them when told to stop."""
        waiting = [f for f in self.pending.values() if not f.done()]
        if waiting and not self.stopped():
            left = self.deadline + RESOLVE_GRACE + _STRAGGLERS - time.monotonic()
            waiting = list(concurrent.futures.wait(waiting, timeout=max(left, 0.0)).not_done)
        loop = getattr(self.zc, "loop", None)
        if waiting and (loop is None or not loop.is_closed()):  # a closed loop runs nothing any more
            for future in waiting:
                future.cancel()

    def _drain(self, browsers: list[ServiceBrowser], timeout: float) -> bool:
        """Take what was heard, waiting up to ``timeout`` for the first of it; whether anything was."""
        try:
            item: tuple[str, str] | _Done | None = self.listener.found.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return False
        self.quiet.heard(time.monotonic())
        while item is not None:
            if isinstance(item, _Done):
                self.resolving -= 1
                self.resolved += _answered(item.future)
                self._read(item.key, item.future)
                item = self._next()
                continue
            type_, name = item
            if type_.lower() == ENUMERATION:
                self._browse_type(name, browsers)
            elif (type_, name) not in self.pending:
                self._resolve(type_, name)
            item = self._next()
        return True

    def _ask(self, types: list[str]) -> None:
        """The first questions for types learnt: one-shot ones now, else the browser's within its first delay."""
        if self.oneshot is None:
            self.quiet.asked(time.monotonic() + FIRST_QUERY_DELAY)
            return
        self.oneshot.ask_types(types)
        self.quiet.asked(time.monotonic())

    def _next(self) -> tuple[str, str] | _Done | None:
        try:
            return self.listener.found.get_nowait()
        except queue.Empty:
            return None

    def _browse_type(self, name: str, browsers: list[ServiceBrowser]) -> None:
        type_ = service_type(name)
        if type_ in self.browsed or type_ in IGNORED_TYPES or not type_.startswith("_"):
            return
        self.browsed.add(type_)
        if self.extra_types >= MAX_EXTRA_TYPES:
            return
        self.extra_types += 1
        try:
            browsers.append(ServiceBrowser(self.zc, name, listener=self.listener))
            self._ask([name])
        except Exception as e:  # a malformed type name from the network must not end the scan
            log.debug("cannot browse %r: %s", name, e)

    def _resolve(self, type_: str, name: str) -> None:
        if len(self.pending) >= MAX_SERVICES:
            if not self.overflow:
                self.overflow = True
                self.warnings.append(f"more than {MAX_SERVICES} services announced; the rest were ignored")
            return
        until = min(self.deadline + RESOLVE_GRACE, time.monotonic() + RESOLVE_PATIENCE)
        ask = self.oneshot.ask_service if self.oneshot is not None else None
        future = _resolve(self.zc, type_, name, until, ask)
        key = (type_, name)
        self.pending[key] = future
        self.resolving += 1
        found = self.listener.found
        future.add_done_callback(lambda done: found.put(_Done(key, done)))

    def _read(self, key: tuple[str, str], future: _Resolving) -> None:
        """Note what a resolve said: while the browse waits for the rest, not all at its end."""
        try:
            # One still waiting here (its loop closed under it) counts as unresolved rather than waited on.
            info = future.result() if future.done() and not future.cancelled() else None
            self.read[key] = None if info is None else facts_from_service_info(info)
        except Exception as e:  # one malformed answer must not cost the other devices
            self.read[key] = f"could not read service {clean_text(key[1])!r}: {type(e).__name__}"

    def _so_far(self) -> tuple[MdnsFacts, ...]:
        """The services as ``_facts`` would give them if the browse ended now (without its warnings)."""
        services: list[MdnsFacts] = []
        for key in self.pending:
            facts = self.read.get(key)
            if facts is None:  # no answer, or none yet
                services.append(_unresolved_facts(*key))
            elif not isinstance(facts, str):
                services.append(facts)
        return tuple(services)

    def _facts(self) -> list[MdnsFacts]:
        services: list[MdnsFacts] = []
        unresolved = 0
        for key, future in self.pending.items():
            if key not in self.read:  # it ended after the browse loop, or never
                self._read(key, future)
            facts = self.read[key]
            if facts is None:
                unresolved += 1
                services.append(_unresolved_facts(*key))
            elif isinstance(facts, str):
                self.warnings.append(facts)
            else:
                services.append(facts)
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
    return int(future.done() and not future.cancelled() and future.exception() is None and future.result() is not None)


def _resolve(
    zc: Zeroconf, type_: str, name: str, until: float, ask: Callable[[str, str], None] | None = None
) -> _Resolving:
    """Resolve from the cache, else ask until ``until`` (monotonic) on Zeroconf's loop; a resolve that starts
    late asks not at all. ``ask`` puts a one-shot question beside the request's own multicast ones."""
    info = ServiceInfo(type_, name)
    if info.load_from_cache(zc):
        return _finished(info)
    if ask is not None:
        ask(type_, name)
    left = until - time.monotonic()
    if left <= 0.05 or zc.loop is None:
        return _finished(None)
    return asyncio.run_coroutine_threadsafe(_request(zc, info, left), zc.loop)


async def _request(zc: Zeroconf, info: ServiceInfo, seconds: float) -> ServiceInfo | None:
    return info if await info.async_request(zc, seconds * 1000) else None


def _finished(info: ServiceInfo | None) -> _Resolving:
    future: _Resolving = concurrent.futures.Future()
    future.set_result(info)
    return future


def _unresolved_facts(type_: str, name: str) -> MdnsFacts:
    """A service that never answered still says its instance name and type."""
    return MdnsFacts(instance=instance_name(name, type_), services=(clean_text(service_type(type_)),))
