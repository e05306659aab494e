"""The date and time types, taken from CPython's C module.

``import datetime`` first runs the module's pure-Python implementation of every type and then replaces
them with the C ones: about 4 M instructions on every start for classes that are thrown away. The types
here are the very same objects ``datetime`` gives (``datetimes.date is datetime.date``); interpreters
without the C module get them from ``datetime``.
"""

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from datetime import date, datetime, time, timedelta, timezone, tzinfo
else:
    try:
        from _datetime import date, datetime, time, timedelta, timezone, tzinfo
    except ImportError:  # pragma: no cover - an interpreter without CPython's C module
        from datetime import date, datetime, time, timedelta, timezone, tzinfo

__all__ = ["date", "datetime", "time", "timedelta", "timezone", "tzinfo"]
