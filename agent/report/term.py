"""What the terminal can show: its width, the width of text as it appears, wrapping, and colour."""

from __future__ import annotations

import os
from collections.abc import Iterable

from agent.textsafe import ANSI_SEQUENCE

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import ClassVar, TextIO

DEFAULT_WIDTH = 80  # when the output is not a terminal
MIN_WIDTH = 20


def char_width(char: str) -> int:
    """Columns one character takes: 2 for wide (CJK, most emoji), 0 for combining marks, else 1."""
    import unicodedata  # a library of its own, loaded by the first text that needs it

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width_of(text: str) -> int:
    """Columns ``text`` takes on screen; colour sequences take none."""
    if "\x1b" in text:
        text = ANSI_SEQUENCE.sub("", text)
    if text.isascii():
        return len(text)  # every ASCII character takes one column (char_width says so too)
    others = text.translate(_WITHOUT_ASCII)  # only those need looking at (a curly quote in ASCII prose)
    return len(text) - len(others) + sum(map(char_width, others))


_WITHOUT_ASCII = dict.fromkeys(range(128))  # str.translate deletes them


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in an ellipsis when something was cut."""
    if width_of(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int) -> str:
    return text + " " * max(width - width_of(text), 0)


def columns(stream: TextIO | None) -> int:
    """The width to write ``stream`` at: $COLUMNS, else the terminal's width, else 80."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(int(env), MIN_WIDTH)
    try:
        if stream is not None and stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, MIN_WIDTH)
    except (OSError, ValueError, AttributeError):
        pass
    return DEFAULT_WIDTH


def _pieces(word: str, width: int, force: bool) -> list[str]:
    """A word too long for a line breaks only when forced or made of wide characters (which need no spaces)."""
    if not force and word.isascii():
        return [word]  # no ASCII character is wide: an address stays whole, however long
    if width_of(word) <= width or not (force or any(char_width(c) == 2 for c in word)):
        return [word]
    out, current = [], ""
    for char in word:
        if current and width_of(current + char) > width:
            out.append(current)
            current = ""
        current += char
    return [*out, current] if current else out


def wrap(text: str, width: int, first: str = "", rest: str = "", *, force: bool = False) -> list[str]:
    """Greedy word wrap by displayed width. Long words (addresses, ids) stay whole unless ``force``."""
    if _one_column(text + first + rest) and not (force and _breaks(text, width - max(len(first), len(rest)))):
        return _wrap_one_column(text, width, first, rest)
    lines: list[str] = []
    line, prefix = "", first
    line_width = 0  # widths add up while no colour sequence is involved; with one, the whole is measured
    for raw in text.split():
        prefix_width = width_of(prefix)
        for word in _pieces(raw, max(width - prefix_width, 1), force):
            word_width = width_of(word)
            candidate, wide = (f"{line} {word}", line_width + 1 + word_width) if line else (word, word_width)
            plain = "\x1b" not in prefix and "\x1b" not in candidate
            if line and (prefix_width + wide if plain else width_of(prefix + candidate)) > width:
                lines.append(prefix + line)
                prefix, candidate, wide = rest, word, word_width
                prefix_width = width_of(prefix)
            elif not line and lines == [] and _moves_down(prefix, rest, word, width):
                lines.append(prefix)  # a label alone, and the long word whole on the next line
                prefix = rest
                prefix_width = width_of(prefix)
            line, line_width = candidate, wide
    lines.append(prefix + line)
    return [ln.rstrip() for ln in lines]


def _one_column(text: str) -> bool:
    """Every character of ``text`` takes one column, and there is no colour sequence: lengths are widths."""
    if "\x1b" in text:
        return False
    if text.isascii():
        return True
    chars = set(text)
    if chars <= _ONE_COLUMN:
        return True
    if not all(char_width(c) == 1 for c in chars - _ONE_COLUMN):
        return False
    if len(_ONE_COLUMN) < MAX_KNOWN:
        _ONE_COLUMN.update(chars)
    return True


_ONE_COLUMN: set[str] = set()  # characters found to take one column
MAX_KNOWN = 10_000


def _breaks(text: str, room: int) -> bool:
    """A word of ``text`` is longer than ``room`` (at least one column): with ``force``, it is broken."""
    return any(len(word) > max(room, 1) for word in text.split())


