"""SIGKILL at random moments while the inventory is being rewritten: it is always the old or the new
version, never a torn file; and parallel writers lose no update."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import write
from killing import kill_while_writing

from agent.inventory import store

WRITER = Path(__file__).with_name("crash_writer.py")
WRITES = 1000
KILLS = 100
HANG_GUARD = 900  # seconds: only a writer that hangs trips it; a loaded machine just takes longer


def _version(path: Path) -> int:
    """The version in the file; load() raises on a torn or half-written file."""
    (item,) = [i for i in store.load(path).items if i.id == "counter"]
    version = int(item.notes)
    assert item.model == "M" * (version % 97) + "x", "fields from two different versions"
    return version


def test_sigkill_during_writes_never_corrupts(inventory_path: Path) -> None:
    write(
        inventory_path, '# kept comment\nversion = 1\n\n[items.counter]\nname = "Counter"\nnotes = "0"\nmodel = "x"\n'
    )
    rng = random.Random(4)
    version, kills, started = 0, 0, time.monotonic()
    while (version < WRITES or kills < KILLS) and time.monotonic() - started < HANG_GUARD:
        kill_while_writing(WRITER, [str(inventory_path), str(version + 1)], rng, 0.005, 0.06)
        kills += 1
        new_version = _version(inventory_path)
        assert new_version >= version
        version = new_version
        assert "# kept comment" in inventory_path.read_text()
        backup = inventory_path.with_name("inventory.toml.bak")
        if backup.exists():
            write(backup.with_suffix(".check"), backup.read_text())
            assert _version(backup.with_suffix(".check")) <= version
    print(f"{version} writes survived {kills} SIGKILLs")
    assert version >= WRITES
    assert kills >= KILLS
    store.edit_item(inventory_path, "counter", {"name": "Counter"})
    assert [p.name for p in inventory_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_parallel_writers_lose_no_update(inventory_path: Path) -> None:
    def add_many(worker: int) -> None:
        for n in range(15):
            store.add_item(inventory_path, {"name": f"Thing {worker}-{n}"}, item_id=f"t{worker}-{n}")

    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                (
                    "import sys; from pathlib import Path; from agent.inventory import store\n"
                    f"for n in range(15): store.add_item(Path(sys.argv[1]), {{'name': 'P{w}'}}, item_id='p{w}-' + str(n))"
                ),
                str(inventory_path),
            ]
        )
        for w in range(4)
    ]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(add_many, range(4)))
    assert all(p.wait(timeout=120) == 0 for p in processes)
    ids = {i.id for i in store.load(inventory_path).items}
    assert len(ids) == 8 * 15
