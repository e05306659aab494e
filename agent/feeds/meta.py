"""What a feed's cache says about itself (``feed.json``): read by every scan that reports the data's age,
so it needs neither the cache's writer nor pathlib."""

from __future__ import annotations

import os

from agent import datetimes as dt
from agent import jsontext

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agent.paths import StrPath

META = "feed.json"


def read_meta(cache_dir: StrPath) -> dict[str, Any]:
    """The cache's metadata, or {} when there is no cache or it cannot be read."""
    try:
        with open(os.path.join(cache_dir, META), encoding="utf-8") as handle:
            data = jsontext.loads(handle.read())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def data_as_of(meta: Mapping[str, Any]) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(meta.get("data_as_of", "")))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
