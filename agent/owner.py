"""Files and folders root writes on someone else's behalf keep belonging to that someone.

`sudo recall-agent inventory add --system` runs as root but edits the service user's files under
/var/lib/recall-agent. A file root replaces keeps the owner and group of the file it replaces; a file or
folder root creates gets the owner and group of the folder it is created in. So the service can still
read and write everything after any admin command. Processes that are not root change no owner.

A file that an earlier root write left owned by root inside a folder that belongs to someone else is
given back to the folder's owner on the next write.
"""

from __future__ import annotations

import os

from agent.paths import parent

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath


def _is_root() -> bool:
    return os.geteuid() == 0


def _owner(info: os.stat_result) -> tuple[int, int]:
    return info.st_uid, info.st_gid


def owner_for(path: StrPath) -> tuple[int, int] | None:
    """Who should own ``path`` once root writes it: its current owner, else its folder's; None if not root."""
    if not _is_root():
        return None
    folder = os.stat(parent(path))
    try:
        current = os.stat(path)
    except FileNotFoundError:
        return _owner(folder)
    if current.st_uid == 0 and folder.st_uid != 0:
        return _owner(folder)
    return _owner(current)


def give_fd(fd: int, owner: tuple[int, int] | None) -> None:
    """Hand the open file ``fd`` to ``owner`` (a result of :func:`owner_for`)."""
    if owner is not None and _owner(os.fstat(fd)) != owner:
        os.fchown(fd, *owner)


def give_path(path: StrPath, owner: tuple[int, int] | None) -> None:
    """Hand ``path`` itself (never what a symbolic link there points to) to ``owner``."""
    if owner is not None and _owner(os.lstat(path)) != owner:
        os.chown(path, *owner, follow_symlinks=False)


def give_new_folder(folder: StrPath) -> None:
    """A folder root just created belongs to whoever owns the folder it was created in."""
    if _is_root():
        give_path(folder, _owner(os.stat(parent(folder))))


def give_tree(top: StrPath) -> None:
    """``top`` and everything in it belong to whoever owns ``top``'s parent folder (when root)."""
    if not _is_root():
        return
    owner = _owner(os.stat(parent(top)))
    give_path(top, owner)
    for folder, dirs, files in os.walk(top):
        for name in (*dirs, *files):
            give_path(os.path.join(folder, name), owner)


def give_new_tree(top: StrPath) -> None:
    """:func:`give_tree` for a tree this process has just created: when the parent folder is root's own,
    everything in it is already root's, so it is not walked (ten thousand rule files of a feed)."""
    if _is_root() and _owner(os.stat(parent(top))) != (os.geteuid(), os.getegid()):
        give_tree(top)
