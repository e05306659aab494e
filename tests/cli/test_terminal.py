"""What a person sees at a terminal: widths of 80 and 40, wide characters, colour rules, the progress line."""

from __future__ import annotations

import fcntl
import os
import random
import re
import struct
import termios
from collections.abc import Callable
from pathlib import Path

import pytest
from cli.terminals import Tmux, run_in_pty, terminal_env
from conftest import CLI, Run
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.report import term
from agent.report.term import ProgressLine, char_width, table, width_of, wrap
from agent.textsafe import ANSI_SEQUENCE

Cli = Callable[..., Run]
ITEMS = [
    ("Anker 321 Power Bank", "pb-in-the-kitchen-drawer-by-the-window", ["--brand", "Anker", "--model", "A1112"]),
    ("Belkin stand", "belkin-stand", ["--brand", "Belkin", "--model", "WIZ003"]),
    ("ワイヤレス充電器 モバイルバッテリー", "cjk", ["--model", "A1263", "--brand", "Anker"]),
]


@pytest.fixture
def household(cli: Cli) -> list[str]:
    for name, item_id, options in ITEMS:
        assert cli("inventory", "add", name, "--id", item_id, *options).code == 0
    return [item_id for _, item_id, _ in ITEMS]


def _plain(text: str) -> list[str]:
    return ANSI_SEQUENCE.sub("", text).replace("\r", "").splitlines()


def _check_fits(lines: list[str], columns: int) -> None:
    """Every line fits, unless it holds one word that cannot be broken (an address or an id)."""
    for line in lines:
        if width_of(line) > columns:
            longest = max(line.split(), key=len)
            assert width_of(longest) > columns - 16, f"line too wide at {columns}: {line!r}"


@pytest.mark.parametrize("columns", [80, 40])
def test_the_report_fits_the_terminal_and_keeps_ids_whole(household: list[str], tmp_path: Path, columns: int) -> None:
    code, shown = run_in_pty(["scan", "--source", "inventory"], columns, terminal_env(), tmp_path)
    assert code == 1, shown
    lines = _plain(shown)
    _check_fits(lines, columns)
    words = {w.strip("[]():,") for line in lines for w in line.split()}
    for item_id in household:
        assert item_id in words
    for rule_id in ("anker-2024-321-power-bank", "belkin-2021-wiz003-wireless-charger-stand"):
        assert rule_id in words
    assert any(line.startswith("RECALLED: Anker 321 Power Bank") for line in lines)


def test_colour_on_a_terminal_only(household: list[str], cli: Cli, tmp_path: Path) -> None:
    args = ["scan", "--source", "inventory"]
    _, coloured = run_in_pty(args, 80, terminal_env(), tmp_path)
    assert "\x1b[1;31mRECALLED\x1b[0m:" in coloured and "\x1b[1;33mCHECK THE LABEL\x1b[0m:" in coloured
    _, no_color = run_in_pty(args, 80, terminal_env(NO_COLOR="1"), tmp_path)
    _, never = run_in_pty(["--color", "never", *args], 80, terminal_env(), tmp_path)
    _, dumb = run_in_pty(args, 80, terminal_env(TERM="dumb"), tmp_path)
    for text in (no_color, never, dumb):
        assert "\x1b[" not in text and "RECALLED:" in text
    piped = cli(*args)
    assert "\x1b[" not in piped.out and "RECALLED:" in piped.out
    forced = cli(*args, "--color", "always")
    assert "\x1b[1;31mRECALLED" in forced.out


def test_a_pipe_is_written_at_80_columns(household: list[str], cli: Cli) -> None:
    lines = cli("scan", "--source", "inventory").out.splitlines()
    _check_fits(lines, 80)
    assert max(width_of(line) for line in lines if "https://" not in line) > 70  # really uses the width


@pytest.mark.parametrize("columns", [80, 40])
def test_inventory_table_measures_wide_characters(household: list[str], tmp_path: Path, columns: int) -> None:
    _, shown = run_in_pty(["inventory", "list"], columns, terminal_env(), tmp_path)
    lines = _plain(shown)
    _check_fits(lines, columns)
    ids = {line.split()[0] for line in lines if line and not line.startswith(" ")}
    assert set(household) <= ids
    if columns == 80:  # a table: the MODEL column starts at the same place on every row
        header = lines[0]
        start = width_of(header[: header.index("MODEL")])
        for line in lines[1:]:
            for model in ("A1112", "WIZ003", "A1263"):
                if model in line:
                    assert width_of(line[: line.index(model)]) == start, line


def test_inventory_list_in_tmux_at_80_columns(household: list[str], tmp_path: Path) -> None:
    tmux = Tmux(80)
    try:
        screen = tmux.run(" ".join([*CLI, "inventory", "list"]), terminal_env(), timeout=60)
        report = tmux.run(" ".join([*CLI, "scan", "--source", "inventory"]), terminal_env(), timeout=60)
    finally:
        tmux.close()
    rows = [row for row in screen.splitlines() if row.strip()]
    assert rows[0].split() == ["ID", "NAME", "BRAND", "MODEL", "SOURCE"]
    assert any(row.startswith("pb-in-the-kitchen-drawer-by-the-window  ") for row in rows)
    assert all(width_of(row) <= 80 for row in report.splitlines() if "://" not in row and "/tmp" not in row)
    shell_lines = re.sub(r" \\\n\s*", " ", report)  # as the shell reads a command copied from the screen
    assert "recall-agent ack belkin-stand belkin-2021-wiz003-wireless-charger-stand --as checked\n" in shell_lines


