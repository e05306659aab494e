"""Parsed TOML kept between runs (agent.tomlmemo): the same document back, and never a stale or foreign one."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import tomli

from agent import tomlmemo
from agent.tomlio import parse_toml

EVERY_KIND = textwrap.dedent(
    """\
    title = "caf\\u00e9 \\u0000 nul, \\"quoted\\", tab\\t and \\ud7ff"
    int = 9223372036854775807
    negative = -17
    floats = [0.1, -0.0, 1e300, inf, -inf, nan]
    yes = true
    no = false
    day = 2024-06-06
    utc = 2020-01-01T00:00:00Z
    offset = 1979-05-27T00:32:00.999999-07:00
    local = 1979-05-27T07:32:00
    time = 07:32:00.5
    nested = [[1, 2], ["a", [2024-01-01]], []]
    inline = { a = 1, b = { c = [2020-02-02T02:02:02+05:30] } }
    "key with spaces" = "x"
    "" = "empty key"

    [[items]]
    name = "one"

    [[items]]
    name = "two"
    when = 2023-04-01

    [table.sub]
    d = 2023-05-02
    """
)


@pytest.fixture
def folder(tmp_path: Path) -> Any:
    place = tmp_path / "memos"
    tomlmemo.keep_in(place)
    yield place
    tomlmemo.keep_in(None)


def shape(value: Any) -> Any:
    """A value with every type spelled out, NaN included, so that equality checks types as well."""
    if isinstance(value, dict):
        return {key: shape(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [shape(inner) for inner in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, repr(value))


def test_every_kind_of_value_comes_back_as_the_parser_gave_it(folder: Path) -> None:
    source = Path("/somewhere/inventory.toml")
    first = parse_toml(EVERY_KIND, source, memo=True)
    assert len(list(folder.iterdir())) == 1
    kept = tomlmemo.recall(source, EVERY_KIND)
    assert kept is not None
    assert shape(kept) == shape(first) == shape(tomli.loads(EVERY_KIND))
    assert list(kept) == list(first)  # tables keep their order too


def test_other_text_at_the_same_path_is_parsed_again(folder: Path) -> None:
    source = Path("inventory.toml")
    parse_toml('name = "old"\n', source, memo=True)
    assert tomlmemo.recall(source, 'name = "new"\n') is None
    assert parse_toml('name = "new"\n', source, memo=True) == {"name": "new"}
    assert tomlmemo.recall(source, 'name = "new"\n') == {"name": "new"}
    assert tomlmemo.recall(Path("elsewhere.toml"), 'name = "new"\n') is None  # a memo is its path's own


def test_nothing_is_kept_until_a_command_says_where(tmp_path: Path) -> None:
    tomlmemo.keep_in(None)
    assert parse_toml("a = 1\n", tmp_path / "x.toml", memo=True) == {"a": 1}
    assert tomlmemo.recall(tmp_path / "x.toml", "a = 1\n") is None
    assert list(tmp_path.rglob("*.json")) == []


def test_only_files_asking_for_it_are_kept(folder: Path) -> None:
    parse_toml("a = 1\n", Path("rule.toml"))
    assert not folder.exists()


def _memo(folder: Path) -> Path:
    (memo,) = folder.iterdir()
    return memo


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data.split(b"\n", 1)[0] + b"\n[1, 2]",  # not a table
        lambda data: data.replace(b'"\\u0000d"', b'"\\u0000x"'),  # an unknown tag
        lambda data: data.replace(b'"\\u0000d":"2023-05-02"', b'"\\u0000d":5'),  # a tag without text
        lambda data: data.replace(b"2023-05-02", b"2023-13-02"),  # no such date
        lambda data: b"",
    ],
)
def test_a_damaged_memo_is_parsed_again_and_replaced(folder: Path, damage: Any) -> None:
    text = "[table]\nd = 2023-05-02\n"
    parse_toml(text, Path("i.toml"), memo=True)
    memo = _memo(folder)
    memo.write_bytes(damage(memo.read_bytes()))
    assert tomlmemo.recall(Path("i.toml"), text) is None
    assert shape(parse_toml(text, Path("i.toml"), memo=True)) == shape(tomli.loads(text))
    assert tomlmemo.recall(Path("i.toml"), text) == tomli.loads(text)


def test_a_memo_others_may_write_is_not_used(folder: Path) -> None:
    parse_toml("a = 1\n", Path("i.toml"), memo=True)
    memo = _memo(folder)
    memo.write_bytes(memo.read_bytes().replace(b'"a":1', b'"a":2'))
    assert tomlmemo.recall(Path("i.toml"), "a = 1\n") == {"a": 2}  # (a memo of ours is believed)
    memo.chmod(0o666)
    assert tomlmemo.recall(Path("i.toml"), "a = 1\n") is None
    link = memo.with_name("link")
    memo.rename(link)
    link.chmod(0o600)
    memo.symlink_to(link)
    assert tomlmemo.recall(Path("i.toml"), "a = 1\n") is None  # nor one reached through a link


def test_a_folder_that_is_not_ours_gets_no_memo(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    if os.geteuid() == 0:
        os.chown(theirs, 65534, 65534)
        place = theirs / "parsed"
    else:
        place = Path("/") / f"no-such-folder-{os.getpid()}"  # made in /, which is root's
    tomlmemo.keep_in(place)
    try:
        assert parse_toml("a = 1\n", tmp_path / "i.toml", memo=True) == {"a": 1}
    finally:
        tomlmemo.keep_in(None)
    assert not place.exists()


def test_a_table_with_a_key_that_could_pass_for_a_tag_is_parsed_every_time(folder: Path) -> None:
    text = '[t]\n"\\u0000d" = "2023-05-02"\n'
    assert parse_toml(text, Path("i.toml"), memo=True) == {"t": {"\x00d": "2023-05-02"}}
    assert tomlmemo.recall(Path("i.toml"), text) is None


SCAN = """
import sys
from agent.cli.main import main
code = main(["scan", "--source", "inventory", "--color", "never"])
print("tomli" in sys.modules, code, file=sys.stderr)
"""


def _scan(where: Path) -> tuple[str, str]:
    """The scan's report and its last line on stderr, run from ``where`` (not the checkout, which would come
    first on sys.path)."""
    done = subprocess.run(
        [sys.executable, "-c", SCAN], cwd=where, capture_output=True, text=True, timeout=120, check=False
    )
    *_, last = done.stderr.splitlines()
    return done.stdout, last


def test_a_scan_reads_an_unchanged_inventory_without_the_parser_and_sees_every_edit(inventory_path: Path) -> None:
    inventory_path.parent.mkdir(parents=True)
    inventory_path.write_text(
        'version = 1\n[items.a]\nname = "Desk lamp for office"\nbrand = "Acme!"\nmodel = "X1234"\n'
    )
    first, parsed = _scan(inventory_path.parent)
    assert parsed == "True 0"
    again, parsed = _scan(inventory_path.parent)
    assert (again, parsed) == (first, "False 0")
    # The same size and the same timestamps, other text: a stamp would not see it, the digest does.
    stamp = inventory_path.stat()
    inventory_path.write_text(
        'version = 1\n[items.a]\nname = "Anker 321 Power Bank"\nbrand = "Anker"\nmodel = "A1112"\n'
    )
    assert inventory_path.stat().st_size == stamp.st_size
    os.utime(inventory_path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    changed, parsed = _scan(inventory_path.parent)
    assert parsed == "True 1"  # parsed again, and the recalled power bank found
    assert "A1112" in changed
