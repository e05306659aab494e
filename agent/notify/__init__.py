"""Telling a person about a finding: desktop notifications, the log, or nothing."""

from agent.notify.desktop import DesktopNotifier
from agent.notify.interface import NotificationEvent, Notifier, NotifyResult
from agent.notify.log import LogNotifier, NullNotifier
from agent.notify.notice import Notice, make_notice, notice_for, notice_from_json

__all__ = [
    "DesktopNotifier",
    "LogNotifier",
    "Notice",
    "NotificationEvent",
    "Notifier",
    "NotifyResult",
    "NullNotifier",
    "make_notice",
    "notice_for",
    "notice_from_json",
]