def test_wrapping_and_tables_by_displayed_width() -> None:
    assert width_of("充電器") == 6 and width_of("e\u0301") == 1 and width_of("\x1b[31mred\x1b[0m") == 3
    for line in wrap("充電器" * 30 + " plain words here", 20, "  ", "  "):
        assert width_of(line) <= 20
    long_url = "https://example.org/" + "x" * 60
    assert long_url in wrap(f"read {long_url} now", 40)  # an address is never broken
    rows = [["ID", "NAME"], ["an-id-that-is-long-" * 2, "名前 " * 30]]
    for line in table(rows, 40):
        assert width_of(line) <= 40 or "an-id-that-is-long-an-id-that-is-long-" in line
    assert any("an-id-that-is-long-an-id-that-is-long-" in line for line in table(rows, 40))


def _wrapped_by_measuring_each_line(text: str, width: int, first: str, rest: str, force: bool) -> list[str]:
    """The wrap as first written, measuring each candidate line whole: what ``wrap`` must still give."""
    lines: list[str] = []
    line, prefix = "", first
    for raw in text.split():
        for word in term._pieces(raw, max(width - width_of(prefix), 1), force):
            candidate = f"{line} {word}" if line else word
            if line and width_of(prefix + candidate) > width:
                lines.append(prefix + line)
                prefix, candidate = rest, word
            elif not line and lines == [] and term._moves_down(prefix, rest, word, width):
                lines.append(prefix)
                prefix = rest
            line = candidate
    lines.append(prefix + line)
    return [ln.rstrip() for ln in lines]


PIECES = st.sampled_from(["a", "B", "7", "’", "充", "e\u0301", "\x1b[31m", "\x1b[0m", "-"])
WORDS = st.lists(PIECES, max_size=12).map("".join)


@given(
    words=st.lists(WORDS, max_size=25),
    width=st.integers(min_value=1, max_value=40),
    first=st.sampled_from(["", "  ", "model: ", "\x1b[1mname\x1b[0m ", "充電 "]),
    rest=st.sampled_from(["", "    ", "\x1b[2m|\x1b[0m "]),
    force=st.booleans(),
)
def test_wrapping_adds_widths_up_as_measuring_each_line_would(
    words: list[str], width: int, first: str, rest: str, force: bool
) -> None:
    text = " ".join(words)
    assert wrap(text, width, first, rest, force=force) == _wrapped_by_measuring_each_line(
        text, width, first, rest, force
    )


ASCII_WORDS = st.lists(st.sampled_from(["a", "B", "7", "-", ".", "\t", "’", "é"]), max_size=30).map("".join)


@given(
    words=st.lists(ASCII_WORDS, max_size=30),
    width=st.integers(min_value=1, max_value=40),
    first=st.sampled_from(["", "  ", "model: ", "    Label       ", "a-long-label-of-its-own: "]),
    rest=st.sampled_from(["", "    ", " " * 16]),
    force=st.booleans(),
)
@settings(max_examples=500)
def test_wrapping_plain_ascii_gives_what_measuring_each_line_gives(
    words: list[str], width: int, first: str, rest: str, force: bool
) -> None:
    """Text whose every character takes one column takes a shorter way through ``wrap``: the same lines."""
    text = " ".join(words)
    assert wrap(text, width, first, rest, force=force) == _wrapped_by_measuring_each_line(
        text, width, first, rest, force
    )


def test_plain_ascii_is_measured_like_every_other_text() -> None:
    every = "".join(chr(n) for n in range(128) if n != 0x1B)
    assert width_of(every) == sum(char_width(c) for c in every) == len(every)


@pytest.mark.parametrize("columns", [80, 40, 12])
def test_the_progress_line_rewrites_itself_and_disappears(columns: int) -> None:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    with os.fdopen(slave, "w", encoding="utf-8", closefd=True) as stream:
        progress = ProgressLine(stream)

        class Step:
            def __init__(self, n: int, done: bool = False) -> None:
                self.n, self.done = n, done

            def __str__(self) -> str:
                return f"network: browsing, {self.n} services found, {self.n // 2} resolved, 3s left, 機器"

        for n in range(30):
            progress(Step(n))
        progress(Step(30, done=True))
    written = b""
    while len(written) < 10 or not written.endswith(b"\r\x1b[K"):
        written += os.read(master, 65536)
    os.close(master)
    text = written.decode("utf-8")
    assert "\n" not in text  # never a new line, at any width
    frames = [f for f in text.split("\r\x1b[K") if f]
    assert len(frames) == 30 and all(width_of(f) <= columns - 1 for f in frames)
    assert text.endswith("\r\x1b[K")  # wiped when done


def test_a_width_adds_up_the_width_of_every_character() -> None:
    """width_of looks only at the characters that are not ASCII: the same sum as over every character."""
    rng = random.Random(5)
    alphabet = "aZ09 .-\t\u00e9\u2019\u2026\u0301\u200b\u4e2d\u5168\uff21\U0001f50b\u00a0e\u0308"
    texts = ["", "plain", "caf\u00e9", "\u4e2d\u6587 text", "e\u0301", "\U0001f50b bank"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(2000)]
    for text in texts:
        assert width_of(text) == sum(char_width(c) for c in text), repr(text)
