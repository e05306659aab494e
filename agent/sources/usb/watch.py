"""Noticing that USB devices were plugged or unplugged, cheaply, for the daemon.

Events are hints, the scan is the truth: a watcher only says "something may have changed", and the
caller rescans. ``open_watcher`` prefers kernel uevents over netlink (no privileges needed to listen
to the kernel's broadcasts; idle cost is a blocked ``select``) with a slow sysfs poll beside it as a
safety net, and falls back to polling /sys/bus/usb/devices where netlink is unavailable.

``UsbWatchThread`` runs a watcher for the daemon and schedules a rescan on every change.
"""

from __future__ import annotations

import abc
import errno
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from agent.sources.usb import SYSFS_ROOT

log = logging.getLogger(__name__)

NETLINK_KOBJECT_UEVENT = 15
KERNEL_GROUP = 1  # the kernel's own broadcasts; udev re-broadcasts on group 2 in its own format
_RECEIVE_BUFFER = 1 << 20


class UsbWatcher(abc.ABC):
    mechanism: str = ""

    @abc.abstractmethod
    def wait(self, timeout: float | None = None) -> bool:
        """Block until USB devices may have changed (True) or ``timeout`` seconds pass (False)."""

    def close(self) -> None:  # noqa: B027 - a no-op unless the watcher holds something
        """Release what the watcher holds; a ``wait`` in another thread returns soon after."""

    def __enter__(self) -> UsbWatcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def parse_uevent(message: bytes) -> dict[str, str]:
    """The KEY=value pairs of one kernel uevent (``ACTION@DEVPATH\\0KEY=value\\0...``)."""
    fields: dict[str, str] = {}
    for part in message.split(b"\0")[1:]:
        key, sep, value = part.partition(b"=")
        if sep:
            fields[key.decode("ascii", errors="replace")] = value.decode("utf-8", errors="replace")
    return fields


class PollingWatcher(UsbWatcher):
    """Compares the list of /sys/bus/usb/devices entries (and each device's devnum) every ``interval``."""

    mechanism = "polling"

    def __init__(self, root: Path = SYSFS_ROOT, interval: float = 1.0) -> None:
        self.root = root
        self.interval = interval
        self._closed = threading.Event()
        self._last = self.snapshot()

    def snapshot(self) -> frozenset[tuple[str, str]]:
        """Entry names with the devnum of devices: a replug on the same port gets a new devnum."""
        try:
            names = os.listdir(self.root)
        except OSError:
            return frozenset()
        entries = set()
        for name in names:
            devnum = ""
            if ":" not in name:
                try:
                    with open(self.root / name / "devnum", "rb") as f:
                        devnum = f.read().decode("ascii", errors="replace").strip()
                except OSError:
                    devnum = "?"
            entries.add((name, devnum))
        return frozenset(entries)

    def changed(self) -> bool:
        """Whether the bus looks different from the last call; never blocks."""
        now = self.snapshot()
        if now == self._last:
            return False
        self._last = now
        return True

    def wait(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._closed.is_set():
            if self.changed():
                return True
            pause = self.interval if deadline is None else min(self.interval, deadline - time.monotonic())
            if pause <= 0 or self._closed.wait(pause):
                break
        return self.changed()

    def close(self) -> None:
        self._closed.set()


class NetlinkWatcher(UsbWatcher):
    """Listens to kernel uevents; True on an ``add`` or ``remove`` of one of ``subsystems``.

    ``sock`` may be any datagram socket carrying uevent messages (tests pass one end of a socketpair).
    ``recheck`` is polled every ``recheck_interval`` seconds while waiting, for the rare place where the
    socket opens but the kernel's broadcasts never reach it (a container's own network namespace).
    """

    mechanism = "netlink"

    def __init__(
        self,
        sock: socket.socket | None = None,
        subsystems: Iterable[str] = ("usb",),
        actions: Iterable[str] = ("add", "remove"),
        recheck: PollingWatcher | None = None,
        recheck_interval: float = 60.0,
    ) -> None:
        self.sock = sock if sock is not None else open_uevent_socket()
        self.sock.setblocking(False)
        self.subsystems = frozenset(subsystems)
        self.actions = frozenset(actions)
        self.recheck = recheck
        self.recheck_interval = recheck_interval
        self._next_recheck = time.monotonic() + recheck_interval
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._closed = threading.Event()

    def relevant(self, message: bytes) -> bool:
        fields = parse_uevent(message)
        return fields.get("SUBSYSTEM") in self.subsystems and fields.get("ACTION") in self.actions

    def wait(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._closed.is_set():
            now = time.monotonic()
            pauses = [p for p in (deadline, self._next_recheck if self.recheck else None) if p is not None]
            pause = max(0.0, min(pauses) - now) if pauses else None
            try:
                ready, _, _ = select.select([self.sock, self._wake_reader], [], [], pause)
            except (OSError, ValueError):  # closed from another thread
                return False
            if self._closed.is_set():
                return False
            if self.sock in ready and self._drain():
                return True
            if self.recheck and time.monotonic() >= self._next_recheck:
                self._next_recheck = time.monotonic() + self.recheck_interval
                if self.recheck.changed():
                    return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
        return False

    def _drain(self) -> bool:
        hit = False
        while True:
            try:
                message = self.sock.recv(65536)
            except BlockingIOError:
                return hit
            except OSError as e:
                if e.errno == errno.ENOBUFS:  # the kernel dropped messages: assume the worst
                    log.debug("uevent socket overflowed")
                    hit = True
                    continue
                return hit
            hit = hit or self.relevant(message)

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._wake_writer.send(b"x")
            for sock in (self.sock, self._wake_writer, self._wake_reader):
                sock.close()


def open_uevent_socket() -> socket.socket:
    """A socket bound to the kernel's uevent broadcasts; OSError where there is none (not Linux)."""
    family = getattr(socket, "AF_NETLINK", None)
    if family is None:
        raise OSError(errno.EAFNOSUPPORT, "netlink sockets exist only on Linux")
    sock = socket.socket(family, socket.SOCK_DGRAM, NETLINK_KOBJECT_UEVENT)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RECEIVE_BUFFER)
        sock.bind((0, KERNEL_GROUP))
    except OSError:
        sock.close()
        raise
    return sock


def open_watcher(
    root: Path = SYSFS_ROOT,
    interval: float = 1.0,
    recheck_interval: float = 60.0,
    opener: Callable[[], socket.socket] = open_uevent_socket,
) -> UsbWatcher:
    """Netlink uevents with a slow sysfs poll as a safety net; polling every ``interval`` without netlink."""
    try:
        sock = opener()
        return NetlinkWatcher(sock, recheck=PollingWatcher(root, interval), recheck_interval=recheck_interval)
    except OSError as e:
        log.info("kernel uevents unavailable (%s); polling %s every %s s", e, root, interval)
        return PollingWatcher(root, interval)


Schedule = Callable[[str], None]


class UsbWatchThread:
    """Runs a USB watcher on its own thread; every change schedules a rescan."""

    def __init__(self, schedule: Schedule, root: Path) -> None:
        self._schedule = schedule
        # Kernel uevents describe the real /sys only; any other root (a copy, a test tree) is polled.
        self._watcher = open_watcher(root) if root == SYSFS_ROOT else PollingWatcher(root)
        log.info("watching USB devices under %s (%s)", root, self._watcher.mechanism)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="usb-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._watcher.wait(1.0):
                    self._schedule("a USB device was plugged or unplugged")
            except Exception as e:  # a watcher failure must not take the daemon down
                log.warning("USB watching stopped: %s; relying on periodic rescans", e)
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=3)
        self._watcher.close()
