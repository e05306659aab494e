"""Size and word cells of a cpsc.gov table run into the code cell beside them, set apart.

"DF36450G/WH/P48\u201d" is the code, then 48 inches; "Module98200" is a name, then a model; with "72" and
"61" named as deck sizes, "752657572\u201d" is model 7526575 and 72 inches; beside models 98200 and 98210,
"9841012\u2019" is model 98410 and 12 feet; beside "A17B0", "30A17A033" is size 30, model A17A0, size 33.
"""

from __future__ import annotations

import re

from agent.feeds.patterns import compiled

_MARK = "\"\u201d\u2033\u2019'"
_CODE_THEN_SIZE = re.compile(
    rf"(?<![\"\u201c\u2018'A-Za-z0-9/-])([A-Za-z0-9/-]*\d[A-Za-z0-9/-]*[A-Za-z])(\d{{1,3}}(?:\.\d)? ?[{_MARK}])"
    r"(?![A-Za-z0-9])"
)
_WORD_THEN_NUMBER = re.compile(r"(?<=[a-z]{4})(?=\d{3})|(?<=\b[A-Z][a-z]{2})(?=\d{5})")  # "Module98200"
_NUMBER_THEN_SIZE = re.compile(rf"(?<![\"\u201c\u2018'A-Za-z0-9-])(\d{{6,}})(?= ?[{_MARK}](?![A-Za-z0-9]))")
_ALONE_NUMBER = re.compile(r"(?<![A-Za-z0-9.,/-])\d{1,10}(?![A-Za-z0-9/-]|[.,]\d)")
_MIXED_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z][a-z]+[A-Z][A-Za-z]*(?![A-Za-z0-9])")  # "AirFX"
_SIZED_CODE = re.compile(r"(?<![A-Za-z0-9])\d{1,3}[A-Z][A-Z0-9]{3,12}(?<=\d)(?![A-Za-z0-9])")
_MIXED_GLUED = re.compile(r"(?<![A-Za-z0-9])([A-Z][a-z]+[A-Z][A-Za-z]*)(?=\d)")
_SHORT_CODE = re.compile(r"(?<![A-Za-z0-9-])[A-Z](?=[A-Z]*\d)[A-Z0-9]{3,7}(?![A-Za-z0-9-])")
# Quick scans for what the patterns above cannot match without; each begins with a character class, which
# re looks for quickly, where the patterns begin with a look-behind tried at every place of the text.
_DIGIT_MARK = re.compile(rf"\d ?[{_MARK}]")  # _CODE_THEN_SIZE, _NUMBER_THEN_SIZE
_LETTER_SIZE = re.compile(rf"[A-Za-z]\d{{1,3}}(?:\.\d)? ?[{_MARK}]")  # _CODE_THEN_SIZE: its first group's end, the size
_LOWER_DIGITS = re.compile(r"[a-z]\d{3}")  # _WORD_THEN_NUMBER: both its places are a small letter, then 3 digits
_DIGIT_CAPITAL = re.compile(r"\d[A-Z]")  # _SIZED_CODE
_LOWER_CAPITAL = re.compile(r"[a-z][A-Z]")  # _MIXED_GLUED


def sizes_apart(text: str) -> str:
    """``text`` (with words already apart from codes) with size cells set apart from code cells."""
    marked = _DIGIT_MARK.search(text) is not None  # a size mark after a digit, quickly ruled out
    if marked and _LETTER_SIZE.search(text):
        text = _CODE_THEN_SIZE.sub(r"\1 \2", text)
    if _LOWER_DIGITS.search(text):
        text = _WORD_THEN_NUMBER.sub(" ", text)  # a space between letters and digits: no new digit and mark
    if marked and _DIGIT_MARK.search(text):
        text = _NUMBER_THEN_SIZE.sub(lambda m: _number_then_size(m[1], text), text)
    return _beside_short_codes(text)


def words_apart(text: str) -> str:
    """A word the notice writes alone ("AirFX") run into the number after it: "AirFX752657961"."""
    glued = set(_MIXED_GLUED.findall(text)) if _LOWER_CAPITAL.search(text) else set()
    words = {w for w in _MIXED_WORD.findall(text) if len(w) >= 4 and w in glued} if glued else set()
    for word in words:
        if _before_digit(word, text):  # the pattern is compiled only where it can change something
            text = compiled(rf"(?<![A-Za-z0-9]){re.escape(word)}(?=\d)").sub(word + " ", text)
    return text


def _before_digit(piece: str, text: str) -> bool:
    """Whether ``piece`` stands right before a digit somewhere in ``text``."""
    at = text.find(piece)
    while at >= 0:
        if text[at + len(piece) : at + len(piece) + 1].isdecimal():
            return True
        at = text.find(piece, at + 1)
    return False


def _after_digit(piece: str, text: str) -> bool:
    """Whether ``piece`` stands right after a digit somewhere in ``text``."""
    at = text.find(piece, 1)
    while at >= 0:
        if text[at - 1].isdecimal():
            return True
        at = text.find(piece, at + 1)
    return False


def _number_then_size(run: str, text: str) -> str:
    """A number cell run into a size cell: cut at the length of the table's other numbers that start
    alike, or before a size the notice names alone."""
    alone = set(_ALONE_NUMBER.findall(text))
    lengths = {len(n) for n in alone if len(n) >= 4 and n[:2] == run[:2] and 1 <= len(run) - len(n) <= 3}
    if len(lengths) == 1:
        size = lengths.pop()
        return f"{run[:size]} {run[size:]}"
    tails = [n for n in alone if len(n) <= 3 and run.endswith(n) and len(run) - len(n) >= 5]
    if len(tails) == 1:
        return f"{run[: -len(tails[0])]} {tails[0]}"
    return run


def _beside_short_codes(text: str) -> str:
    """Digits run into both sides of a short code ("30A17A033") beside a code of the same shape and start
    that stands alone ("A17B0"): the digits are the size cells around it."""
    if not _DIGIT_CAPITAL.search(text) or not _SIZED_CODE.search(text):
        return text
    for code in set(_SHORT_CODE.findall(text)):
        if not _after_digit(code[:3], text):  # the pattern below needs digits run into the code's start
            continue
        rest = "".join(r"\d" if c.isdigit() else "[A-Z]" for c in code[3:])
        inner = rf"{re.escape(code[:3])}{rest}"
        text = compiled(rf"(?<![A-Za-z0-9])(\d{{1,3}})({inner})(\d{{1,3}})(?![A-Za-z0-9])").sub(r"\1 \2 \3", text)
    return text
