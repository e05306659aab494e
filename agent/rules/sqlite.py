"""SQLite for the indexed rule cache, from CPython's C module.

``import sqlite3`` also imports datetime, to register the adapters and converters of dates and times
that the cache never uses (it stores text, numbers and bytes alone): about 3 M instructions on every
start that reads an indexed cache. The names here are the very objects ``sqlite3`` gives; interpreters
without the C module get them from ``sqlite3``.
"""

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from sqlite3 import Connection, Error, connect
else:
    try:
        from _sqlite3 import Connection, Error, connect
    except ImportError:  # pragma: no cover - an interpreter without CPython's C module
        from sqlite3 import Connection, Error, connect

__all__ = ["Connection", "Error", "connect"]
