"""Reading the files a configuration names for its secrets, and refusing files others could read or change.

A secret file must belong to the user the agent runs as (or to root) and give others no access at all;
its group may read it (root:recall-agent 0640 for the system service) but not change it. The
configuration itself must not be writable by anyone else: whoever can edit it can point the agent at their
own broker.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from agent.config.errors import ConfigError

MAX_SECRET = 64_000


def check_owner_and_mode(path: Path, info: os.stat_result, *, secret: bool) -> str:
    """The problem with who may read or change ``path``, or "" when it is safe to use."""
    if info.st_uid not in (os.geteuid(), 0):
        return f"belongs to another user (uid {info.st_uid}); it must be yours or root's"
    mode = stat.S_IMODE(info.st_mode)
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"can be changed by other users (mode {mode:04o}); run `chmod go-w {path}`"
    if secret and mode & stat.S_IRWXO:
        return f"can be read by other users (mode {mode:04o}); run `chmod o-rwx {path}`"
    return ""


def resolve(value: str, config_path: Path) -> Path:
    """A path written in the configuration; a relative one is relative to the configuration's folder."""
    path = Path(os.path.expanduser(value))
    return path if path.is_absolute() else config_path.parent / path


def read_secret(path: Path, *, config: Path, field: str) -> str:
    """The secret in ``path``, stripped of surrounding blank space; ConfigError naming the field otherwise."""

    def problem(text: str) -> ConfigError:
        return ConfigError(config, f"{field}: {path}: {text}")

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError as e:
        raise problem("no such file") from e
    except OSError as e:
        if os.path.islink(path):  # O_NOFOLLOW: a link could be swapped for another file after the check
            raise problem("is a symbolic link; name the file itself") from e
        raise problem(f"cannot read: {e.strerror}") from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise problem("is not a regular file")
        unsafe = check_owner_and_mode(path, info, secret=True)
        if unsafe:
            raise problem(unsafe)
        data = os.read(fd, MAX_SECRET + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_SECRET:
        raise problem("is too large for a secret")
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError as e:
        raise problem("is not UTF-8 text") from e
    if not text:
        raise problem("is empty")
    return text
