"""agent.jsontext reads and writes what the json package reads and writes, on the program's own caches and
on seeded random values, and refuses what json refuses."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from agent import jsontext, tomlmemo
from agent.paths import shipped_rules_dir
from agent.rules import cache
from agent.rules.load import load_rules


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN to NaN included, and of the same types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


_CHARS = 'az AZ09"\\/\b\f\n\r\t\x00\x1f\x7f\u00e9\u2028\ud7ff\ue000\U0001f50b'


def _value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(9 if depth < 4 else 6)
    if pick == 0:
        return None
    if pick == 1:
        return rng.random() < 0.5
    if pick == 2:
        return rng.choice([0, -1, 7, 2**63, -(2**70), 10**30])
    if pick == 3:
        return rng.choice([0.0, -0.0, 1.5, -2.25e-300, 1e308, float("inf"), float("-inf"), float("nan"), 0.1])
    if pick in (4, 5):
        return "".join(rng.choice(_CHARS) for _ in range(rng.randrange(12)))
    if pick == 6:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    keys = ["".join(rng.choice(_CHARS) for _ in range(rng.randrange(6))) for _ in range(rng.randrange(5))]
    return {k: _value(rng, depth + 1) for k in keys}


def test_random_values_read_back_as_json_reads_them() -> None:
    rng = random.Random(20261202)
    for _ in range(3000):
        value = _value(rng)
        for text in (
            json.dumps(value),
            json.dumps(value, ensure_ascii=False, separators=(",", ":")),
            f" \n{json.dumps(value, indent=1)}\r\t",
        ):
            assert _same(jsontext.loads(text), json.loads(text)), text
            assert _same(jsontext.loads(text.encode("utf-8", "surrogatepass")), json.loads(text)), text


def test_object_hooks_are_called_as_json_calls_them() -> None:
    def tag(table: dict[str, Any]) -> Any:
        return ("tagged", sorted(table)) if "t" in table else table

    text = '{"a": {"t": 1, "u": [{"t": 2}]}, "b": {"c": 3}}'
    assert jsontext.loads(text, object_hook=tag) == json.loads(text, object_hook=tag)
    assert jsontext.loads(text) == json.loads(text)  # the scanner of another hook is not reused


@pytest.mark.parametrize(
    "text",
    ["", " ", "{", '{"a":1', '{"a":1}}', '{"a":1} x', "[1,]", "nul", '"\x01"', "NaNa", "01", '{"a" 1}', "\ufeff{}"],
)
def test_what_json_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        jsontext.loads(text)


def test_bytes_that_are_no_utf8_are_refused() -> None:
    with pytest.raises(ValueError):
        jsontext.loads(b'{"a": "\xff"}')


def test_first_lines_are_written_as_json_writes_them() -> None:
    rng = random.Random(7)
    stamp = ["/home/me/.local/share/recall-agent/inventory.toml", 4096, 1_764_000_000_123_456_789, 31, 2049]
    values: list[Any] = [
        {"format": cache.FORMAT, "key": [stamp, [str(Path("/x")), None], True, False, -3]},
        {"format": tomlmemo.FORMAT, "path": '/home/m\u00e9/"q"\\n\n', "text": "ab" * 32},
        {},
        [],
        (1, "two"),
    ]
    for _ in range(2000):
        values.append(
            {
                "".join(rng.choice(_CHARS) for _ in range(3)): [
                    rng.choice([None, True, False, rng.randrange(-(2**65), 2**65)]),
                    "".join(rng.choice(_CHARS) for _ in range(rng.randrange(10))),
                ]
            }
        )
    for value in values:
        assert jsontext.dumps(value) == json.dumps(value, separators=(",", ":")), value


def test_any_json_value_is_written_as_json_writes_it() -> None:
    rng = random.Random(11)
    for value in [_value(rng) for _ in range(3000)] + [{1: "a", None: 2, 1.5: [], False: 0}]:
        assert jsontext.dumps(value) == json.dumps(value, separators=(",", ":")), value


@pytest.mark.parametrize("value", [{"a": {1, 2}}, b"x", {("a",): 1}, object()])
def test_what_json_cannot_write_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value)
    with pytest.raises(TypeError):
        jsontext.dumps(value)


def test_the_shipped_rules_cache_reads_as_json_reads_it() -> None:
    ruleset = load_rules([(shipped_rules_dir(), "shipped")])
    data = cache.encode([["key"]], ruleset)
    body = data[data.index(b"\n") + 1 :]
    assert _same(jsontext.loads(body), json.loads(body))
    assert data.startswith(cache.header([["key"]]))
