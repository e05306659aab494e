"""Saves versions of the notification state until killed: `python state_writer.py PATH`.

Version n holds n % 40 + 1 records, each stamped with n, so a torn or mixed file would show.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from agent.state import NotifyState

EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def state_of(version: int) -> NotifyState:
    state = NotifyState()
    when = EPOCH + dt.timedelta(seconds=version)
    for n in range(version % 40 + 1):
        state.notified((f"item-{n}", "rule-with-a-longish-id-" + "x" * n), "likely", when)
    return state


def version_of(state: NotifyState) -> int:
    """The version a loaded state was saved as; AssertionError if its records disagree."""
    stamps = {int((r.last_reminded - EPOCH).total_seconds()) for r in state.records.values()}
    assert len(stamps) == 1, f"records of several versions: {sorted(stamps)}"
    (version,) = stamps
    assert len(state.records) == version % 40 + 1, "records missing"
    return version


def main() -> None:
    path = Path(sys.argv[1])
    version = version_of(NotifyState.load(path)) if path.exists() else 0
    sys.stdout.write("ready\n")  # imports are done: the test's kill timer starts now, not at process start
    sys.stdout.flush()
    while True:
        version += 1
        state_of(version).save(path)


if __name__ == "__main__":
    main()
