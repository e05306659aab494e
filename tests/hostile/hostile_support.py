"""Shared pieces of the hostile-input tests: example counts, what "safe to show" means, TOML strategies."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# RECALL_AGENT_FUZZ_EXAMPLES=20000 runs many more cases than the default, e.g. before a release.
EXAMPLES = int(os.environ.get("RECALL_AGENT_FUZZ_EXAMPLES", "200"))

HOSTILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# What a terminal or a reader could be fooled by: C0/C1 controls, ESC, line and paragraph separators,
# format characters (bidirectional overrides and isolates, zero-width characters, tag characters).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def unsafe_characters(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in _UNSAFE_CATEGORIES]


def assert_safe(text: str, limit: int | None = None) -> None:
    """``text`` shows as what it is: no control, escape, bidi or zero-width character; within ``limit``."""
    assert not unsafe_characters(text), f"unsafe characters in {text!r}"
    if limit is not None:
        assert len(text) <= limit, f"{len(text)} > {limit} characters"


def assert_one_line_naming(problem: str, path: str) -> None:
    """A problem is one safe line that starts with the file's name."""
    assert isinstance(problem, str)
    assert problem.startswith(path + ":") or problem.startswith(path + " "), problem
    assert len(problem.splitlines()) == 1, problem
    assert_safe(problem)


# Characters that make trouble: controls, ESC, bidi overrides, zero-width, separators, surrogate-free odd planes.
TRICKY = st.sampled_from(
    [
        "\x00",
        "\x1b",
        "\x1b[2K",
        "\x1b]0;x\x07",
        "\n",
        "\r",
        "\t",
        "\x7f",
        "\x85",
        "\x9b",
        "\u200b",
        "\u200e",
        "\u202e",
        "\u2066",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\U000e0041",
        "\u00ad",
        "'",
        '"',
        "\\",
        "[",
        "]",
        "=",
        "#",
        ".",
        "*",
        "İ",
        "ß",
        "ﬃ",
        "Ω",
        "\ufffd",
        "RECALLED: ",
    ]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(TRICKY, st.text(max_size=5)), max_size=8).map("".join),
)

_LEAVES: st.SearchStrategy[Any] = st.one_of(
    TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)),
    st.times(),
)


def toml_values(keys: st.SearchStrategy[str] = TEXT) -> st.SearchStrategy[Any]:
    """Any value a TOML document can hold, nested a few levels deep."""
    return st.recursive(
        _LEAVES,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )


def toml_tables(keys: st.SearchStrategy[str] = TEXT) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(keys, toml_values(keys), max_size=8)


def dump_toml(document: dict[str, Any]) -> str | None:
    """``document`` as TOML text, or None when tomlkit cannot write it (it refuses some odd values)."""
    import tomlkit

    try:
        return tomlkit.dumps(document)
    except Exception:  # tomlkit raises several kinds of error for values TOML cannot hold
        return None


_MUTATION = st.tuples(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=40), TEXT)


def mutations() -> st.SearchStrategy[list[tuple[int, int, str]]]:
    """Edits of a text: at a position, delete some characters and insert others."""
    return st.lists(_MUTATION, min_size=1, max_size=6)


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for position, delete, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + delete :]
    return text


LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
