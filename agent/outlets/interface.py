"""The one interface every outlet implements.

After each scan the daemon (and a one-shot ``scan``) hands every outlet all current findings, handled ones
included, so an outlet that shows state (MQTT) can turn a handled finding off and one that sends messages
(Apprise) can send each new finding once. An outlet that takes answers (a "Mark handled" button) gives them
to ``answer``, the same acknowledgement the desktop actions use. Outlets are best effort: ``publish``
never raises, and a broken outlet never takes the daemon down.
"""

from __future__ import annotations

import abc
import datetime as dt
import logging
from collections.abc import Callable, Sequence

from agent.matching.finding import Finding
from agent.notify.interface import QuietLog
from agent.notify.notice import Notice

log = logging.getLogger(__name__)

# The acknowledgement: a notice and an action key of agent.notify.actions; returns what to tell the person.
Answer = Callable[[Notice, str], "str | None"]


class Outlet(abc.ABC):
    name: str = ""

    def __init__(self) -> None:
        self.quiet = QuietLog(log)

    def publish(self, findings: Sequence[Finding], now: dt.datetime) -> None:
        """Hand over the findings of one scan; failures are logged once, never raised."""
        try:
            self._publish(findings, now)
        except Exception as e:
            self.quiet.problem(f"{self.name}:publish", "%s outlet failed: %s", self.name, e)
        else:
            self.quiet.cleared(f"{self.name}:publish")

    @abc.abstractmethod
    def _publish(self, findings: Sequence[Finding], now: dt.datetime) -> None: ...

    def poll(self) -> None:  # noqa: B027 - only outlets that take answers have any to take
        """Take the answers that arrived since the last call, on the caller's thread."""

    def close(self) -> None:  # noqa: B027 - most outlets hold nothing to release
        """Release what the outlet opened itself; waits briefly for messages still being sent."""


def shown(findings: Sequence[Finding]) -> list[Finding]:
    """The findings outlets show: likely or confirmed, open or handled (possible ones stay in reports)."""
    from agent.confidence import Confidence

    return [f for f in findings if f.confidence >= Confidence.LIKELY]
