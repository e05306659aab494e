"""Desktop notifications over the session D-Bus (org.freedesktop.Notifications), with jeepney."""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, DBusErrorResponse, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import HeaderFields
from jeepney.wrappers import unwrap_msg

from agent.notify import text
from agent.notify.interface import NotificationEvent, Notifier, NotifyResult
from agent.notify.log import LogNotifier
from agent.notify.notice import Notice
from agent.notify.opener import open_url

logger = logging.getLogger(__name__)

APP_NAME = "recall-agent"
APP_ICON = "dialog-warning"
SERVER = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
OPEN, HANDLED = "open", "handled"
ACTION_LABELS = {OPEN: "Open notice", HANDLED: "Mark handled"}
SLICE = 0.2  # longest time a poll holds the connection, so sends never wait long behind it

ActionCallback = Callable[[Notice, str], None]


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return "no session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
    if isinstance(error, DBusErrorResponse) and error.name == "org.freedesktop.DBus.Error.ServiceUnknown":
        return "no notification server on the session bus"
    if isinstance(error, TimeoutError):
        return "the notification server did not answer in time"
    return f"{type(error).__name__}: {error}"


class DesktopNotifier(Notifier):
    """Shows notices through the desktop's notification server, falling back to ``fallback`` (the log).

    ``connection`` is used as given and never closed here; without one, a session-bus connection is
    opened on the first send and opened again after it breaks. Use one thread at a time, or share the
    instance between a sending thread and a thread that calls ``poll``: a lock serialises them.
    """

    name = "desktop"

    def __init__(
        self,
        connection: DBusConnection | None = None,
        *,
        connect: Callable[[], DBusConnection] | None = None,
        on_action: ActionCallback | None = None,
        opener: Callable[[str], bool] = open_url,
        fallback: Notifier | None = None,
        timeout: float = 2.0,
    ) -> None:
        super().__init__()
        self._conn = connection
        self._owned = connection is None
        self._connect = connect or (lambda: open_dbus_connection(bus="SESSION"))
        self._on_action = on_action
        self._opener = opener
        self._fallback = fallback if fallback is not None else LogNotifier()
        self._timeout = timeout
        self._lock = threading.RLock()
        self._signals: collections.deque[Message] = collections.deque(maxlen=256)
        self._subscribed = False
        self._shown: dict[int, Notice] = {}

    def _send(self, notice: Notice) -> NotifyResult:
        with self._lock:
            error: Exception = RuntimeError("not tried")
            for _ in range(2 if self._owned else 1):  # an owned connection may have broken: reconnect once
                try:
                    notification_id, actions = self._notify(notice)
                except Exception as e:
                    self._drop()
                    error = e
                    if isinstance(e, KeyError | DBusErrorResponse):
                        break  # no bus or no server: a new connection would not help
                    continue
                self._quiet.cleared("desktop")
                self._shown[notification_id] = notice
                return NotifyResult(backend=self.name, delivered=True, notification_id=notification_id, actions=actions)
            return self._fall_back(notice, _reason(error))

    def _fall_back(self, notice: Notice, reason: str) -> NotifyResult:
        self._quiet.problem("desktop", "no desktop notification (%s); findings go to the log", reason)
        result = self._fallback.send(notice)
        return NotifyResult(backend=result.backend, delivered=result.delivered, error=reason)

    def _notify(self, notice: Notice) -> tuple[int, tuple[str, ...]]:
        caps = set(self._call("GetCapabilities", None, ())[0])
        keys = [k for k in (OPEN, HANDLED) if k != OPEN or notice.url] if "actions" in caps else []
        actions = [part for key in keys for part in (key, ACTION_LABELS[key])]
        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", text.urgency(notice)),
            "desktop-entry": ("s", APP_NAME),
        }
        body = text.body(notice, markup="body-markup" in caps, hyperlinks="body-hyperlinks" in caps)
        args = (APP_NAME, 0, APP_ICON, text.summary(notice), body, actions, hints, -1)
        reply = self._call("Notify", "susssasa{sv}i", args)
        return int(reply[0]), tuple(keys)

    def _call(self, method: str, signature: str | None, args: tuple[Any, ...]) -> tuple[Any, ...]:
        conn = self._connection()
        message = new_method_call(SERVER, method, signature, args)
        reply = conn.send_and_get_reply(message, timeout=self._timeout)
        return tuple(unwrap_msg(reply))

    def _connection(self) -> DBusConnection:
        if self._conn is None:
            self._conn = self._connect()
        if not self._subscribed:
            rule = MatchRule(type="signal", interface=SERVER.interface, path=SERVER.object_path)
            self._conn.filter(rule, queue=self._signals)  # kept for the connection's lifetime
            unwrap_msg(self._conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=self._timeout))
            self._subscribed = True
        return self._conn

    def _drop(self) -> None:
        if self._owned and self._conn is not None:
            self._conn.close()
            self._conn = None
            self._subscribed = False

    def poll(self, timeout: float = 0.0) -> list[NotificationEvent]:
        """Wait up to ``timeout`` seconds for answers to our notifications and act on each one."""
        deadline = time.monotonic() + timeout
        events: list[NotificationEvent] = []
        while True:
            with self._lock:
                self._receive(min(SLICE, max(0.0, deadline - time.monotonic())))
                events.extend(self._dispatch())
            if events or time.monotonic() >= deadline:
                return events

    def wait(self, notification_id: int, timeout: float) -> NotificationEvent | None:
        """Wait until ``notification_id`` gets an action or is closed; other events are handled meanwhile."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            for event in self.poll(left):
                if event.notification_id == notification_id:
                    return event
        return None

    def _receive(self, timeout: float) -> None:
        if self._conn is None:
            time.sleep(timeout)
            return
        try:
            self._conn.recv_messages(timeout=timeout)
        except TimeoutError:
            pass
        except OSError as e:
            self._quiet.problem("desktop-listen", "lost the session bus: %s", e)
            self._drop()

    def _dispatch(self) -> list[NotificationEvent]:
        events = []
        while self._signals:
            event = _event(self._signals.popleft())
            notice = self._shown.get(event.notification_id) if event else None
            if event is None or notice is None:
                continue  # another program's notification
            events.append(event)
            if event.kind == "closed":
                del self._shown[event.notification_id]
            else:
                self._act(notice, event.action)
        return events

    def _act(self, notice: Notice, action: str) -> None:
        try:
            if action == OPEN:
                self._opener(notice.url)
            if self._on_action is not None:
                self._on_action(notice, action)
        except Exception as e:
            logger.warning("handling %r for %s failed: %s", action, notice.rule_id, e)

    def close(self) -> None:
        with self._lock:
            self._drop()


def _event(msg: Message) -> NotificationEvent | None:
    member = msg.header.fields.get(HeaderFields.member)
    if member == "ActionInvoked" and len(msg.body) == 2:
        return NotificationEvent(notification_id=int(msg.body[0]), kind="action", action=str(msg.body[1]))
    if member == "NotificationClosed" and len(msg.body) == 2:
        return NotificationEvent(notification_id=int(msg.body[0]), kind="closed", reason=int(msg.body[1]))
    return None
