"""The one interface every outlet implements: where findings go after each scan.

After each scan the daemon (and a one-shot ``scan``, for the outlets the configuration names) calls
``publish`` with an ``Update``: the whole scan result, every finding in it (handled ones included, so an
outlet that shows state, MQTT, can turn a handled finding off), and the findings *due* to be told now:
serious, not handled, not told before at this confidence or due a reminder, once per (item, recall)
across restarts. An outlet that tells a person about due findings (the desktop, the log) records what it
delivered in the context's ``state`` and returns those keys (the daemon then saves the state), so a
failed delivery is tried again on the next scan; an outlet that keeps its own memory (Apprise) or only
mirrors state (MQTT, the published findings file) returns nothing.

Outlets are built from an ``OutletContext``. An outlet that takes answers (a notification's actions,
an MQTT button) calls its ``answer``, the daemon's one acknowledgement path (agent.acknowledge, with the
checks of `recall-agent ack`), and sets ``takes_answers`` so the daemon polls it at least once a second.
Outlets are best effort: ``publish`` never raises, and a broken outlet never takes the daemon down.

To add an outlet: a module in agent/outlets/ with a subclass of Outlet, and its name and factory in
agent/outlets/build.py (which the configuration's ``outlets`` and `run --notify` choose from).
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from agent import datetimes as dt
from agent.matching.finding import Finding
from agent.notify.notice import Notice
from agent.quietlog import QuietLog
from agent.scan import ScanResult
from agent.state import NotifyState

log = logging.getLogger(__name__)
Key = tuple[str, str]  # (item id, rule id)


class Answer(Protocol):
    """Records a person's answer: a notice and an action key of agent.notify.actions ("returned", "later");
    ``via`` names where it was given. Returns what to tell the person (None: it settles nothing)."""

    def __call__(self, notice: Notice, key: str, via: str = ...) -> str | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Update:
    """What one scan gives the outlets."""

    result: ScanResult
    due: tuple[Finding, ...] = ()  # the serious findings to tell a person about now (the daemon's memory)
    now: dt.datetime

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings


def _nothing() -> None:
    """Nothing to do."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletContext:
    """What an outlet is built with (see agent.outlets.build)."""

    answer: Answer  # records a person's answer
    wake: Callable[[], None] = _nothing  # wakes the daemon's loop, so ``poll`` runs soon
    state: NotifyState | None = None  # the daemon's memory of what was told (None: a one-shot scan)
    save: Callable[[], None] = _nothing  # saves ``state`` after an outlet changed it


class Outlet(abc.ABC):
    name: str = ""
    takes_answers: bool = False  # True: the daemon polls it at least once a second

    def __init__(self) -> None:
        self.quiet = QuietLog(log)

    def publish(self, update: Update) -> frozenset[Key]:
        """Hand over one scan; returns the keys of the due findings a person was told about. Never raises."""
        try:
            told = self._publish(update)
        except Exception as e:
            self.quiet.problem(f"{self.name}:publish", "%s outlet failed: %s", self.name, e)
            return frozenset()
        self.quiet.cleared(f"{self.name}:publish")
        return told

    @abc.abstractmethod
    def _publish(self, update: Update) -> frozenset[Key]: ...

    def poll(self) -> None:  # noqa: B027 - only outlets that take answers have any to take
        """Take the answers that arrived since the last call, on the caller's thread."""

    def close(self) -> None:  # noqa: B027 - most outlets hold nothing to release
        """Release what the outlet opened itself; waits briefly for messages still being sent."""


def shown(findings: Sequence[Finding]) -> list[Finding]:
    """The findings outlets show: likely or confirmed, open or handled (possible ones stay in reports)."""
    from agent.confidence import Confidence

    return [f for f in findings if f.confidence >= Confidence.LIKELY]
