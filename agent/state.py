"""The daemon's memory of what it notified and when, kept across restarts in one JSON file.

One record per (item id, rule id): when it was first shown, when it was last shown again, at which
confidence, and whether the person acknowledged it from the notification. Files are written
atomically (a temporary file in the same folder, fsync, rename, fsync of the folder), 0600 by default,
in folders created 0700.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from agent import datetimes as dt
from agent.confidence import Confidence, stronger
from agent.tomlio import atomic_write_bytes, remove_leftovers

logger = logging.getLogger(__name__)

FORMAT = 1
Key = tuple[str, str]  # (item id, rule id)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeRecord:
    item_id: str
    rule_id: str
    confidence: str
    first_notified: dt.datetime
    last_reminded: dt.datetime
    acknowledged: dt.datetime | None = None
    remind_at: dt.datetime | None = None  # "Remind me later": shown again from then on
    only_logged: bool = False  # went to the log because no notification server answered: show it later

    @property
    def key(self) -> Key:
        return (self.item_id, self.rule_id)


class NotifyState:
    """What was shown; ``due`` says whether a finding should be shown (again) now."""

    def __init__(self, records: dict[Key, NoticeRecord] | None = None) -> None:
        self.records: dict[Key, NoticeRecord] = dict(records or {})

    def get(self, key: Key) -> NoticeRecord | None:
        return self.records.get(key)

    def due(self, key: Key, confidence: str, now: dt.datetime, remind_after: dt.timedelta | None) -> bool:
        """New findings, findings that grew more certain, and unhandled likely ones past ``remind_after``."""
        record = self.records.get(key)
        if record is None:
            return True
        if record.acknowledged is not None:
            return False
        if stronger(confidence, than=record.confidence):
            return True
        if record.remind_at is not None:
            return now >= record.remind_at
        if remind_after is None or record.confidence != Confidence.LIKELY.label:
            return False
        return now - record.last_reminded >= remind_after

    def notified(self, key: Key, confidence: str, now: dt.datetime, *, only_logged: bool = False) -> NoticeRecord:
        old = self.records.get(key)
        if old is None:
            record = NoticeRecord(
                item_id=key[0],
                rule_id=key[1],
                confidence=confidence,
                first_notified=now,
                last_reminded=now,
                only_logged=only_logged,
            )
        else:
            record = replace(old, confidence=confidence, last_reminded=now, remind_at=None, only_logged=only_logged)
        self.records[key] = record
        return record

    def acknowledge(self, key: Key, now: dt.datetime) -> None:
        if key in self.records:
            self.records[key] = replace(self.records[key], acknowledged=now)

    def snooze(self, key: Key, until: dt.datetime) -> None:
        """The person asked to be reminded later: quiet until ``until``, then due again."""
        if key in self.records:
            self.records[key] = replace(self.records[key], remind_at=until)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "notices": [_record_to_json(r) for r in sorted(self.records.values(), key=_order)]}

    @classmethod
    def from_json(cls, data: Any) -> NotifyState:
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("notices"), list):
            raise ValueError(f"not a format {FORMAT} notification state")
        records = [_record_from_json(entry) for entry in data["notices"]]
        return cls({r.key: r for r in records})

    def save(self, path: Path) -> None:
        atomic_write_bytes(path, (json.dumps(self.to_json(), indent=1) + "\n").encode())

    @classmethod
    def load(cls, path: Path) -> NotifyState:
        """The saved state; empty if there is none. A damaged file is kept beside it as ``*.corrupt``.

        Temporary files a killed writer left beside it are removed: only the daemon writes this file, and it
        loads it once, before its first save.
        """
        if path.parent.is_dir():
            remove_leftovers(path)
        try:
            return cls.from_json(json.loads(path.read_bytes()))
        except FileNotFoundError:
            return cls()
        except (ValueError, KeyError, TypeError) as e:  # json.JSONDecodeError is a ValueError
            aside = path.with_name(path.name + ".corrupt")
            os.replace(path, aside)
            logger.warning("%s: unreadable (%s); moved to %s and starting afresh", path, e, aside.name)
            return cls()


def _order(record: NoticeRecord) -> Key:
    return record.key


def _record_to_json(r: NoticeRecord) -> dict[str, Any]:
    return {
        "item": r.item_id,
        "rule": r.rule_id,
        "confidence": r.confidence,
        "first_notified": r.first_notified.isoformat(),
        "last_reminded": r.last_reminded.isoformat(),
        "acknowledged": r.acknowledged.isoformat() if r.acknowledged else None,
        "remind_at": r.remind_at.isoformat() if r.remind_at else None,
        "only_logged": r.only_logged,
    }


def _record_from_json(entry: dict[str, Any]) -> NoticeRecord:
    acknowledged = entry.get("acknowledged")
    remind_at = entry.get("remind_at")
    return NoticeRecord(
        item_id=str(entry["item"]),
        rule_id=str(entry["rule"]),
        confidence=str(entry["confidence"]),
        first_notified=dt.datetime.fromisoformat(entry["first_notified"]),
        last_reminded=dt.datetime.fromisoformat(entry["last_reminded"]),
        acknowledged=dt.datetime.fromisoformat(acknowledged) if acknowledged else None,
        remind_at=dt.datetime.fromisoformat(remind_at) if remind_at else None,
        only_logged=entry.get("only_logged") is True,
    )
