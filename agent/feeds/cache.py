"""The rule cache of one feed: one TOML file per rule plus ``feed.json``, replaced as a whole.

A new cache is written into a hidden directory beside the old one, made durable, then swapped in
with two renames (old aside, new in place) and the old one removed. A crash between the renames leaves
the old cache aside under ``.<name>.old-*``; ``recover`` puts it back before the next update. Readers
that skip hidden directories (the rule loader does) never see a half-written cache.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from agent.feeds.meta import META
from agent.tomlio import fsync_dir, sync_files

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any

_SAFE_NAME = re.compile(r"[^a-z0-9-]+")


def rule_to_toml(rule: Mapping[str, Any]) -> str:
    """A rule document as TOML text, with a comment saying where it came from."""
    from agent.feeds.toml_out import document

    return document(rule, f"Converted from {rule['issuer']['name']} data; edit the feed, not this file.")


def file_name(rule: Mapping[str, Any]) -> str:
    return _SAFE_NAME.sub("-", str(rule["id"]).lower()) + ".toml"


def recover(cache_dir: Path) -> None:
    """Undo an interrupted swap and remove leftovers of interrupted writes."""
    import shutil  # writers only: a scan that reads the feed's age stays light

    parent, name = cache_dir.parent, cache_dir.name
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not cache_dir.exists():
        os.rename(olds.pop(), cache_dir)
    for leftover in [*olds, *parent.glob(f".{name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def replace(cache_dir: Path, rules: Iterable[Mapping[str, Any]], meta: Mapping[str, Any], *, merge: bool) -> int:
    """Write ``rules`` (on top of the current ones with ``merge``) as the new cache; return the rule count."""
    return replace_texts(cache_dir, ((file_name(rule), rule_to_toml(rule)) for rule in rules), meta, merge=merge)


def replace_texts(cache_dir: Path, texts: Iterable[tuple[str, str]], meta: Mapping[str, Any], *, merge: bool) -> int:
    """:func:`replace` with each rule already rendered: (file name, TOML text), written as they come (a
    later text of the same name replaces an earlier one)."""
    import shutil  # writers only: a scan that reads the feed's age stays light
    import tempfile

    from agent import owner
    from agent.tomlio import private_dir

    private_dir(cache_dir.parent)
    new = Path(tempfile.mkdtemp(prefix=f".{cache_dir.name}.new-", dir=cache_dir.parent))
    try:
        os.chmod(new, 0o755)  # noqa: S103 - public recall data, read by scans of any user
        folder = str(new)
        written: set[str] = set()
        for name, text in texts:
            _write(os.path.join(folder, name), text)
            written.add(name)
        if merge and cache_dir.is_dir():
            for old_file in cache_dir.glob("*.toml"):
                if old_file.name not in written:  # the others were written anew just above
                    shutil.copy2(old_file, new / old_file.name)
        count = sum(1 for name in os.listdir(folder) if name.endswith(".toml") and not name.startswith("."))
        import json  # a scan reads the metadata with agent.jsontext; only writing it needs json

        _write(new / META, json.dumps({**meta, "rules": count}, indent=2, default=str) + "\n")
        sync_files(new, sorted(new.iterdir()))  # every file durable before the new folder is swapped in
        fsync_dir(new)
        owner.give_new_tree(new)  # root's `rules import --system` leaves the service user's cache its own
        _swap(new, cache_dir)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return count


def _swap(new: Path, cache_dir: Path) -> None:
    import shutil  # writers only: a scan that reads the feed's age stays light
    import tempfile

    if cache_dir.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".{cache_dir.name}.old-", dir=cache_dir.parent))
        os.rmdir(aside)
        os.rename(cache_dir, aside)
        os.rename(new, cache_dir)
        fsync_dir(cache_dir.parent)
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.rename(new, cache_dir)
        fsync_dir(cache_dir.parent)


def _write(path: Path | str, text: str) -> None:
    """``text`` as the whole of the file ``path``, readable by every user: public recall data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(fd, data) :]
        try:  # noqa: SIM105 - contextlib.suppress would be imported by every scan that reads feed.json
            os.fchmod(fd, 0o644)  # whatever the umask
        except OSError:
            pass  # a file system without modes
    finally:
        os.close(fd)
