"""The pattern helpers give what the regular expressions they stand for give."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from agent.feeds.patterns import ALNUM, ALNUM_DASH, compiled, split_on, standing, stands

_TEXT = st.text(alphabet="AB1-2 a*", max_size=30)
_CODE = st.text(alphabet="AB1-2*", min_size=1, max_size=4)
_TAILS = [None, re.compile(r"(?![A-Za-z0-9])"), re.compile(r"(?!\*)(?![0-9](?![A-Za-z0-9.-]*\*))")]


def _regex(code: str, tail: re.Pattern[str] | None, before: frozenset[str]) -> re.Pattern[str]:
    edge = "(?<![" + "".join(re.escape(c) for c in sorted(before)) + "])"
    return re.compile(edge + re.escape(code) + (tail.pattern if tail else ""))


@given(code=_CODE | st.just(""), text=_TEXT, tail=st.sampled_from(_TAILS), dash=st.booleans())
def test_standing_finds_what_finditer_finds(code: str, text: str, tail: re.Pattern[str] | None, dash: bool) -> None:
    before = ALNUM_DASH if dash else ALNUM
    expected = [(m.start(), m.end()) for m in _regex(code, tail, before).finditer(text)]
    assert standing(code, text, tail, before) == expected
    assert stands(code, text, tail, before) == bool(expected)


def test_standing_examples() -> None:
    end = re.compile(r"(?![A-Za-z0-9])")
    assert standing("A12", "A12 XA12 A12B -A12", end) == [(0, 3), (15, 18)]
    assert standing("A12", "A12 XA12 A12B -A12", end, ALNUM_DASH) == [(0, 3)]


@given(token=_TEXT, codes=st.lists(_CODE, min_size=1, max_size=4))
def test_split_on_splits_as_re_split(token: str, codes: list[str]) -> None:
    codes = sorted(codes, key=len, reverse=True)
    expected = [p for p in re.split(f"({'|'.join(map(re.escape, codes))})", token) if p]
    assert split_on(token, codes) == expected


def test_split_on_takes_the_first_code_listed_where_two_begin() -> None:
    assert split_on("XFS600VDS20", ["FS600V", "FS6"]) == ["X", "FS600V", "DS20"]
    assert split_on("XFS600VDS20", ["FS6", "FS600V"]) == ["X", "FS6", "00VDS20"]


def test_compiled_keeps_one_pattern() -> None:
    assert compiled(r"(?<=\d)AB") is compiled(r"(?<=\d)AB")
    assert compiled("ab", re.IGNORECASE).search("xAB")
