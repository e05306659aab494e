"""Typed reading of parsed TOML tables that collects every problem instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from agent import datetimes as dt
from agent.dates import PartialDate, parse_partial_date
from agent.problems import Problem

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")


class Problems:
    """Problems found in one file, each naming the item (by its kind and id) and, when there is one, the field."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []

    def add(self, problem: str, *, kind: str = "", item: str = "", field: str = "") -> None:
        self.items.append(Problem(path=self.path, kind=kind, item=item, field=field, message=problem))

    def __bool__(self) -> bool:
        return bool(self.items)


class Fields:
    """Reads the fields of one table of the item ``kind`` ("rule", "item") called ``item``."""

    def __init__(
        self, table: Mapping[str, Any], problems: Problems, *, kind: str, item: str = "", prefix: str = ""
    ) -> None:
        self.table = table
        self.problems = problems
        self.kind = kind
        self.item = item
        self.prefix = prefix
        self.seen: set[str] = set()

    def add(self, problem: str, field: str = "") -> None:
        """A problem with this table (about ``field``, a full dotted name, when there is one)."""
        self.problems.add(problem, kind=self.kind, item=self.item, field=field)

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def bad(self, key: str, problem: str) -> None:
        self.add(f"field '{self._name(key)}': {problem}", self._name(key))

    def _get(self, key: str, kind: type | tuple[type, ...], kind_name: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.table:
            if required:
                self.add(f"missing required field '{self._name(key)}'", self._name(key))
            return None
        value = self.table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.bad(key, f"expected {kind_name}, got {_type_name(value)}")
            return None
        return value

    def text(self, key: str, *, required: bool = False, choices: tuple[str, ...] = ()) -> str:
        value = self.table.get(key)
        if type(value) is str and not choices:  # the usual case, read without the checks' calls
            self.seen.add(key)
            stripped = value.strip()
            if stripped or not required:
                return stripped
        value = self._get(key, str, "a string", required)
        if value is None:
            return ""
        value = value.strip()
        if required and not value:
            self.bad(key, "must not be empty")
        if choices and value not in choices:
            self.bad(key, f"expected one of {', '.join(choices)}, got {value!r}")
            return ""
        return str(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, bool, "true or false", False)
        return default if value is None else bool(value)

    def integer(self, key: str) -> int | None:
        value = self._get(key, int, "an integer", False)
        return None if value is None else int(value)

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self._get(key, list, "a list of strings", required)
        if value is None:
            return ()
        out: list[str] = []
        for index, entry in enumerate(value):
            if not isinstance(entry, str) or not entry.strip():
                self.bad(f"{key}[{index}]", f"expected a non-empty string, got {_type_name(entry)}")
            else:
                out.append(entry.strip())
        if required and not out:
            self.bad(key, "must list at least one entry")
        return tuple(out)

    def date(self, key: str, *, required: bool = False) -> PartialDate | None:
        self.seen.add(key)
        if key not in self.table:
            if required:
                self.add(f"missing required field '{self._name(key)}'", self._name(key))
            return None
        try:
            return parse_partial_date(self.table[key])
        except ValueError as e:
            self.bad(key, str(e))
            return None

    def full_date(self, key: str) -> dt.date | None:
        value = self.date(key)
        if value is not None and value.day is None:
            self.bad(key, f"expected a full date like {value}-01, got {value}")
            return None
        return value.first if value else None

    def timestamp(self, key: str) -> dt.datetime | None:
        value = self._get(key, dt.datetime, "a date and time like 2024-06-06T12:00:00Z", False)
        return value if isinstance(value, dt.datetime) else None

    def table_of(self, key: str) -> Fields | None:
        value = self._get(key, dict, "a table", False)
        if value is None:
            return None
        return Fields(value, self.problems, kind=self.kind, item=self.item, prefix=f"{self._name(key)}.")

    def tables(self, key: str) -> list[Fields]:
        value = self._get(key, list, "a list of tables", False)
        if value is None:
            return []
        out = []
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.bad(f"{key}[{index}]", f"expected a table, got {_type_name(entry)}")
            else:
                prefix = f"{self._name(key)}[{index}]."
                out.append(Fields(entry, self.problems, kind=self.kind, item=self.item, prefix=prefix))
        return out

    def converted(self, key: str, convert: Callable[[Any], T]) -> T | None:
        """Run ``convert`` on the raw value; its ValueError becomes a problem for this field."""
        self.seen.add(key)
        if key not in self.table:
            return None
        try:
            return convert(self.table[key])
        except ValueError as e:
            self.bad(key, str(e))
            return None

    def reject_unknown(self) -> None:
        if self.seen.issuperset(self.table):
            return  # the usual case: every field was read
        for key in self.table:
            if key not in self.seen:
                self.add(f"unknown field '{self._name(key)}'", self._name(key))


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value!r}" if len(value) < 40 else "a string"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__
