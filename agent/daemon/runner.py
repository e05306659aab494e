"""`recall-agent run`: rescan when something changes and at an interval, and tell the outlets once per
(item, recall). The rescan is the core scan pipeline (agent.scan) with the last good result kept."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent import acknowledge
from agent import datetimes as dt
from agent.daemon import sdnotify
from agent.daemon.wakeup import Wakeup
from agent.daemon.watch import FileWatch
from agent.errors import RecallAgentError
from agent.matching.finding import Finding
from agent.model import HandledStatus
from agent.notify import actions
from agent.notify.notice import Notice
from agent.outlets.build import OutletFactory
from agent.outlets.interface import Key, Outlet, OutletContext, Update
from agent.paths import Layout
from agent.quietlog import QuietLog
from agent.rules.cache import load_cached
from agent.scan import ScanResult, scan
from agent.sources.base import DeviceSource
from agent.sources.registry import Watch, Watched
from agent.state import NotifyState

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath

log = logging.getLogger(__name__)
Discover = Callable[[Callable[[str], None]], Watched]  # builds a source and its watcher around ``schedule``


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    interval: float = 3600.0  # full rescan at least this often, seconds
    debounce: float = 2.0  # wait this long after an event before rescanning
    file_check: float = 5.0  # look at the inventory and rule files this often
    remind_after: dt.timedelta | None = dt.timedelta(days=7)  # remind of unhandled likely findings
    extra_rules: tuple[Path, ...] = field(default=())


class Daemon:
    """One long-running agent; ``run`` blocks until ``stop``.

    ``sources`` are scanned as given; ``discover`` builds more sources with their watchers when ``run``
    starts (agent.sources.registry.watched). Every outlet is built from its factory (agent.outlets.build)
    with this daemon's ``answer`` and a way to wake its loop.
    """

    def __init__(
        self,
        layout: Layout,
        sources: Sequence[DeviceSource],
        outlets: Sequence[OutletFactory],
        *,
        settings: Settings = Settings(),
        discover: Sequence[Discover] = (),
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
    ) -> None:
        self.layout = layout
        self.sources = list(sources)
        self.settings = settings
        self.clock = clock
        self.state_file = Path(layout.state_dir, "notified.json")
        self.state = NotifyState.load(self.state_file)
        self.quiet = QuietLog(log)
        self.folders: list[tuple[StrPath, str]] = []
        self.folders = self._rule_folders()
        self.files = FileWatch(layout.inventory, self.folders)
        self.last = ScanResult.empty(layout.inventory)
        self.scans = 0
        self._wake = Wakeup()
        self.outlets = self._build_outlets(outlets)
        self._stopping = False
        self._signalled: list[str] = []  # reasons given by signal handlers, taken by the loop
        self._lock = threading.Lock()
        self._due: float | None = time.monotonic()
        self._reasons: list[str] = []
        self._discover = list(discover)
        self._watchers: list[Watch] = []

    def _build_outlets(self, factories: Sequence[OutletFactory]) -> list[Outlet]:
        built = []
        for factory in factories:
            try:
                context = OutletContext(
                    answer=self.answer, wake=self._wake.set, state=self.state, save=self._save_state
                )
                built.append(factory(context))
            except Exception as e:  # a missing extra or a bad setting costs that outlet, not the daemon
                log.warning("an outlet is not used: %s", e)
        return built

    # Events: any thread may call these; they never block.
    def schedule(self, reason: str) -> None:
        with self._lock:
            due = time.monotonic() + self.settings.debounce
            self._due = due if self._due is None else min(self._due, due)
            self._reasons.append(reason)
        self._wake.set()

    def stop(self, *_: object) -> None:
        """Ends ``run``; safe from any thread and from a signal handler (it takes no lock). The sources are
        told too, so a scan in progress (an mDNS browse) ends now rather than at its window."""
        self._stopping = True
        for source in self.sources:
            source.stop()
        self._wake.set()

    def signalled(self, reason: str) -> None:
        """``schedule`` for a signal handler: ``schedule`` takes a lock the interrupted loop may hold."""
        self._signalled.append(reason)
        self._wake.set()

    def run(self) -> int:
        for make in self._discover:
            found = make(self.schedule)
            self.sources.append(found.source)
            if found.watch is not None:
                self._watchers.append(found.watch)
        try:
            self._loop()
        finally:
            sdnotify.notify("STOPPING=1")
            for watcher in self._watchers:
                watcher.close()
            for outlet in self.outlets:
                try:
                    outlet.close()
                except Exception as e:
                    log.warning("closing the %s outlet failed: %s", outlet.name, e)
            self._wake.close()
        return 0

    def _loop(self) -> None:
        ready = False
        watchdog = sdnotify.watchdog_interval()
        next_watchdog = time.monotonic()
        next_full = time.monotonic() + self.settings.interval
        next_files = time.monotonic() + self.settings.file_check
        answers = any(o.takes_answers for o in self.outlets)
        while not self._stopping:
            self._take_signals()
            now = time.monotonic()
            if watchdog and now >= next_watchdog:
                sdnotify.notify("WATCHDOG=1")
                next_watchdog = now + watchdog
            if now >= next_files:
                next_files = now + self.settings.file_check
                if self._files_changed():
                    self.schedule("the inventory or a rule file changed")
            with self._lock:
                due = self._due is not None and now >= self._due
            if due or now >= next_full:
                self.rescan()
                next_full = time.monotonic() + self.settings.interval
                if not ready:
                    sdnotify.notify("READY=1")
                    ready = True
            self._poll_outlets()
            deadlines = [next_full, next_files] + ([next_watchdog] if watchdog else [])
            with self._lock:
                if self._due is not None:
                    deadlines.append(self._due)
            timeout = max(0.0, min(deadlines) - time.monotonic())
            # Outlets that take answers to their notifications are polled at least once a second.
            self._wake.wait(min(timeout, 1.0) if answers else timeout)

    def _take_signals(self) -> None:
        pending, self._signalled = self._signalled, []  # a handler running meanwhile appends to one of them
        for reason in pending:
            self.schedule(reason)

    def _rule_folders(self) -> list[tuple[StrPath, str]]:
        try:
            return [*self.layout.rule_dirs, *((p, "extra") for p in self.settings.extra_rules)]
        except OSError as e:  # an unreadable feed cache: the other rules still count
            self.quiet.problem("folders", "cannot list the rule folders: %s", e)
            return self.folders

    def _files_changed(self) -> bool:
        """An edit of the inventory or a rule file, or a rule folder that appeared or went (a feed that
        `rules import --system` added while the service runs)."""
        folders = self._rule_folders()
        if folders != self.folders:
            self.folders = folders
            self.files = FileWatch(self.layout.inventory, folders)
            return True
        return self.files.changed()

    def _poll_outlets(self) -> None:
        """Take the answers given since the last look: on notifications, and on outlets' buttons."""
        for outlet in self.outlets:
            try:
                outlet.poll()
            except Exception as e:
                self.quiet.problem(f"poll:{outlet.name}", "taking answers from %s failed: %s", outlet.name, e)

    # The rescan: the truth.
    def rescan(self) -> ScanResult:
        with self._lock:
            self._due = None
            reasons, self._reasons = self._reasons, []
        log.debug("rescanning: %s", "; ".join(reasons) or "interval")
        now = self.clock()
        rules = load_cached(self.folders, os.path.join(self.layout.cache_dir, "rules.json"))
        result = scan(
            self.layout.inventory,
            rules,
            self.sources,
            now=now,
            last_good=self.last,
            merged=self.files.own_inventory_write,  # else every scan's last_seen update would trigger the next
            cache_dir=self.layout.cache_dir,
        )
        self._log_problems(result)
        self.last = result
        self._publish(result, now)
        self.scans += 1
        serious = sum(f.serious for f in result.findings)
        sdnotify.notify(f"STATUS={serious} findings; last scan {now.isoformat()}")
        return result

    def _log_problems(self, result: ScanResult) -> None:
        """Each problem once, until it clears: the last good version stays in use meanwhile."""
        problems = [str(p) for p in result.rules.problems]
        if problems:
            self.quiet.problem(
                "rules:" + "|".join(sorted(problems)),
                "rule problems (keeping the last good version): %s",
                "; ".join(problems),
            )
        else:
            self.quiet.cleared("rules")
        if result.not_saved:
            self.quiet.problem(
                "merge", "not recording the devices seen: %s", "; ".join(str(p) for p in result.not_saved)
            )
        else:
            self.quiet.cleared("merge")
        if result.problems:
            self.quiet.problem(
                "inventory",
                "the inventory cannot be used (keeping the last good version): %s",
                "; ".join(str(p) for p in result.problems),
            )
        else:
            self.quiet.cleared("inventory")

    def _publish(self, result: ScanResult, now: dt.datetime) -> None:
        due = tuple(f for f in result.findings if self._due_now(f, now))
        update = Update(result=result, due=due, now=now)
        told: set[Key] = set()
        for outlet in self.outlets:
            told |= outlet.publish(update)  # never raises; an outlet that told records it in self.state
        if told:
            self._save_state()

    def _due_now(self, finding: Finding, now: dt.datetime) -> bool:
        key = (finding.item.id, finding.rule.id)
        return finding.serious and self.state.due(key, finding.confidence.label, now, self.settings.remind_after)

    def _save_state(self) -> None:
        try:
            self.state.save(self.state_file)
        except OSError as e:
            self.quiet.problem("state", "cannot save %s: %s", self.state_file, e)

    def answer(self, notice: Notice, key: str, via: str = "a desktop notification") -> str | None:
        """A person answered a finding through an outlet (``key``: an action of agent.notify.actions): record
        what it means through the one acknowledgement function, and look again; returns what to tell them."""
        told = self._record(notice, key, via)
        if told is not None:
            self.schedule(f"answered {key} for {notice.item_id} / {notice.rule_id}")
        return told

    def _record(self, notice: Notice, key: str, via: str) -> str | None:
        action = actions.find(key)
        if action is None or not action.settles:
            return None
        now = self.clock()
        if action.snooze:
            self.state.snooze(notice.key, now + actions.REMIND_LATER)
            self._save_state()
            log.info("%s / %s: reminding again after %s", *notice.key, now + actions.REMIND_LATER)
            return actions.confirmation(action)
        status = HandledStatus(action.records)
        ack = acknowledge.Ack(item=notice.item_id, rule=notice.rule_id, status=status, reason=f"answered on {via}")
        try:
            acknowledge.record(self.layout.inventory, self.last.rules, ack)
        except (RecallAgentError, OSError) as e:
            log.warning("could not record %s / %s as %s in the inventory: %s", *notice.key, action.records, e)
            return f"Could not record it: {e}"
        self.state.acknowledge(notice.key, now)
        self._save_state()
        log.info("recorded %s / %s as %s in the inventory", *notice.key, action.records)
        return actions.confirmation(action)


def install_signal_handlers(daemon: Daemon) -> None:
    signal.signal(signal.SIGTERM, daemon.stop)
    signal.signal(signal.SIGINT, daemon.stop)
    signal.signal(signal.SIGHUP, lambda *_: daemon.signalled("SIGHUP"))
