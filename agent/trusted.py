"""Files a command reads back from its own caches, used only when they are regular files of the user running
it that nobody else may write: a cache another user could write would let them choose what a scan sees."""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from collections.abc import Callable

    from agent.paths import StrPath

MAX_CACHE = 1 << 30


def distrust(info: os.stat_result) -> str:
    """Why a file with this status may not be trusted, or "" when it may."""
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if info.st_uid != os.geteuid():
        return f"it belongs to uid {info.st_uid}, not to uid {os.geteuid()} running this"
    if info.st_mode & 0o022:
        return f"others may write it (mode {stat.S_IMODE(info.st_mode):o})"
    if info.st_size > MAX_CACHE:
        return "it is larger than 1 GB"
    return ""


def open_trusted(path: StrPath, note: Callable[[StrPath, str], None] | None = None) -> int | None:
    """A descriptor open on ``path`` if it is a regular file of ours that nobody else may write; else None.

    ``note`` is told why a file that exists was not opened.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as e:
        if note is not None:
            note(path, f"cannot open it ({e.strerror})")
        return None
    reason = distrust(os.fstat(fd))
    if reason:
        os.close(fd)
        if note is not None:
            note(path, reason)
        return None
    return fd


def read_trusted(path: StrPath, note: Callable[[StrPath, str], None] | None = None) -> bytes | None:
    """The bytes of ``path`` if :func:`open_trusted` opens it; else None."""
    from agent.tomlio import read_at_most

    fd = open_trusted(path, note)
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as handle:
        return read_at_most(handle, MAX_CACHE)
