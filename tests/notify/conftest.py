"""The notifier tests' fixtures live in dunst.py, shared with the daemon tests."""

from __future__ import annotations

from notify.dunst import Dunst, NotifyCalls, connect, dunst_factory, notify_calls, session_bus

__all__ = ["Dunst", "NotifyCalls", "connect", "dunst_factory", "notify_calls", "session_bus"]
