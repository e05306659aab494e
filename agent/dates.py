"""Dates as written on labels and in notices: a full date, or just a year and a month."""

from __future__ import annotations

import functools

from agent import datetimes as dt
from agent.record import Record

_PATTERN = r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"  # compiled (and kept by re) when a date is first read from text


@functools.total_ordering
class PartialDate(Record):
    """A calendar date whose day may be unknown (``2023-04``).

    Ordered by the first day each can stand for, a month before the days in it: 2023-04 < 2023-04-01 < 2023-04-02.
    """

    year: int
    month: int
    day: int | None = None

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month, 0 if self.day is None else self.day)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def first(self) -> dt.date:
        """The earliest day this value can stand for."""
        return dt.date(self.year, self.month, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The latest day this value can stand for."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        first = dt.date(self.year, self.month, 1)  # ValueError for a month that does not exist
        if self.month == 12:
            return first.replace(day=31)
        return first.replace(month=self.month + 1) - dt.timedelta(days=1)  # (calendar would cost start-up)


def parse_partial_date(value: object) -> PartialDate:
    """Read ``2023-04``, ``2023-04-17`` or a TOML date; raise ValueError with a plain reason otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"expected a date like 2023-04-17 or 2023-04, got {type(value).__name__}")
    import re

    match = re.match(_PATTERN, value.strip())
    if not match:
        raise ValueError(f"expected a date like 2023-04-17 or 2023-04, got {value!r}")
    year, month = int(match[1]), int(match[2])
    day = int(match[3]) if match[3] else None
    try:
        dt.date(year, month, day or 1)
    except ValueError as e:
        raise ValueError(f"{value!r} is not a real date ({e})") from e
    return PartialDate(year, month, day)


def within(value: PartialDate, start: PartialDate | None, end: PartialDate | None) -> bool | None:
    """True if ``value`` lies in the window, False if it lies outside, None if it straddles a boundary."""
    lo = start.first if start else dt.date.min
    hi = end.last if end else dt.date.max
    if value.first >= lo and value.last <= hi:
        return True
    if value.last < lo or value.first > hi:
        return False
    return None
