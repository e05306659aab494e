"""Fuzz the inventory parser: `python fuzz_inventory.py [libFuzzer options] [corpus folder ...]`.

The contract: any bytes give items, or a ProblemList or InventoryError whose every line names the file
and holds no control, escape or bidirectional character. Any other exception is a crash.
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from pathlib import Path

from agent.errors import InventoryError, ProblemList
from agent.inventory import store

_FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-inventory-"))
_PATH = _FOLDER / "inventory.toml"
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def target(data: bytes) -> None:
    _PATH.write_bytes(data)
    try:
        store.load(_PATH)
        return
    except ProblemList as e:
        lines = [str(p) for p in e.problems]
    except InventoryError as e:
        lines = str(e).split("\n")
    if not lines:
        raise AssertionError("an error without a problem")
    for line in lines:
        if not line.startswith(f"{_PATH}:"):
            raise AssertionError(f"problem does not name the file: {line!r}")
        if any(unicodedata.category(c) in _UNSAFE for c in line):
            raise AssertionError(f"unsafe character in {line!r}")


def main() -> None:
    import atheris  # type: ignore[import-not-found,import-untyped,unused-ignore]

    atheris.instrument_all()
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
