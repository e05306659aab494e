"""Waking a waiting main loop from another thread or from a signal handler.

``threading.Event`` cannot be set from a signal handler: Python runs the handler in the main thread
between two bytecodes, and if those belong to ``Event.wait`` or ``Event.clear`` the main thread holds the
event's lock already; ``set`` then waits for that lock, which only the waiting thread itself could free.
``Wakeup.set`` takes no lock: it writes one byte to a pipe the loop waits on.
"""

from __future__ import annotations

import contextlib
import os
import select
import weakref


class Wakeup:
    """``set`` from any thread or signal handler; ``wait`` returns early when a ``set`` came since the
    last ``wait`` returned. The loop must look at its own state again after every return."""

    def __init__(self) -> None:
        self._reader, self._writer = os.pipe()  # not inherited by child processes
        os.set_blocking(self._reader, False)
        os.set_blocking(self._writer, False)
        # The writing end is closed only once nothing can call ``set`` any more: a thread still in ``set``
        # after an early close could write into whatever file reused the number.
        weakref.finalize(self, os.close, self._writer)
        self._closed = False

    def set(self) -> None:
        if self._closed:
            return  # nothing waits any more
        # A full pipe already holds a wake-up; a closed reading end means nothing waits.
        with contextlib.suppress(BlockingIOError, BrokenPipeError):
            os.write(self._writer, b"\0")

    def wait(self, timeout: float | None) -> bool:
        """Wait up to ``timeout`` seconds (None: without end); True if woken. Takes every pending wake-up."""
        if self._closed:
            raise ValueError("wait on a closed Wakeup")
        ready, _, _ = select.select([self._reader], [], [], timeout)
        if not ready:
            return False
        with contextlib.suppress(BlockingIOError):
            while os.read(self._reader, 4096):
                pass
        return True

    def close(self) -> None:
        """Later calls of ``set`` do nothing (a signal may still come while the program ends)."""
        if not self._closed:
            self._closed = True
            os.close(self._reader)
