"""Writes versions of an inventory until killed: `python crash_writer.py PATH FIRST_VERSION`.

It prints "ready" once its imports are done and it is about to write.

Each version holds a counter and a block of items whose size varies, so a torn write would show.
"""

from __future__ import annotations

import sys
from pathlib import Path

from agent.inventory import store


def main() -> None:
    path, version = Path(sys.argv[1]), int(sys.argv[2])
    sys.stdout.write("ready\n")  # imports are done: the test's kill timer starts now, not at process start
    sys.stdout.flush()
    while True:
        store.edit_item(path, "counter", {"notes": str(version), "model": "M" * (version % 97) + "x"})
        version += 1


if __name__ == "__main__":
    main()
