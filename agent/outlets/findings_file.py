"""The published findings file: the JSON report of every scan, for the per-user notifiers of a system install."""

from __future__ import annotations

from pathlib import Path

from agent.outlets.interface import Key, Outlet, Update
from agent.tomlio import atomic_write_bytes


class FindingsFile(Outlet):
    """Rewrites ``path`` atomically after every scan, readable by everyone (0644), with only what the
    per-user notifiers show (agent.daemon.published): desktop users of a system install read it with
    `recall-agent notifier`. It tells no one by itself."""

    name = "findings-file"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _publish(self, update: Update) -> frozenset[Key]:
        from agent.daemon.published import render_published

        atomic_write_bytes(self.path, render_published(update.findings).encode(), mode=0o644)
        return frozenset()
