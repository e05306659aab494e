"""mDNS for the daemon that follows the network: it starts when a usable interface comes up, and binds
again when the interfaces or their addresses change (DHCP, Wi-Fi roaming, a cable plugged in later).

Every few seconds the interfaces are compared with those browsing now; on a change the old browser is
closed, a new one opened on what is usable now, and a rescan scheduled.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from zeroconf import Zeroconf

from agent.sources.mdns.net import InterfacePlan, current_interfaces
from agent.sources.mdns.watch import MdnsWatch, Schedule

log = logging.getLogger(__name__)
FOLLOW_EVERY = 3.0  # seconds between looks at the interfaces


class MdnsFollower:
    """Owns the daemon's mDNS browser; ``zeroconf()`` is the one to scan with now, None while offline."""

    def __init__(
        self,
        schedule: Schedule,
        interfaces: list[str] | None,
        *,
        every: float = FOLLOW_EVERY,
        plan: Callable[[list[str] | None], InterfacePlan] = current_interfaces,
    ) -> None:
        self._schedule = schedule
        self._wanted = interfaces
        self._plan = plan
        self._every = every
        self._lock = threading.Lock()
        self._watch: MdnsWatch | None = None
        self._bind: tuple[str | int, ...] | None = None  # None: not looked yet
        self._stop = threading.Event()
        self.follow()
        self._thread = threading.Thread(target=self._run, name="mdns-follow", daemon=True)
        self._thread.start()

    def zeroconf(self) -> Zeroconf | None:
        with self._lock:
            return self._watch.zeroconf if self._watch is not None else None

    def follow(self) -> bool:
        """Look at the interfaces now; True if the browser was (re)started or stopped."""
        plan = self._plan(self._wanted)
        with self._lock:
            if plan.bind == self._bind:
                return False
            old, self._watch, self._bind = self._watch, None, plan.bind
            if old is not None:
                old.close()
            if plan.bind:
                try:
                    self._watch = MdnsWatch(self._schedule, bind=plan.bind)
                except (OSError, RuntimeError, ValueError) as e:
                    log.warning("no network discovery on %s: %s", ", ".join(plan.names), e)
                    self._bind = None  # try again at the next look
                    return False
                log.info("network discovery on %s", ", ".join(plan.names))
            else:
                reason = "; ".join(plan.problems) or "no multicast-capable network interface is up"
                log.warning("no network discovery for now: %s; waiting for an interface", reason)
        self._schedule("the network interfaces changed")
        return True

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self.follow()
            except Exception as e:  # looking at the interfaces must never take the daemon down
                log.warning("following the network interfaces failed: %s", e)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with self._lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
