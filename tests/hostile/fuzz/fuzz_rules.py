"""Fuzz the rule loader: `python fuzz_rules.py [libFuzzer options] [corpus folder ...]`.

The contract: any bytes give a rule or problems; every problem is one line that names the file and holds
no control, escape or bidirectional character. Anything else (an exception, a broken line) is a crash.
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from pathlib import Path

from agent.rules.load import load_file

_FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-rules-"))
_PATH = _FOLDER / "rule.toml"
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def target(data: bytes) -> None:
    _PATH.write_bytes(data)
    rule, problems = load_file(_PATH)
    if rule is None and not problems:
        raise AssertionError("neither a rule nor a problem")
    for problem in map(str, problems):
        if not problem.startswith(f"{_PATH}:"):
            raise AssertionError(f"problem does not name the file: {problem!r}")
        if any(unicodedata.category(c) in _UNSAFE for c in problem):
            raise AssertionError(f"unsafe character in {problem!r}")


def main() -> None:
    import atheris  # type: ignore[import-not-found,import-untyped,unused-ignore]

    atheris.instrument_all()
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
