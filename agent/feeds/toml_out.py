"""TOML text for the rule documents a feed converts: plain values, tables and arrays of tables.

A feed import writes thousands of these; a general TOML library that keeps a document model costs
milliseconds for each, this writer a small fraction of that. It covers exactly what rule documents hold:
strings, integers, floats, booleans, dates, lists of those (nested too), tables, and lists of tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from agent import datetimes as dt

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def string(text: str) -> str:
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # nothing _NEEDS_ESCAPE finds: printable ASCII is \x20 to \x7e
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


@lru_cache(maxsize=256)  # the same few keys in every rule
def key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else string(name)


def value(item: Any) -> str:
    """One inline value."""
    if isinstance(item, str):
        return string(item)
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (int, float)):
        return repr(item)
    if isinstance(item, (dt.date, dt.datetime)):
        return item.isoformat()
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(v) for v in item) + "]"
    if isinstance(item, Mapping):
        return "{" + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + "}"
    raise TypeError(f"a rule document cannot hold a {type(item).__name__}")


def _is_tables(item: Any) -> bool:
    return isinstance(item, (list, tuple)) and bool(item) and all(isinstance(v, Mapping) for v in item)


def table(doc: Mapping[str, Any], path: tuple[str, ...] = ()) -> list[str]:
    """The lines of one table: its plain values first, then its tables and arrays of tables."""
    lines = [f"{key(k)} = {value(v)}" for k, v in doc.items() if not isinstance(v, Mapping) and not _is_tables(v)]
    for name, item in doc.items():
        inner = (*path, key(name))
        if isinstance(item, Mapping):
            lines += ["", f"[{'.'.join(inner)}]", *table(item, inner)]
        elif _is_tables(item):
            for element in item:
                lines += ["", f"[[{'.'.join(inner)}]]", *table(element, inner)]
    return lines


def document(doc: Mapping[str, Any], comment: str = "") -> str:
    head = [f"# {_NEEDS_ESCAPE.sub(' ', comment)}"] if comment else []
    return "\n".join([*head, *table(doc)]) + "\n"
