"""Patterns built from a notice's own words (a brand, a model code, a word it prints in capitals).

``re`` keeps only the last 512 patterns it compiled. Patterns made per notice would each be compiled
anew, and would push the fixed patterns out of that cache, so that even ``re.search(r"...")`` calls
compile again. Every pattern the converter builds at run time goes through ``compiled``, which keeps
them (bounded) for as long as the process converts notices; a code looked for as a whole word goes
through ``standing``, which needs no pattern of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
ALNUM_DASH = ALNUM | {"-"}
CAPITALS_DIGITS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# str.translate table of a code's shape: A to Z as "A", 0 to 9 as "9", every other character kept
SHAPE = str.maketrans(dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "A") | dict.fromkeys("0123456789", "9"))


@lru_cache(maxsize=4096)  # brands, words and codes come back in notice after notice
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled once per process."""
    return re.compile(pattern, flags)


def standing(
    code: str, text: str, tail: re.Pattern[str] | None, before: frozenset[str] = ALNUM
) -> list[tuple[int, int]]:
    """(start, end) of each ``code`` in ``text`` with no character of ``before`` right before it and ``tail``
    matching after it, left to right without overlaps: what ``finditer`` of the escaped code with those
    look-arounds (``(?<![...])``) finds, without compiling a pattern for every code."""
    if not code:
        edge = "(?<![" + re.escape("".join(sorted(before))) + "])" + (tail.pattern if tail else "")
        return [(m.start(), m.end()) for m in compiled(edge).finditer(text)]
    out: list[tuple[int, int]] = []
    start = text.find(code)
    while start >= 0:
        end = start + len(code)
        if (start == 0 or text[start - 1] not in before) and (tail is None or tail.match(text, end)):
            out.append((start, end))
            start = text.find(code, end)
        else:
            start = text.find(code, start + 1)
    return out


def spaced(text: str, places: list[int]) -> str:
    """``text`` with a space put in at each of ``places`` (offsets into ``text``, increasing)."""
    if not places:
        return text
    pieces: list[str] = []
    done = 0
    for place in places:
        pieces += [text[done:place], " "]
        done = place
    return "".join(pieces) + text[done:]


def stands(code: str, text: str, tail: re.Pattern[str] | None, before: frozenset[str] = ALNUM) -> bool:
    """Whether ``standing`` finds ``code`` in ``text`` at all (a ``search`` of that pattern)."""
    return bool(standing(code, text, tail, before))


class Folded:
    """A pattern matched regardless of case, written in lower case. In ASCII text it is searched as written
    in the lower-cased text: the same places (lower-casing ASCII keeps every letter a letter, in its place),
    about twice as quick as a case-insensitive search. Other text is searched case-insensitively. Only
    places are given, never the matched text, which would be lower case."""

    __slots__ = ("anycase", "lower")

    def __init__(self, pattern: str) -> None:
        if pattern != pattern.lower() or "(?-i" in pattern:
            raise ValueError(f"a folded pattern is written in lower case, case-insensitive throughout: {pattern!r}")
        self.anycase = re.compile(pattern, re.IGNORECASE)
        self.lower = re.compile(pattern)

    def _pick(self, text: str) -> tuple[re.Pattern[str], str]:
        return (self.lower, lowered(text)) if text.isascii() else (self.anycase, text)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each match ``finditer`` gives."""
        pattern, searched = self._pick(text)
        return [m.span() for m in pattern.finditer(searched)]

    def search(self, text: str, pos: int = 0) -> tuple[int, int] | None:
        """(start, end) of the first match from ``pos`` on, or None."""
        pattern, searched = self._pick(text)
        found = pattern.search(searched, pos)
        return found.span() if found else None

    def match(self, text: str) -> bool:
        """Whether the pattern matches at the start of ``text``."""
        pattern, searched = self._pick(text)
        return pattern.match(searched) is not None


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """False only when ``text`` holds none of ``words`` (written in lower case) in any case, and is ASCII:
    then no case-insensitive pattern that needs one of them can match it. (Beyond ASCII a few letters fold
    onto ASCII ones, U+0130, U+0131, U+017F and U+212A, and lower-casing may change lengths: there, True.)"""
    if not text.isascii():
        return True
    lower = lowered(text)
    return any(word in lower for word in words)


@lru_cache(maxsize=256)  # a sentence is asked for one field's words after another
def lowered(text: str) -> str:
    """``text.lower()``, made once for each text the patterns of several fields search."""
    return text.lower()


def split_on(token: str, codes: list[str]) -> list[str]:
    """``re.split`` of ``token`` on the alternation of ``codes`` (in that order, each taken literally) in
    one capturing group, without the empty pieces: at each place the first code of the list that is there
    wins, so list longer codes first. Every code must be non-empty."""
    out: list[str] = []
    start = 0
    while True:
        best, found = -1, ""
        for code in codes:
            at = token.find(code, start)
            if at >= 0 and (best < 0 or at < best):
                best, found = at, code
        if best < 0:
            break
        out += [token[start:best], found]
        start = best + len(found)
    out.append(token[start:])
    return [piece for piece in out if piece]


_SPECIAL = frozenset(".^$*+?{}[]()|\\")
_QUANTIFIERS = frozenset("*+?{")


def literal_heads(pattern: str) -> tuple[str, ...] | None:
    """The literal text each top-level alternative of ``pattern`` begins with (after any ``\\b``), or None
    when one begins with anything else: a text holding none of them cannot match ``pattern`` as written
    (compiled without flags), so a search of it can be skipped. ``r"\\bfires?\\b|ignit"`` -> ("fire", "ignit")."""
    heads: list[str] = []
    for branch in _alternatives(pattern):
        rest = branch
        while rest.startswith("\\b"):
            rest = rest[2:]
        head: list[str] = []
        for char in rest:
            if char in _SPECIAL:
                if char in _QUANTIFIERS and head:
                    head.pop()  # "fires?": the last letter may be missing
                break
            head.append(char)
        if not head:
            return None
        heads.append("".join(head))
    return tuple(heads)


def _alternatives(pattern: str) -> list[str]:
    """``pattern`` split at each ``|`` outside groups and character classes."""
    out: list[str] = []
    depth, start, index, in_class = 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:index])
            start = index + 1
        index += 1
    out.append(pattern[start:])
    return out
