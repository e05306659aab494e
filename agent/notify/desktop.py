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

from agent.notify import actions, text
from agent.notify.interface import NotificationEvent, Notifier, NotifyResult
from agent.notify.log import LogNotifier
from agent.notify.notice import Notice
from agent.notify.opener import open_url

logger = logging.getLogger(__name__)

APP_NAME = "recall-agent"  # also the name of the .desktop file installed with the package
# A symbolic name: Adwaita, Breeze and other current themes have it, and dunst finds it with Debian's
# defaults, where the plain "dialog-warning" shows no icon at all.
APP_ICON = "dialog-warning-symbolic"
CONFIRM_ICON = "emblem-ok-symbolic"
CONFIRM_MS = 6000  # a confirmation disappears by itself
PERSISTENT = 0  # expire_timeout: findings stay until the person answers or closes them
SERVER = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
SLICE = 0.2  # longest time a poll holds the connection, so sends never wait long behind it

# Called with the notice and the action key a person chose; returns a short confirmation to show, if any.
ActionCallback = Callable[[Notice, str], "str | None"]


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
    takes_answers = True

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
        self._waited: list[NotificationEvent] = []

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
        offered = actions.actions_for(notice.confidence, url=notice.url, checker=notice.checker)
        chosen = offered if "actions" in caps else ()
        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", text.urgency(notice)),
            "desktop-entry": ("s", APP_NAME),
            "category": ("s", "device"),
        }
        body = text.body(
            notice, markup="body-markup" in caps, actions=bool(chosen), hyperlinks="body-hyperlinks" in caps
        )
        summary = text.summary(notice)
        pairs = [part for action in chosen for part in (action.key, action.label)]
        reply = self._call("Notify", "susssasa{sv}i", (APP_NAME, 0, APP_ICON, summary, body, pairs, hints, PERSISTENT))
        notification_id = int(reply[0])
        logger.info(
            "notified %s / %s (%s, urgency %s) as #%s: %s [%s]",
            *notice.key,
            notice.confidence,
            hints["urgency"][1],
            notification_id,
            summary,
            ", ".join(a.label for a in chosen) or "no actions",
        )
        return notification_id, tuple(a.key for a in chosen)

    def _confirm(self, notice: Notice, message: str) -> None:
        """A short note that the answer was taken; it goes away by itself."""
        name = text.clean_line(notice.item_name, text.MAX_NAME) or notice.item_id
        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", 0),
            "transient": ("b", True),
            "desktop-entry": ("s", APP_NAME),
        }
        no_actions: list[str] = []
        args = (APP_NAME, 0, CONFIRM_ICON, name, text.clean_line(message), no_actions, hints, CONFIRM_MS)
        self._call("Notify", "susssasa{sv}i", args)

    def _close_notification(self, notification_id: int) -> None:
        self._call("CloseNotification", "u", (notification_id,))

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
        """The next answer to or closing of ``notification_id``; other events are handled meanwhile.

        Events of that notification that arrive together are returned one per call, in order.
        """
        deadline = time.monotonic() + timeout
        while True:
            for event in self._waited:
                if event.notification_id == notification_id:
                    self._waited.remove(event)
                    return event
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._waited.extend(e for e in self.poll(left) if e.notification_id == notification_id)

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
                continue  # another program's notification, or a confirmation
            events.append(event)
            if event.kind == "closed":
                del self._shown[event.notification_id]
            else:
                self._act(notice, event.action, event.notification_id)
        return events

    def _act(self, notice: Notice, key: str, notification_id: int) -> None:
        action = actions.find(key)
        if action is None:
            logger.warning("ignoring unknown action %r on the notification for %s / %s", key, *notice.key)
            return
        logger.info("action %r (%s) on #%s for %s / %s", key, action.label, notification_id, *notice.key)
        try:
            if action.opens:
                self._opener((notice.checker if action.opens == "checker" else "") or notice.url)
            message = self._on_action(notice, key) if self._on_action is not None else None
            if action.settles:
                self._close_notification(notification_id)
                if message:
                    self._confirm(notice, message)
        except Exception as e:
            logger.warning("handling %r for %s failed: %s", key, notice.rule_id, e)

    def reachable(self) -> bool:
        """Whether a notification server answers now: findings that went to the log can then be shown."""
        with self._lock:
            try:
                self._call("GetCapabilities", None, ())
            except Exception:
                self._drop()
                return False
            return True

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
