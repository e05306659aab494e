"""SIGKILL at random moments while the daemon saves notified.json: it is always a whole old or new version."""

from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path

from hostile.state_writer import state_of, version_of
from killing import kill_while_writing

from agent.state import NotifyState

WRITER = Path(__file__).with_name("state_writer.py")
WRITES = 1000
KILLS = 40


def _read(path: Path) -> int:
    """The version in the file, read the way the daemon reads it, but without moving a bad file aside."""
    return version_of(NotifyState.from_json(json.loads(path.read_bytes())))


def test_sigkill_during_state_writes_never_corrupts(tmp_path: Path) -> None:
    path = tmp_path / "state" / "notified.json"
    state_of(0).save(path)
    rng = random.Random(7)
    torn: list[str] = []
    reads = 0
    stop = threading.Event()

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                _read(path)
            except Exception as e:  # anything but a whole version is a failure
                torn.append(repr(e))
            reads += 1

    watcher = threading.Thread(target=reader)
    watcher.start()
    version, kills, started = 0, 0, time.monotonic()
    try:
        while (version < WRITES or kills < KILLS) and time.monotonic() - started < 60:
            kill_while_writing(WRITER, [str(path)], rng, 0.02, 0.2)
            kills += 1
            new_version = _read(path)
            assert new_version >= version
            version = new_version
    finally:
        stop.set()
        watcher.join()
    print(f"{version} state writes, {kills} SIGKILLs survived, {reads} concurrent reads")
    assert torn == []
    assert version >= WRITES
    assert kills >= KILLS
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    NotifyState.load(path)  # the daemon's start removes what killed writers left behind
    assert sorted(p.name for p in path.parent.iterdir()) == ["notified.json"]