def _wrap_one_column(text: str, width: int, first: str, rest: str) -> list[str]:
    """``wrap`` of text in which every character takes one column and no word is broken. With the words
    one space apart, a line ends at the last space that leaves it no wider than the room there (or after
    its first word, which always goes in), found by the string's own search instead of word by word."""
    spaced = " ".join(text.split())
    if not spaced:
        return [first.rstrip()]
    lines: list[str] = []
    prefix = first
    if _moves_down(first, rest, spaced.partition(" ")[0], width):
        lines.append(first.rstrip())  # a label alone, and the long word whole on the next line
        prefix = rest
    start, size = 0, len(spaced)
    while True:
        room = width - len(prefix)
        if size - start <= room:
            lines.append(prefix + spaced[start:])  # ends in a word: nothing to strip
            return lines
        cut = spaced.rfind(" ", start, start + room + 1) if room > 0 else -1  # (a negative end counts from the end)
        if cut <= start:  # the first word is wider than the room: it goes in whole
            cut = spaced.find(" ", start)
            if cut < 0:
                lines.append(prefix + spaced[start:])
                return lines
        lines.append(prefix + spaced[start:cut])
        prefix, start = rest, cut + 1


def _moves_down(first: str, rest: str, word: str, width: int) -> bool:
    """A word that overflows after a label but fits (or overflows less) on a line of its own."""
    return bool(first.strip()) and width_of(first + word) > width and width_of(rest + word) < width_of(first + word)


def table(rows: list[list[str]], width: int, keep: Iterable[int] = (0,), cut: Iterable[int] = ()) -> list[str]:
    """Columns that fit ``width``. Columns in ``keep`` (ids) are never cut; those in ``cut`` (summaries) end
    in an ellipsis; others wrap in their cell.

    When even that cannot fit, each row becomes a block: its first cell, then the others on one line.
    """
    keep, cut = set(keep), set(cut)
    empty = [k for k in range(len(rows[0])) if not any(r[k] for r in rows[1:])]
    if empty and len(rows) > 1:  # a column with nothing in it but its heading says nothing
        rows = [[c for k, c in enumerate(r) if k not in empty] for r in rows]
        keep = {k - sum(e < k for e in empty) for k in keep if k not in empty}
        cut = {k - sum(e < k for e in empty) for k in cut if k not in empty}
    count = len(rows[0])
    natural = [max(width_of(r[k]) for r in rows) for k in range(count)]
    gaps = 2 * (count - 1)
    flexible = [k for k in range(count) if k not in keep and natural[k] > 0]
    room = width - gaps - sum(natural[k] for k in range(count) if k not in flexible)
    if sum(natural) + gaps <= width:
        sizes = natural
    elif flexible and room >= 8 * len(flexible):
        sizes = list(natural)
        cap = _cap([natural[k] for k in flexible], room)
        for k in flexible:
            sizes[k] = min(natural[k], cap)
    else:
        return _blocks(rows, width)
    out = []
    for row in rows:
        cells = [_cell(cell, sizes[k], k in cut) if k in flexible else [cell] for k, cell in enumerate(row)]
        for n in range(max(len(c) for c in cells)):
            parts = [pad(c[n] if n < len(c) else "", sizes[k]) for k, c in enumerate(cells)]
            out.append("  ".join(parts).rstrip())
    return out


def _cell(text: str, width: int, cut: bool) -> list[str]:
    return [fit(text, width)] if cut else wrap(text, width, force=True)


def _cap(widths: list[int], room: int) -> int:
    """The largest column width ``cap`` such that the columns, each cut to ``cap``, fit ``room``."""
    cap = max(widths)
    while cap > 1 and sum(min(w, cap) for w in widths) > room:
        cap -= 1
    return cap


def _blocks(rows: list[list[str]], width: int) -> list[str]:
    out = []
    for row in rows[1:]:
        out.append(row[0])
        rest = " · ".join(c for c in row[1:] if c)
        if rest:
            out += wrap(rest, width, "  ", "  ", force=True)
    return out


class Colour:
    """ANSI colour for the certainty of a finding, or nothing at all."""

    CODES: ClassVar[dict[str, str]] = {
        "confirmed": "1;31",
        "likely": "1;33",
        "possible": "36",
        "handled": "32",
        "warning": "33",
    }

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, kind: str) -> str:
        code = self.CODES.get(kind)
        if not self.enabled or code is None:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"


def wants_colour(mode: str, stream: TextIO) -> bool:
    """``--color``: always, never, or auto (a terminal that is not dumb, and NO_COLOR unset or empty)."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    try:
        tty = stream.isatty()
    except (ValueError, AttributeError):
        return False
    return tty and os.environ.get("TERM", "") != "dumb"


class ProgressLine:
    """One status line on a terminal, rewritten in place at any width and wiped when the work is done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return columns(self.stream)

    def __call__(self, step: object) -> None:
        if getattr(step, "done", False):
            self.stream.write("\r\x1b[K")
        else:  # one column short of the edge, so the cursor never wraps to a new line
            self.stream.write("\r\x1b[K" + fit(str(step), max(self._width() - 1, 1)))
        self.stream.flush()
