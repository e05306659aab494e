"""Table cells the cpsc.gov export ran together without a space, pulled apart before codes are read.

"CoolerA17B0Not" is "Cooler A17B0 Not", "DF36450G/BK/PDF36450G/BK/P/LP" is two codes, and a date-code cell
repeated on every row ("0815 - 1253") separates the models beside it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from agent.feeds.families import heads, split_families
from agent.feeds.patterns import ALNUM_DASH, CAPITALS_DIGITS, Folded, compiled, spaced, split_on, stands
from agent.feeds.printed import shape
from agent.feeds.sizes import sizes_apart, words_apart
from agent.feeds.text import clean

_CAMEL = re.compile(  # the first two tests hold wherever one of the others does: they make the scan quick
    r"(?=[A-Z0-9])(?:(?<=[a-z0-9])(?:(?<=[a-z]{2})(?=[A-Z])|(?<=[a-z])(?=[A-Z][A-Z0-9]{2})|(?<=[0-9])(?=[A-Z][a-z]{2})"
    r"|(?<=[0-9])(?=(?:UPC|SKU|VIN|MPPT)\b)|(?<=[a-z])(?=(?:19|20)\d\d-(?:19|20)\d\d)"
    r"|(?<=Numbers)(?=\d)|(?<=Number)(?=\d)|(?<=Models)(?=\d)|(?<=Model)(?=\d)"
    r")"
    r"|(?<=[A-Z0-9][A-Z])(?=[A-Z][a-z]{2})"  # "MAW08W1QWTKeystone", "CLP-430RClavinova": a word after a code
    r"|(?<=[0-9])(?=[A-Z][a-z]\b|[A-Z]{3,}[a-z]\b)(?!Ah|Wh|Hz)"  # "…46791My Look", "98205MPPTx to", not "8Ah"
    r"|(?<=\bRANGE)(?=[A-Z]{2,}\d)"  # "PURCHASE DATE RANGEBEA01-001": a header in capitals, then the first cell
    r")"
)


_LONG_RUN = re.compile(r"[A-Za-z0-9/-]{14,}")
_DATE_CELL = re.compile(r"\d{4} ?- ?\d{4}")
_REPEAT_HEAD = re.compile(r"\d?[A-Z]{2,5}-?(?=\d)")


@lru_cache(maxsize=1024)  # models, serials and UPCs are read from the same texts
def unglue(text: str) -> str:
    """Table cells the website ran together: "CoolerA17B0Not" -> "Cooler A17B0 Not",
    "DF36450G/BK/PDF36450G/BK/P/LP" -> "DF36450G/BK/P DF36450G/BK/P/LP"."""
    text = _named_apart(_numbers_apart(sizes_apart(_CAMEL.sub(" ", words_apart(_dates_apart(clean(text)))))))
    stars = set(re.findall(r"(?<![A-Za-z0-9*])([A-Z])\d*\*\*", text)) if "**" in text else set()
    for letter in stars:  # "~ T**1253****" alone too
        text = re.sub(rf"(?<=\d)(?={letter}(?:\d{{4}})?\*\*)", " ", text)  # "…S110T**0815": model, pattern
    shared = heads(text)
    text = split_families(_LONG_RUN.sub(_split_repeats, text), shared)
    text = _range_heads(_hyphen_digits(split_families(text, {})))  # cells the first cuts left standing alone
    text = _tail_variants(_capitals_apart(text))
    cells = _DATE_CELL.findall(text)  # "G71C0009S1110815 - 1253G71C0009S112": a repeated cell
    for cell in {c for c in cells if cells.count(c) >= 3}:
        text = text.replace(cell, f" {cell} ")
    return text


_CODE_DATE = re.compile(r"(?<![A-Za-z0-9/-])([A-Z][A-Z0-9-]*\d)/(\d{1,2})/(\d{4}|\d{2})(?![0-9/])")
_DATE_CODE = re.compile(r"(?<![0-9/])(\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))(?=[A-Z][A-Z0-9-]*\d)")


def _dates_apart(text: str) -> str:
    """A date cell (month/day/year) run into a code cell: "1/22/19BEA01-005" -> "1/22/19 BEA01-005", and
    "BEA01-0014/13/17" -> "BEA01-001 4/13/17" where only one cut gives a month of 1 to 12."""
    if "/" not in text:
        return text
    return _CODE_DATE.sub(_code_then_date, _DATE_CODE.sub(r"\1 ", text))


def _code_then_date(found: re.Match[str]) -> str:
    run, day = found[1], int(found[2])
    cuts = [n for n in (1, 2) if run[-n:].isdigit() and 1 <= int(run[-n:]) <= 12 and re.search(r"[A-Z].*\d", run[:-n])]
    if len(cuts) != 1 or not 1 <= day <= 31:
        return found.group()  # no date, or two readings: leave the cell as it is
    return f"{run[: -cuts[0]]} {run[-cuts[0] :]}/{found[2]}/{found[3]}"


def _split_repeats(match: re.Match[str]) -> str:
    token = match.group()
    head = _REPEAT_HEAD.match(token)
    if not head or token.find(head.group(), 1) < 0:
        return token
    return compiled(rf"(?<=[A-Z0-9/])(?={head.group()}\d)").sub(" ", token)


_AFTER_MODEL = Folded(r"\bmodels?\b(?:(?!serial)[^.;:]){0,120}(?![a-z0-9-])")  # any case, the text as written


def _after_model(text: str) -> list[str]:
    """The texts ``_AFTER_MODEL`` finds, as written (what ``findall`` of it in any case gives)."""
    return [text[start:end] for start, end in _AFTER_MODEL.spans(text)]


_LETTERS_DIGITS = re.compile(r"(?<=\d)([A-Z]{1,4})(\d{9,})(?!\d)")
_DIGIT_CAPITAL = re.compile(r"\d[A-Z]")  # a quick scan for what _LETTERS_DIGITS needs (it starts looking behind)


def _numbers_apart(text: str) -> str:
    """A long number cell run into the code before it: "330LK970514501" is model 330LK (which the notice
    also names alone) and SKU 970514501; "GDM-47FC934430110010081" is model GDM-47FC and two serials (too
    many digits for one cell). Letters that start numbers of one length again and again ("WC0234712405",
    "WC0238412406", ...) are a code's own head and stay on it."""
    found = _LETTERS_DIGITS.findall(text) if _DIGIT_CAPITAL.search(text) else []
    if not found:
        return text
    shapes = Counter((letters, len(number)) for letters, number in found)
    fixed = {letters for (letters, size), count in shapes.items() if count >= 3 and size <= 12}
    named = " ".join(_after_model(text))  # "with model numbers 330LK, 130C and 130L"
    alone = set(re.findall(r"(?<![A-Za-z0-9-])[A-Z0-9-]*\d[A-Z]{1,4}(?![A-Za-z0-9-])", named))

    def apart(m: re.Match[str]) -> str:
        known = any(text.startswith(code, m.end(1) - len(code)) for code in alone if code.endswith(m[1]))
        if m[1] in fixed or not (known or (len(m[1]) >= 2 and len(m[2]) >= 13)):
            return m[0]
        return f"{m[1]} {m[2]}"

    return _chunks(_LETTERS_DIGITS.sub(apart, text))


