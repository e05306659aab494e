"""The one interface every notifier implements, and the results it gives back."""

from __future__ import annotations

import abc
import logging
from dataclasses import dataclass

from agent.notify.notice import Notice
from agent.quietlog import QuietLog

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class NotifyResult:
    """How one ``send`` went. A failure is a value: ``delivered`` is False and ``error`` says why."""

    backend: str
    delivered: bool
    notification_id: int | None = None
    actions: tuple[str, ...] = ()  # action keys the server was given
    error: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationEvent:
    """An answer to a notification: ``kind`` "action" (with ``action``) or "closed" (with ``reason``)."""

    notification_id: int
    kind: str
    action: str = ""
    reason: int = 0


class Notifier(abc.ABC):
    """Shows a notice to a person. Best effort: ``send`` never raises; a failure comes back in the result."""

    name: str = ""
    takes_answers: bool = False  # True when ``poll`` can return answers: callers then poll at least once a second

    def __init__(self) -> None:
        self._quiet = QuietLog(logger)

    def send(self, notice: Notice) -> NotifyResult:
        try:
            result = self._send(notice)
        except Exception as e:
            self._quiet.problem(f"{self.name}:unexpected", "%s notifier failed: %s", self.name, e)
            return NotifyResult(backend=self.name, delivered=False, error=str(e) or type(e).__name__)
        return result

    @abc.abstractmethod
    def _send(self, notice: Notice) -> NotifyResult:
        """Show ``notice``; may raise, ``send`` turns any exception into a failed result."""

    def poll(self, timeout: float = 0.0) -> list[NotificationEvent]:
        """Wait up to ``timeout`` seconds for answers to shown notices and act on each; [] for notifiers
        that take no answers."""
        return []

    def close(self) -> None:  # noqa: B027 - most notifiers hold nothing to release
        """Release what the notifier opened itself."""
