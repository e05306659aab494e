"""Fuzz the CPSC converter: `python fuzz_cpsc.py [libFuzzer options] [corpus folder ...]`.

The contract: any bytes give records or a one-line FeedError; each record gives a rule or a skip reason;
every rule, written as the feed cache writes it, loads without a single problem.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from agent.feeds import FeedError, cache, cpsc
from agent.rules.load import load_file

_FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-cpsc-"))


def target(data: bytes) -> None:
    try:
        records = cpsc.parse_response(data, "response")
    except FeedError as e:
        if "\n" in str(e) or not str(e).startswith("response: "):
            raise AssertionError(f"unclear error: {e!r}") from e
        return
    rules, skipped = cpsc.rules_from_records(records)
    if len(rules) + len(skipped) != len(records):
        raise AssertionError("a record was lost without a reason")
    for rule in rules:
        path = _FOLDER / cache.file_name(rule)
        path.write_text(cache.rule_to_toml(rule), encoding="utf-8")
        loaded, problems = load_file(path, "feed")
        path.unlink()
        if loaded is None or problems:
            raise AssertionError(f"the converter wrote a rule the loader refuses: {problems}")


def main() -> None:
    import atheris  # type: ignore[import-not-found,import-untyped,unused-ignore]

    atheris.instrument_all()
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
