"""Code columns the cpsc.gov export ran into the next column, cut apart by what the column's codes share.

A table's model column holds codes of one family: they start alike and end alike ("MAW08AV1QWT",
"MAW10U1QWT", "MAW12W1QWT-S"). When the export runs each of them into the next cell
("MAW10U1QWTKSTAW08UA"), the family's shared ending says where the code stops, provided some codes of the
family stand alone and end there. Cells of a column that start with the same letters after a digit
("…10000RXTS-101A…12000RXTS-121A") or after varied letters ("…ATLBWC0234…", "…2405WC0238…") begin there.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from agent.feeds.patterns import SHAPE, compiled

_TOKEN = re.compile(r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]")
_HEAD = re.compile(r"\d{0,2}[A-Z]{2,5}-?(?=\d)")
_RUN = re.compile(r"[A-Z]+(?=-?\d)")
_DIGITS_AFTER = re.compile(r"-?\d+")
_VARIANT = re.compile(r"-[A-Z0-9](?=[A-Z]|$)")  # "MAW08AV1QWT-C", then the next cell
GLUED = 16  # a token this long can be two cells run together; shorter ones are left whole


def heads(text: str) -> dict[str, int]:
    """Letter heads before a digit that come back three times or more inside one long token: the cells of a
    column run together ("…2405WC0238…2406WC0238…"), valued by how many different characters come before
    them (or how often they come right after digits)."""
    out: dict[str, int] = {}
    for token in _tokens(text):
        if len(token) >= GLUED:
            for head, value in _heads_in(token).items():
                out[head] = max(value, out.get(head, 0))
    return out


@lru_cache(maxsize=8)  # heads and both passes of split_families read one text when neither changes it
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def split_families(text: str, shared: dict[str, int]) -> str:
    """``text`` with each family code cut from the cell run into it, and cells started by a shared head."""
    cuts = _core_cuts(_tokens(text))
    if not cuts and not shared:
        return text
    lead = _lead_digits(text, shared)
    return _TOKEN.sub(lambda m: _cut(m.group(), cuts, shared, lead), text)


def _lead_digits(text: str, shared: dict[str, int]) -> dict[str, int]:
    """How many digits before a head belong to it: the same ones before every time it follows digits, and
    the head with them stands alone somewhere ("…0331EK30-01 or 31EK30-02…": the cell starts "31EK")."""
    out: dict[str, int] = {}
    for head in shared:
        before = {m[1] for m in compiled(rf"(\d\d){head}(?=-?\d)").finditer(text)}
        for size in (2, 1):
            digits = {b[-size:] for b in before}
            if len(digits) == 1 and compiled(rf"(?<![A-Za-z0-9-]){digits.pop()}{head}(?=-?\d)").search(text):
                out[head] = size
                break
    return out


def _cut(token: str, cuts: dict[str, int], heads: dict[str, int], lead: dict[str, int]) -> str:
    end = cuts.get(token)
    if end is not None:
        return f"{token[:end]} {_cut(token[end:], {}, heads, lead)}"
    if len(token) < GLUED or not heads:
        return token
    pieces: list[str] = []
    start = 0
    for run in _RUN.finditer(token):
        at = _head_start(token, run, heads)
        at = at - lead.get(run.group(), 0) if at is not None and at == run.start() else at
        if at is not None and at - start >= 4 and len(token) - at >= 4:
            pieces.append(token[start:at])
            start = at
    return " ".join([*pieces, token[start:]])


def _head_start(token: str, run: re.Match[str], heads: dict[str, int]) -> int | None:
    """Where a shared head begins inside this run of letters, if one does and the run is glued on."""
    letters = run.group()
    if run.start() == 0:
        return None
    if token[run.start() - 1].isdigit() and letters in heads:
        return run.start()  # "10000RXTS-101A": a head after digits
    best = None
    for size in range(2, min(5, len(letters) - 1) + 1):
        suffix = letters[-size:]
        if heads.get(suffix, 0) >= 2 and (best is None or heads[suffix] >= heads[best]):
            best = suffix
    return run.end() - len(best) if best else None


def _heads_in(token: str) -> dict[str, int]:
    seen: Counter[str] = Counter()
    before: defaultdict[str, set[str]] = defaultdict(set)
    lead: defaultdict[str, set[str]] = defaultdict(set)
    follow: defaultdict[str, set[str]] = defaultdict(set)
    after_digit: Counter[str] = Counter()
    for run in _RUN.finditer(token):
        digits = _DIGITS_AFTER.match(token, run.end())
        letters = run.group()
        prior = token[run.start() - 1] if run.start() else "^"
        if prior.isdigit():
            after_digit[letters] += 1
        for size in range(2, min(5, len(letters)) + 1):
            suffix = letters[-size:]
            seen[suffix] += 1
            before[suffix].add(letters[-size - 1] if size < len(letters) else prior)
            lead[suffix].add(token[max(0, run.end() - size - 8) : run.end() - size])
            follow[suffix].add(digits.group() if digits else "")
    out: dict[str, int] = {}
    for head, count in seen.items():
        varied = len(lead[head]) >= 2 and len(follow[head]) >= 2  # "G71C000AE1", "B6IWDB-6": one code
        if count >= 3 and set(head) != {"X"} and varied:
            out[head] = max(len(before[head]), after_digit[head])
    return {h: n for h, n in out.items() if n >= 2}


def _core_cuts(tokens: Iterable[str]) -> dict[str, int]:
    """For each token of a family that runs on past the family's shared ending, where its code ends."""
    family: defaultdict[str, list[str]] = defaultdict(list)
    for token in dict.fromkeys(tokens):
        start = _HEAD.match(token)
        if start:
            family[start.group()].append(token)
    cuts: dict[str, int] = {}
    for head, members in family.items():
        if len(members) < 3:
            continue
        core = _common(t[len(head) :] for t in members)
        if len(core) < 3 or not any(c.isalpha() for c in core):
            cuts.update(_shape_cuts(members))
            continue
        ends = [t.index(core, len(head)) + len(core) for t in members]
        whole = sum(1 for t, e in zip(members, ends, strict=True) if not t[e:] or _VARIANT.fullmatch(t[e:]))
        if whole < 2:
            continue  # no code of the family stands alone ending there: the shared part is no ending
        for token, end in zip(members, ends, strict=True):
            variant = _VARIANT.match(token, end)
            stop = variant.end() if variant else end
            rest = token[stop:]
            if len(rest) >= 4 and rest[0] != "-" and any(c.isdigit() for c in rest):
                cuts[token] = stop
    return cuts