_HYPHEN_CODE = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{1,5}-)(\d+)(?=[A-Z]*(?![A-Za-z0-9-]))")
_HYPHEN_DIGIT = re.compile(r"[A-Z]-\d")  # a quick scan for what _HYPHEN_CODE needs


def _hyphen_digits(text: str) -> str:
    """ "GDM-45934419710010080" beside "GDM-47FC", "GDM-49RL" and "TSD-47G": the codes of the table have two
    digits after the hyphen, so the rest is the serial cells run into the code."""
    found = _HYPHEN_CODE.findall(text) if _HYPHEN_DIGIT.search(text) else []
    sizes = {len(digits) for _, digits in found if len(digits) <= 6}
    if len(sizes) != 1 or sum(len(d) <= 6 for _, d in found) < 3:
        return text
    size = sizes.pop()

    def apart(m: re.Match[str]) -> str:
        return f"{m[1]}{m[2][:size]} {m[2][size:]}" if len(m[2]) >= size + 9 else m[0]

    # "…10048907T-49G97895259872836": a serial cell, then a code of the table's shape and its serials
    text = compiled(rf"(?<=\d{{7}})(?=[A-Z]{{1,5}}-\d{{{size}}}[A-Z]{{0,3}}\d{{9}})").sub(" ", text)
    text = compiled(rf"(?<![A-Za-z0-9-])([A-Z]{{1,5}}-\d{{{size}}}[A-Z]{{1,3}})(?=\d{{9}})").sub(r"\1 ", text)
    return _HYPHEN_CODE.sub(apart, text)


