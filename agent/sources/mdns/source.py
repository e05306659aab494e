"""MdnsSource: the devices that announce themselves over mDNS/DNS-SD on the local network.

Browses the service types home devices use, plus whatever else the network enumerates under
``_services._dns-sd._udp``, for a bounded window; resolves each service and merges the services of one
device into one Observation (see mdns_facts and mdns_merge for the pure conversion).

``collect`` returns once the network has gone quiet (see quiet.py), at the latest after ``window``
seconds plus a short resolve grace. ``start`` asks the first one-shot questions (oneshot.py) at once, on
the caller's thread, and leaves the rest of the browse to a thread of its own, so a scan can load its
rules and read its other sources while responders take their time; ``collect`` then waits for it. The
first questions go out before python-zeroconf is even imported. Call
``collect`` from a plain thread, not from inside a running asyncio event loop (Zeroconf would attach to
that loop).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from agent.model import MdnsFacts, Observation
from agent.record import Record
from agent.sources.base import DeviceSource, SoFar, SourceResult
from agent.sources.mdns.convert import first_questions
from agent.sources.mdns.net import InterfacePlan, current_interfaces
from agent.sources.mdns.oneshot import OneShot

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing before the first question
if TYPE_CHECKING:
    from zeroconf import Zeroconf

RESOLVE_GRACE = 1.0  # seconds after the window for answers to questions asked late


class MdnsProgress(Record, kw_only=True):
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


class Board:
    """What a one-shot browse has found so far: posted by the browse's thread as it goes, read by the
    scan's while it waits (``MdnsSource.so_far``)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._version = 0
        self._ends_at = 0.0
        self._services: tuple[MdnsFacts, ...] = ()
        self._over = False

    def post(self, services: tuple[MdnsFacts, ...], ends_at: float) -> None:
        with self._changed:
            self._version += 1
            self._services, self._ends_at = services, ends_at
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._over = True
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, float, tuple[MdnsFacts, ...]] | None:
        """(version, ends_at, services) once the version is not ``seen`` or ``timeout`` is over; None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._over or self._version != seen, timeout)
            return None if self._over else (self._version, self._ends_at, self._services)


class _Asked:
    """The first one-shot questions, asked: on which interfaces, from which sockets, when."""

    __slots__ = ("at", "oneshot", "plan")

    def __init__(self, plan: InterfacePlan, oneshot: OneShot, at: float) -> None:
        self.plan, self.oneshot, self.at = plan, oneshot, at


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
        self._running: threading.Thread | None = None
        self._board: Board | None = None  # what the background browse has found so far
        self._outcome: list[SourceResult | BaseException] = []
        self._stopping = False  # a plain flag: stop() runs in signal handlers, which must take no lock

    def stop(self) -> None:
        """End a browse in progress at once (a stopping service must not wait out the window)."""
        self._stopping = True

    def _stopped(self) -> bool:
        return self._stopping

    def start(self) -> bool:
        """Begin a one-shot browse in the background (not with an injected or the daemon's Zeroconf). The
        first one-shot questions leave on the caller's thread before this returns: a thread of its own
        would wait for its turn (the caller goes on loading the program), and the late-answer clock runs
        from when they leave."""
        if self._running is None and self._zeroconf is None and self._zeroconf_now is None and not self._stopping:
            asked = self._ask_first()
            self._board = Board()
            self._running = threading.Thread(
                target=self._run_once, args=(asked, self._board), name="mdns-scan", daemon=True
            )
            self._running.start()
        return self._running is not None

    def _run_once(self, asked: _Asked | SourceResult, board: Board) -> None:
        try:
            self._outcome.append(asked if isinstance(asked, SourceResult) else self._browse_once(asked, board))
        except BaseException as e:  # handed to collect(), which raises it on the caller's thread
            self._outcome.append(e)
        finally:
            board.close()

    def so_far(self, seen: int, timeout: float) -> SoFar | None:
        board = self._board
        news = board.wait(seen, timeout) if board is not None and self._running is not None else None
        return None if news is None else SoFar(version=news[0], ends_at=news[1])

    def found_so_far(self) -> tuple[int, tuple[Observation, ...]]:
        """What the background browse has found so far, as the devices ``collect`` would return now."""
        news = self._board.wait(-1, 0.0) if self._board is not None else None
        if news is None:
            return 0, ()
        from agent.sources.mdns.merge import observations_from_services

        return news[0], tuple(observations_from_services(news[2]))

    def collect(self) -> SourceResult:
        if self._stopping and self._running is None:
            return SourceResult(source=self.name, skipped="stopping")
        if self._running is not None:
            self._running.join()
            self._running = None
            outcome = self._outcome.pop()
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome
        if self._zeroconf_now is not None:
            zc = self._zeroconf_now()
            if zc is None:
                return SourceResult(source=self.name, skipped="no interface to browse mDNS on yet")
            return self._scan(zc, ())
        if self._zeroconf is not None:
            return self._scan(self._zeroconf, ())
        asked = self._ask_first()
        return asked if isinstance(asked, SourceResult) else self._browse_once(asked)

    def _ask_first(self) -> _Asked | SourceResult:
        """Open the one-shot sockets and ask the first questions; why not, as a skipped result."""
        plan = current_interfaces(self.interfaces)
        if not plan.bind:
            reason = "; ".join(plan.problems) or "no multicast-capable network interface is up"
            return SourceResult(source=self.name, skipped=f"no interface to browse mDNS on: {reason}")
        try:
            oneshot = OneShot(plan)
        except OSError as e:
            return SourceResult(source=self.name, skipped=f"cannot open mDNS sockets on {', '.join(plan.names)}: {e}")
        try:
            asked = time.monotonic()
            oneshot.ask_types(first_questions())
        except BaseException:
            oneshot.close()
            raise
        return _Asked(plan, oneshot, asked)

    def _browse_once(self, asked: _Asked, board: Board | None = None) -> SourceResult:
        """The browse on a Zeroconf of its own, after the first one-shot questions went out (``_ask_first``)."""
        plan, oneshot = asked.plan, asked.oneshot
        try:
            from zeroconf import Zeroconf

            try:
                zc = Zeroconf(interfaces=list(plan.bind))
            except (OSError, RuntimeError, ValueError) as e:
                names = ", ".join(plan.names)
                return SourceResult(source=self.name, skipped=f"cannot open mDNS sockets on {names}: {e}")
            try:
                oneshot.attach(zc)
                return self._scan(zc, plan.problems, oneshot, asked.at, board)
            finally:
                oneshot.close()  # before Zeroconf, so no answer is handed to a closed one
                zc.close()
        finally:
            oneshot.close()

    def _scan(
        self,
        zc: Zeroconf,
        problems: tuple[str, ...],
        oneshot: OneShot | None = None,
        start: float | None = None,
        board: Board | None = None,
    ) -> SourceResult:
        from agent.sources.mdns.browse import Scan
        from agent.sources.mdns.merge import observations_from_services

        try:
            post = board.post if board is not None else None
            scan = Scan(zc, self.window, self._progress, oneshot, start, stopped=self._stopped, post=post)
            services, warnings = scan.run()
        except (OSError, RuntimeError) as e:  # a socket error, or an injected Zeroconf already closed
            return SourceResult(source=self.name, skipped=f"mDNS browse failed: {e}")
        return SourceResult(
            source=self.name,
            observations=tuple(observations_from_services(services)),
            warnings=(*problems, *warnings),
        )
