"""`recall-agent run`: rescan when something changes and at an interval, and notify once per (item, recall)."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.daemon import sdnotify
from agent.daemon.later import ShowLater
from agent.daemon.watch import FileWatch
from agent.errors import RecallAgentError
from agent.inventory import store
from agent.matching.finding import Finding
from agent.matching.matcher import RuleIndex
from agent.model import Item
from agent.notify import actions
from agent.notify.interface import Notifier, QuietLog
from agent.notify.notice import Notice, notice_for
from agent.outlets.interface import Answer, Outlet
from agent.paths import Layout
from agent.rules.cache import load_cached
from agent.rules.load import RuleSet
from agent.scan import ScanResult, collect
from agent.sources.base import DeviceSource
from agent.state import NotifyState
from agent.tomlio import atomic_write_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    interval: float = 3600.0  # full rescan at least this often, seconds
    debounce: float = 2.0  # wait this long after an event before rescanning
    file_check: float = 5.0  # look at the inventory and rule files this often
    remind_after: dt.timedelta | None = dt.timedelta(days=7)  # remind of unhandled likely findings
    extra_rules: tuple[Path, ...] = field(default=())


class Daemon:
    """One long-running agent; ``run`` blocks until ``stop``.

    Sources and watchers are injected; ``notifier`` builds the notifier given the callback for the actions a
    person takes on a notification.
    """

    def __init__(
        self,
        layout: Layout,
        sources: Sequence[DeviceSource],
        notifier: Callable[[Callable[[Notice, str], str | None]], Notifier],
        *,
        settings: Settings = Settings(),
        watchers: Sequence[Callable[[Callable[[str], None]], Any]] = (),
        outlets: Sequence[Callable[[Answer, Callable[[], None]], Outlet]] = (),
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
    ) -> None:
        self.layout = layout
        self.sources = list(sources)
        self.notifier = notifier(self.acknowledge)
        self.settings = settings
        self.clock = clock
        self.state_file = layout.state_dir / "notified.json"
        self.findings_file = layout.state_dir / "findings.json"
        self.state = NotifyState.load(self.state_file)
        self.later = ShowLater(self.notifier, self.state)
        self.folders = layout.rule_dirs + [(p, "extra") for p in settings.extra_rules]
        self.files = FileWatch(layout.inventory, self.folders)
        self.quiet = QuietLog(log)
        self.rules = RuleSet((), (), 0)
        self.index = RuleIndex(())
        self.items: tuple[Item, ...] = ()
        self.scans = 0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._due: float | None = time.monotonic()
        self._reasons: list[str] = []
        self._watcher_factories = list(watchers)
        self._watchers: list[Any] = []
        self.outlets = self._build_outlets(outlets)

    def _build_outlets(self, factories: Sequence[Callable[[Answer, Callable[[], None]], Outlet]]) -> list[Outlet]:
        """Each outlet gets the acknowledgement for the answers it takes and a way to wake the loop."""
        built = []
        for factory in factories:
            try:
                built.append(factory(self.answer, self._wake.set))
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
        self._stopping.set()
        self._wake.set()

    def run(self) -> int:
        for factory in self._watcher_factories:
            try:
                self._watchers.append(factory(self.schedule))
            except Exception as e:  # a missing watcher costs liveliness, not correctness
                log.warning("not watching %s: %s; periodic rescans still run", getattr(factory, "__name__", factory), e)
        ready = False
        watchdog = sdnotify.watchdog_interval()
        next_watchdog = time.monotonic()
        next_full = time.monotonic() + self.settings.interval
        next_files = time.monotonic() + self.settings.file_check
        try:
            while not self._stopping.is_set():
                now = time.monotonic()
                if watchdog and now >= next_watchdog:
                    sdnotify.notify("WATCHDOG=1")
                    next_watchdog = now + watchdog
                if now >= next_files:
                    next_files = now + self.settings.file_check
                    if self.files.changed():
                        self.schedule("the inventory or a rule file changed")
                with self._lock:
                    due = self._due is not None and now >= self._due
                if due or now >= next_full:
                    self.rescan()
                    next_full = time.monotonic() + self.settings.interval
                    if not ready:
                        sdnotify.notify("READY=1")
                        ready = True
                self._poll_notifier()
                deadlines = [next_full, next_files] + ([next_watchdog] if watchdog else [])
                with self._lock:
                    if self._due is not None:
                        deadlines.append(self._due)
                timeout = max(0.0, min(deadlines) - time.monotonic())
                # A notifier that takes answers to its notifications is polled at least once a second.
                if self._wake.wait(min(timeout, 1.0) if hasattr(self.notifier, "poll") else timeout):
                    self._wake.clear()
        finally:
            sdnotify.notify("STOPPING=1")
            for watcher in self._watchers:
                watcher.close()
            self._close_outputs()
        return 0

    def _close_outputs(self) -> None:
        self.notifier.close()
        for outlet in self.outlets:
            try:
                outlet.close()
            except Exception as e:
                log.warning("closing the %s outlet failed: %s", outlet.name, e)

    def _poll_notifier(self) -> None:
        """Take the answers given since the last look: on notifications, and on outlets' buttons."""
        for outlet in self.outlets:
            try:
                outlet.poll()
            except Exception as e:
                self.quiet.problem(f"poll:{outlet.name}", "taking answers from %s failed: %s", outlet.name, e)
        poll = getattr(self.notifier, "poll", None)
        if poll is not None:
            try:
                poll(0.0)
            except Exception as e:
                self.quiet.problem("poll", "reading notification answers failed: %s", e)
        if self.later.retry(self.clock()):  # a notification server appeared: show what only went to the log
            self._save_state()

    # The rescan: the truth.
    def rescan(self) -> ScanResult:
        with self._lock:
            self._due = None
            reasons, self._reasons = self._reasons, []
        log.debug("rescanning: %s", "; ".join(reasons) or "interval")
        now = self.clock()
        self._load_rules()
        results = collect(self.sources)
        observations = [o for r in results for o in r.observations]
        self.items = self._load_items(observations, now)
        findings = self.index.match(self.items, now.astimezone().date())
        result = ScanResult(tuple(findings), self.items, tuple(results), self.rules, (), self.layout.inventory)
        self._notify(findings, now)
        for outlet in self.outlets:
            outlet.publish(findings, now)
        self._publish(result)
        self.scans += 1
        sdnotify.notify(f"STATUS={sum(f.serious for f in findings)} findings; last scan {now.isoformat()}")
        return result

    def _load_rules(self) -> None:
        fresh = load_cached(self.folders, self.layout.cache_dir / "rules.json")
        broken = {p.split(":", 1)[0] for p in fresh.problems}
        kept = {r.id: r for r in fresh.rules}
        for old in self.rules.rules:  # a broken edit keeps the last good version of that file's rules
            if old.path in broken and old.id not in kept:
                kept[old.id] = old
        if fresh.problems:
            self.quiet.problem(
                "rules:" + "|".join(sorted(fresh.problems)),
                "rule problems (keeping the last good version): %s",
                "; ".join(fresh.problems),
            )
        else:
            self.quiet.cleared("rules")
        ruleset = RuleSet(tuple(kept.values()), fresh.problems, fresh.files)
        if ruleset.rules != self.rules.rules:
            self.index = RuleIndex(ruleset.rules)
        self.rules = ruleset

    def _load_items(self, observations: list[Any], now: dt.datetime) -> tuple[Item, ...]:
        if observations:
            self._merge(observations, now)
        try:
            items = store.load(self.layout.inventory).items
        except (RecallAgentError, OSError) as e:
            self.quiet.problem(
                "inventory",
                "the inventory cannot be used (keeping the last good version): %s",
                str(e).replace("\n", "; "),
            )
            return self.items
        self.quiet.cleared("inventory")
        return items

    def _merge(self, observations: list[Any], now: dt.datetime) -> None:
        """Record what the sources saw; an inventory it may not write (read-only) is still checked."""
        from agent.inventory.merge import merge

        try:
            merge(self.layout.inventory, observations, now)
            self.files.own_inventory_write()  # else every scan's last_seen update would trigger the next
        except (RecallAgentError, OSError) as e:
            self.quiet.problem("merge", "not recording the devices seen: %s", str(e).replace("\n", "; "))
            return
        self.quiet.cleared("merge")

    def _notify(self, findings: list[Finding], now: dt.datetime) -> None:
        changed = False
        serious = [f for f in findings if f.serious]
        for finding in serious:
            notice = notice_for(finding)
            if not self.state.due(notice.key, notice.confidence, now, self.settings.remind_after):
                self.later.not_due(notice)
                continue
            result = self.notifier.send(notice)
            if result.delivered:
                self.later.sent(notice, result, now)
                changed = True
        self.later.keep_only((f.item.id, f.rule.id) for f in serious)
        if changed:
            self._save_state()

    def _save_state(self) -> None:
        try:
            self.state.save(self.state_file)
        except OSError as e:
            self.quiet.problem("state", "cannot save %s: %s", self.state_file, e)

    def _publish(self, result: ScanResult) -> None:
        """Findings for the per-user notifiers of a system install (readable by them, 0644): only what they show."""
        from agent.daemon.published import render_published

        try:
            atomic_write_bytes(self.findings_file, render_published(result.findings).encode(), mode=0o644)
        except OSError as e:
            self.quiet.problem("publish", "cannot publish findings to %s: %s", self.findings_file, e)

    def answer(self, notice: Notice, key: str) -> str | None:
        """An answer that came through an outlet (a button in Home Assistant): recorded, then rescanned."""
        told = self.acknowledge(notice, key, via="Home Assistant")
        self.schedule(f"answered {key} for {notice.item_id} / {notice.rule_id}")
        return told

    def acknowledge(self, notice: Notice, key: str, via: str = "a desktop notification") -> str | None:
        """The person answered a notification: record what the answer means; returns what to tell them."""
        action = actions.find(key)
        if action is None or not action.settles:
            return None
        now = self.clock()
        if action.snooze:
            self.state.snooze(notice.key, now + actions.REMIND_LATER)
            self._save_state()
            log.info("%s / %s: reminding again after %s", *notice.key, now + actions.REMIND_LATER)
            return actions.confirmation(action)
        try:
            store.set_handled(
                self.layout.inventory,
                notice.item_id,
                notice.rule_id,
                {"status": action.records, "date": store.today(), "reason": f"answered on {via}"},
            )
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
    signal.signal(signal.SIGHUP, lambda *_: daemon.schedule("SIGHUP"))