_RANGE = re.compile(
    r"(?<![A-Za-z0-9-])([A-Z0-9-]{13,})(\s+(?:-|to|through|thru)\s+)([A-Z0-9][A-Z0-9-]{7,})(?![A-Za-z0-9-])"
)


def _range_heads(text: str) -> str:
    """The two ends of a serial range have one shape, so a code cell run into the first end is cut off it:
    "KX450MSFNNJKAKXGMCSA008598 - JKAKXGMCSA011475" is model KX450MSFNN and the range."""
    if not any(word in text for word in (" - ", " to ", "through", "thru")):
        return text

    def apart(m: re.Match[str]) -> str:
        first, last = m[1], m[3]
        head, end = first[: -len(last)], first[-len(last) :]
        if len(first) <= len(last) or shape(end) != shape(last) or end[:4] != last[:4]:
            return m[0]
        if not re.fullmatch(r"(?=.*[A-Z])(?=.*\d)[A-Z0-9-]{3,}", head) or head.endswith("-"):
            return m[0]
        return f"{head} {end}{m[2]}{last}"

    return _RANGE.sub(apart, text)


_TITLE_WORD = re.compile(r"[A-Z](?<=\b[A-Z])[a-z]{3,}\b")  # \b[A-Z][a-z]{3,}\b: the capital first, quick to find
_TAIL_VARIANT = re.compile(r"(?<![A-Za-z0-9-])([A-Z0-9-]*\d)([A-Z]{3,6}) ?/ ?([A-Z]{3,6})(?![A-Za-z0-9-])")


def _capitals_apart(text: str) -> str:
    """A word the notice writes in lower case with a capital ("Mule"), printed in capitals and run into the
    code cell before it: "KAF1000LRFNN/LRFNLMULE PRO-FX" is the code, then "MULE"."""
    for word in {w.upper() for w in _TITLE_WORD.findall(text)}:
        if word in text:
            text = spaced(text, _run_into(word, text))
    return text


def _run_into(word: str, text: str) -> list[int]:
    """Where ``word`` stands with three capitals or digits right before it and no word character right after
    it, left to right without overlaps: the matches of ``(?<=[A-Z0-9]{3})(?<!\\bW)WORD\\b`` (W its first
    letter; with three such characters before it no word boundary can come before W)."""
    out: list[int] = []
    start = text.find(word, 3)
    while start >= 0:
        end = start + len(word)
        if all(c in CAPITALS_DIGITS for c in text[start - 3 : start]) and not (
            end < len(text) and (text[end].isalnum() or text[end] == "_")
        ):
            out.append(start)
            start = text.find(word, end)
        else:
            start = text.find(word, start + 1)
    return out


def _tail_variants(text: str) -> str:
    """ "KAF1000LRFNN/LRFNL": the letters after the slash replace the code's last letters (one code per
    variant), when they are as many and begin the same way: "KAF1000LRFNN/KAF1000LRFNL"."""

    def whole(m: re.Match[str]) -> str:
        tail, other = m[2], m[3]
        if len(tail) != len(other) or tail[: len(tail) - 2] != other[: len(other) - 2] or tail == other:
            return m[0]
        return f"{m[1]}{tail}/{m[1]}{other}"

    return _TAIL_VARIANT.sub(whole, text) if "/" in text else text


