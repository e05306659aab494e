"""Telling a person about a finding: desktop notifications, the log, or nothing."""

from agent.notify.desktop import DesktopNotifier
from agent.notify.interface import NotificationEvent, Notifier, NotifyResult
from agent.notify.log import LogNotifier, NullNotifier
from agent.notify.notice import Notice, notice_from_rule

__all__ = [
    "DesktopNotifier",
    "LogNotifier",
    "Notice",
    "NotificationEvent",
    "Notifier",
    "NotifyResult",
    "NullNotifier",
    "notice_from_rule",
]