def _shape(code: str) -> str:
    if code.isascii():  # the table knows ASCII digits only; \d also matches the digits of other scripts
        return code.translate(SHAPE)
    return re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", code))


def _shape_cuts(members: list[str]) -> dict[str, int]:
    """Codes of a family that all have one shape where they stand alone ("31EK30-01", "31EK20-01", ...): a
    longer member of that shape and then digits is the code and the next cell ("31EK30-0213110005")."""
    shape = _shape(min(members, key=len))
    if sum(_shape(m) == shape for m in members) < 2 or "-" not in shape:
        return {}
    size = len(shape)
    return {m: size for m in members if len(m) >= size + 4 and _shape(m[:size]) == shape and m[size:].isdigit()}


def _common(texts: Iterable[str]) -> str:
    """The longest string every text holds."""
    items = sorted(texts, key=len)
    if not items:
        return ""
    first = items[0]
    for size in range(len(first), 0, -1):
        for start in range(len(first) - size + 1):
            part = first[start : start + size]
            if all(part in other for other in items[1:]):
                return part
    return ""


_NUMBER = re.compile(r"(?<![A-Za-z0-9.,/$-])\d{5,8}(?![A-Za-z0-9/-]|[.,]\d)")


def column_anchor(code: str) -> bool:
    """Whether ``column_siblings`` looks for the numbers of a table beside ``code``: five to eight digits."""
    return code.isdigit() and 5 <= len(code) <= 8


def column_siblings(sentence: str, anchors: list[str]) -> list[str]:
    """Numbers of a table that stand where a model number the notice gave does: the same count of digits
    and the same first digit ("98203", "98204", ... beside model 98200), three or more of them."""
    shapes = {(len(a), a[0]) for a in anchors if column_anchor(a)}
    if not shapes:
        return []
    out = [n for n in _NUMBER.findall(sentence) if (len(n), n[0]) in shapes]
    return out if len(set(out)) >= 3 else []