def _chunks(text: str) -> str:
    """Numbers of one length run together ("970514502970514503…"), cut at that length when a number of the
    table stands alone with it and every piece starts with the same three digits."""
    alone = {n for n in re.findall(r"(?<![A-Za-z0-9])\d{7,10}(?![A-Za-z0-9])", text)}
    if not alone:
        return text
    starts = {(n[:3], len(n)) for n in alone}

    def cut(match: re.Match[str]) -> str:
        run = match.group()
        for head, size in starts:
            pieces = [run[i : i + size] for i in range(0, len(run), size)]
            whole = [p for p in pieces if len(p) == size and p.startswith(head)]
            if len(whole) >= 2 and pieces[: len(whole)] == whole:
                return " ".join([*whole, "".join(pieces[len(whole) :])]).strip()
        return run

    return re.sub(r"\d{14,}", cut, text)


_CODE = re.compile(r"(?<![A-Za-z0-9-])(?=[A-Z0-9-]*[A-Z])(?=(?:[A-Z-]*\d){2})[A-Z0-9][A-Z0-9-]{3,}(?![A-Za-z0-9-])")
_CELL = re.compile(r"[A-Z](?=(?:[A-Z]*\d){2})[A-Z0-9]{3,}")


@lru_cache(maxsize=1024)
def named_models(text: str) -> frozenset[str]:
    """Codes the prose names right after "model" ("with model numbers 330LK, 130C and 130L")."""
    text = clean(text)
    if "model" not in text.lower():  # no other letters fold onto these: _AFTER_MODEL cannot match
        return frozenset()
    return frozenset(c for w in _after_model(text) for c in _CODE.findall(w))


_SPEC_COLUMN = re.compile(r"\bspecification\s+(?:numbers?|no\.?|#)", re.IGNORECASE)


def model_column(header: str, rows: str, named: frozenset[str]) -> frozenset[str]:
    """When a table's header names a specification column beside the model column and its rows hold two or
    more models the prose named, the shapes of those models ("AA999A" of FJ400D); a code of another shape in
    the rows ("ES04") is a specification value."""
    if not _SPEC_COLUMN.search(header):
        return frozenset()
    present = [c for c in named if stands(c, rows, _CODE_ENDS, ALNUM_DASH)]
    return frozenset(shape(c) for c in present) if len(present) >= 2 else frozenset()


_CODE_ENDS = re.compile(r"(?![A-Za-z0-9-])")


def _stands_alone(code: str, text: str) -> bool:
    """Whether ``code`` is written in ``text`` only with neither a letter, digit nor dash beside it: then the
    only cell of _named_apart's scan holding it is the code itself, which stays whole."""
    at = text.find(code)
    while at >= 0:
        end = at + len(code)
        if (at and text[at - 1] in ALNUM_DASH) or (end < len(text) and text[end] in ALNUM_DASH):
            return False
        at = text.find(code, at + 1)
    return True


def _named_apart(text: str, *, quick: bool = True) -> str:
    """Codes the prose names as models, cut out of the table cells run into them: with engine models
    FJ400D and FS600V named, "FJ400DES04A" is FJ400D then ES04A and "FS04FS600VDS20" is FS04, FS600V, DS20.
    Only where every piece left over is a code cell itself, never a variant letter or a hyphenated tail.
    Without ``quick``, a text whose named codes all stand alone is scanned too (for its tests)."""
    named = sorted(named_models(text), key=len, reverse=True)
    if not named or (quick and all(_stands_alone(code, text) for code in named)):
        return text  # a code written nowhere but as a cell of its own cuts no cell apart

    def apart(match: re.Match[str]) -> str:
        token = match.group()
        if not any(code in token for code in named):
            return token  # nothing to cut out: the split below would give the token alone
        pieces = split_on(token, named)
        if len(pieces) < 2 or not all(p in named or _CELL.fullmatch(p) for p in pieces):
            return token
        return " ".join(pieces)

    return re.sub(r"(?<![A-Za-z0-9-])[A-Z0-9][A-Z0-9-]{6,}", apart, text)
