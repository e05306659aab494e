"""Sanitising what devices announce: nothing a device sends can steer a terminal or grow without bound."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.sources.mdns.text import MAX_KEY, MAX_KEYS, MAX_VALUE, clean_key, clean_properties, clean_text

HOSTILE = [
    ("\x1b[31mRED\x1b[0m", "RED"),  # colour
    ("\x1b[2J\x1b[HCLEARED", "CLEARED"),  # clear screen, cursor home
    ("\x1b]0;pwned\x07Title", "Title"),  # window title (OSC)
    ("\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink
    ("\u009b31mC1", "C1"),  # C1 control sequence introducer
    ("\u202egnp.exe", "gnp.exe"),  # right-to-left override
    ("safe\u2066hidden\u2069", "safehidden"),  # bidi isolates
    ("zero\u200bwidth\ufeff", "zerowidth"),
    ("line one\nline two\r\n\tend", "line one line two end"),
    ("nul\x00byte\x7fdel", "nulbytedel"),
    ("para\u2029graph", "para graph"),
    ("  padded  ", "padded"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # markup stays literal text
    ("Living Room TV", "Living Room TV"),
    ("Küche 🔥", "Küche 🔥"),
]


@pytest.mark.parametrize(("raw", "expected"), HOSTILE)
def test_clean_text_removes_what_steers_a_terminal(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected
    assert clean_text(raw.encode()) == expected


def test_bytes_that_are_not_utf8_decode_with_replacement() -> None:
    assert clean_text(b"\xff\xfeHP\xc3") == "\ufffd\ufffdHP\ufffd"


def test_huge_values_are_capped() -> None:
    assert clean_text(b"A" * 1_000_000) == "A" * MAX_VALUE
    assert clean_text("x" * 300, limit=10) == "x" * 10


def test_none_is_empty() -> None:
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(b"usb_MFG", "usb_mfg"), (b"k\x00e\x1b[1my", "key"), ("Mod\u00e9l", "modl"), (b"a=b", "ab"), (b"  ", "")],
)
def test_clean_key(raw: bytes | str, expected: str) -> None:
    assert clean_key(raw) == expected


def test_clean_properties_sorts_caps_and_skips_empty_keys() -> None:
    props: dict[bytes, bytes | None] = {b"": b"x", b"Zeta": b"1", b"alpha": None, b"ZETA": b"2"}
    pairs, dropped = clean_properties(props)
    assert pairs == (("alpha", ""), ("zeta", "1"))
    assert dropped == 0
    many = {f"k{i:03}".encode(): b"v" for i in range(MAX_KEYS + 10)}
    pairs, dropped = clean_properties(many)
    assert len(pairs) == MAX_KEYS
    assert dropped == 10


DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000)))
def test_any_input_comes_out_printable_and_bounded(raw: bytes | str) -> None:
    text = clean_text(raw)
    assert len(text) <= MAX_VALUE
    assert not any(unicodedata.category(c) in DROPPED for c in text)
    assert text == text.strip()
    assert "  " not in text


@given(st.dictionaries(st.binary(max_size=80), st.one_of(st.none(), st.binary(max_size=600)), max_size=100))
def test_any_properties_come_out_as_bounded_ascii_keys(props: dict[bytes, bytes | None]) -> None:
    pairs, _dropped = clean_properties(props)
    assert len(pairs) <= MAX_KEYS
    for key, value in pairs:
        assert key
        assert len(key) <= MAX_KEY
        assert all(" " <= c <= "~" and c != "=" for c in key)
        assert key == key.lower()
        assert value == clean_text(value)
