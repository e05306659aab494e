"""The one interface every notifier implements, and the results it gives back."""

from __future__ import annotations

import abc
import logging
from dataclasses import dataclass

from agent.notify.notice import Notice

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


class QuietLog:
    """Logs a recurring problem once at WARNING and its repeats at DEBUG, until it clears."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._warned: set[str] = set()

    def problem(self, key: str, message: str, *args: object) -> None:
        level = logging.DEBUG if key in self._warned else logging.WARNING
        self._warned.add(key)
        self._log.log(level, message, *args)

    def cleared(self, key: str) -> None:
        self._warned.discard(key)


class Notifier(abc.ABC):
    """Shows a notice to a person. Best effort: ``send`` never raises; a failure comes back in the result."""

    name: str = ""

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

    def close(self) -> None:  # noqa: B027 - most notifiers hold nothing to release
        """Release what the notifier opened itself."""
