"""Parsed TOML kept between runs: a command whose inventory, configuration and matching policy have not
changed reads their parsed form back as JSON instead of loading the TOML parser and parsing them again.

Each memo is a file named after the source file's path. Its first line names the format, that path and
a digest of the text the document was parsed from; the rest is the document as JSON, with dates and times
tagged so that every value comes back exactly as the parser gave it. A memo is used only when
its first line matches the text read now, so any change to the file, however quick and whatever its
timestamps say, is parsed again. As with the rule cache, a memo is used only when it belongs to the
user running the program and nobody else may write it, and a damaged one is parsed again and replaced.

Memos are kept only once a command has said where (:func:`keep_in`): library callers and tests keep none.
"""

from __future__ import annotations

import os

from agent import datetimes as dt

try:  # hashlib would load OpenSSL on every start for one digest; its own BLAKE2 module is the same code
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython builds without it fall back to hashlib's
    from hashlib import blake2b

from agent import jsontext, trusted
from agent.paths import parent

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any

    from agent.paths import StrPath

FORMAT = "recall-agent parsed TOML 1"
_folder: list[str] = []  # where memos are kept, once a command has said so


def keep_in(folder: StrPath | None) -> None:
    """Keep memos in ``folder`` from now on in this process (None: keep none)."""
    _folder[:] = [os.fspath(folder)] if folder is not None else []


def recall(path: StrPath, text: str) -> dict[str, Any] | None:
    """The document ``text`` (the contents of ``path``) parses to, if a memo of it is kept; else None."""
    if not _folder:
        return None
    data = trusted.read_trusted(_memo_file(_folder[0], path))
    expected = _header(path, text)
    if data is None or not data.startswith(expected):
        return None
    try:
        doc = _unpack(data[len(expected) :])
    except (ValueError, TypeError, RecursionError):
        return None  # damaged: parsed again, and the memo replaced
    return doc if type(doc) is dict else None


def remember(path: StrPath, text: str, doc: dict[str, Any]) -> None:
    """Keep the document ``text`` (the contents of ``path``) parsed to, where memos are kept; a memo that
    cannot be written is left out (the file is parsed again next time)."""
    if not _folder:
        return
    import contextlib
    import json

    from agent.tomlio import atomic_write_bytes

    folder = _folder[0]
    if not _ours(folder):
        return  # root on the service's behalf: its memos would not be root's, so they are not kept
    try:
        body = json.dumps(_pack(doc), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return  # a value JSON cannot hold as given: this document is simply parsed every time
    with contextlib.suppress(OSError):
        atomic_write_bytes(_memo_file(folder, path), _header(path, text) + body, mode=0o600)


def _ours(folder: str) -> bool:
    """Whether ``folder`` (or, while it is missing, the folder it would be made in) is this user's."""
    for place in (folder, parent(folder)):
        try:
            return os.stat(place).st_uid == os.geteuid()
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True


def _memo_file(folder: str, path: StrPath) -> str:
    return os.path.join(folder, f"{blake2b(os.fsencode(path), digest_size=10).hexdigest()}.json")


def _header(path: StrPath, text: str) -> bytes:
    digest = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=32).hexdigest()
    head = {"format": FORMAT, "path": os.fspath(path), "text": digest}
    return jsontext.dumps(head).encode() + b"\n"


# A date or time is a JSON object of one key, one of these; a table that has a key starting with NUL (TOML
# allows it, written "\u0000") is not kept, so no table can be taken for one.
_TAG = "\x00"
_DATETIME, _DATE, _TIME = _TAG + "dt", _TAG + "d", _TAG + "t"
_FROM_TEXT = {_DATETIME: dt.datetime.fromisoformat, _DATE: dt.date.fromisoformat, _TIME: dt.time.fromisoformat}


def _pack(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        if any(key.startswith(_TAG) for key in value):
            raise ValueError("a key starting with NUL")
        return {key: _pack(inner) for key, inner in value.items()}
    if kind is list:
        return [_pack(inner) for inner in value]
    if kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is dt.datetime:
        return {_DATETIME: value.isoformat()}
    if kind is dt.date:
        return {_DATE: value.isoformat()}
    if kind is dt.time:
        return {_TIME: value.isoformat()}
    raise TypeError(f"not a TOML value: {kind.__name__}")


def _object(table: dict[str, Any]) -> Any:
    """A JSON object as json.loads makes it: a date or a time, or a table."""
    if len(table) == 1:
        for key, text in table.items():
            if key.startswith(_TAG):
                if type(text) is not str or key not in _FROM_TEXT:
                    raise ValueError(f"not a date or time: {key!r}")
                return _FROM_TEXT[key](text)
    return table


def _unpack(data: bytes) -> Any:
    return jsontext.loads(data, object_hook=_object)
