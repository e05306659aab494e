"""Reading TOML with errors that name the line, and writing files atomically."""

from __future__ import annotations

import os

from agent.errors import InputFileError
from agent.paths import parent

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, BinaryIO

    from agent.paths import StrPath

_AT_LINE = r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$"  # compiled on the first error


def read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of ``handle``, in pieces: ``read(limit + 1)`` would allocate the whole limit
    up front, and a small machine (a 1 GB guest refuses a 1 GB allocation) fails before reading a byte."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = handle.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_text(path: StrPath, limit: int, error: type[InputFileError] = InputFileError) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes, without ever loading a larger one whole."""
    try:
        with open(path, "rb") as handle:
            data = read_at_most(handle, limit)
    except FileNotFoundError as e:
        raise error(path, "no such file") from e
    except IsADirectoryError as e:
        raise error(path, "is a folder, not a file") from e
    except OSError as e:
        raise error(path, f"cannot read: {e.strerror}") from e
    if len(data) > limit:
        raise error(path, f"larger than {limit // 1_000_000} MB; refusing to load it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise error(path, "not valid UTF-8 text", line=line) from e


def parse_toml(
    text: str, path: StrPath, error: type[InputFileError] = InputFileError, *, memo: bool = False
) -> dict[str, Any]:
    """Parse TOML; a syntax error becomes ``error`` naming the file, the line and the problem.

    With ``memo``, the parsed document is kept for the next run that reads the same text (see
    :mod:`agent.tomlmemo`); a file read on every start asks for it.
    """
    if text.startswith("\ufeff"):  # TOML forbids it, and the parser's own words would not say so
        raise error(
            path, "starts with a byte-order mark (BOM), which TOML does not allow; save it as UTF-8 without BOM", line=1
        )
    if memo:
        from agent import tomlmemo

        kept = tomlmemo.recall(path, text)
        if kept is not None:
            return kept
    try:  # the compiled tomli wheel parses about twice as fast as the standard library's pure-Python tomllib
        import tomli as tomllib
    except ImportError:  # pragma: no cover - tomli is a dependency, but Python 3.11+ works without it
        import tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        line: int | None = None
        import re

        found = re.search(_AT_LINE, message)
        if found:
            message = message[: found.start()]
            line = int(found[1]) if found[1] else max(1, len(text.splitlines()))
        raise error(path, f"invalid TOML: {message[:1].lower()}{message[1:]}", line=line) from e
    if memo:
        tomlmemo.remember(path, text, doc)
    return doc


def atomic_write(path: StrPath, text: str, *, mode: int | None = None, backup: bool = False) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file, never a mix.

    The new file keeps the mode of the file it replaces (0600 for a new one) unless ``mode`` is given,
    and, when root writes it, the owner and group (see :mod:`agent.owner`). With ``backup``, the previous
    version is kept as ``<name>.bak``.
    """
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode, backup=backup)


def atomic_write_bytes(path: StrPath, data: bytes, *, mode: int | None = None, backup: bool = False) -> None:
    """The bytes form of :func:`atomic_write`."""
    import contextlib
    import stat
    import tempfile  # only writers pay for it

    from agent import owner

    directory, name = parent(path), os.path.basename(path)
    private_dir(directory)
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o600
    new_owner = owner.owner_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    keep = os.path.join(directory, f".{name}.bak.tmp")
    try:
        owner.give_fd(fd, new_owner)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and os.path.exists(path):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(keep)
            os.link(path, keep)
            owner.give_path(keep, new_owner)
            os.replace(keep, os.path.join(directory, f"{name}.bak"))
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, keep):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
        raise
    fsync_dir(directory)


def fsync_dir(directory: StrPath) -> None:
    """Make renames and new entries in ``directory`` durable."""
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def sync_files(folder: StrPath, files: Sequence[StrPath]) -> None:
    """Make ``files``, all written in ``folder``, durable: one flush of the file system holding them.

    A thousand fsync calls cost a journal commit each; Linux's syncfs commits once. Where it is missing,
    each file is fsynced.
    """
    import ctypes
    import ctypes.util

    try:
        syncfs = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).syncfs
    except (OSError, AttributeError):
        syncfs = None
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def private_dir(folder: StrPath) -> None:
    """Create ``folder`` and its missing parents as 0700 whatever the umask; existing folders keep their mode.

    A folder root creates belongs to the owner of the folder it is created in (see :mod:`agent.owner`).
    """
    from agent import owner

    missing = []
    path = os.path.abspath(folder)
    while not os.path.exists(path):
        missing.append(path)
        path, top = os.path.dirname(path), path
        if path == top:
            break
    for path in reversed(missing):
        try:
            os.mkdir(path, mode=0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)
        owner.give_new_folder(path)


def remove_leftovers(path: StrPath) -> None:
    """Remove temporary files a killed writer left beside ``path``; call it only while holding the lock."""
    import contextlib

    directory, name = parent(path), os.path.basename(path)
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    for leftover in names:
        if leftover.startswith(f".{name}.") and leftover.endswith(".tmp") and len(leftover) >= len(name) + 6:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(directory, leftover))


class locked:  # lower case like contextlib.suppress: used as ``with locked(path):``
    """Hold an exclusive advisory lock beside ``path`` for one read-modify-write."""

    def __init__(self, path: StrPath) -> None:
        self.path = os.fspath(path)
        self._fd = -1

    def __enter__(self) -> None:
        import fcntl

        from agent import owner

        directory, name = parent(self.path), os.path.basename(self.path)
        private_dir(directory)
        lock_path = os.path.join(directory, f".{name}.lock")
        lock_owner = owner.owner_for(lock_path)
        # Read-only is enough for flock(), so a lock file that belongs to someone else still works.
        fd = os.open(lock_path, os.O_RDONLY | os.O_CREAT, 0o600)
        try:
            owner.give_fd(fd, lock_owner)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def __exit__(self, *exc: object) -> None:
        fd, self._fd = self._fd, -1
        os.close(fd)
