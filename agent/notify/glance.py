"""Notification text for a glance: the hazard in a word, one line of why, one line of what to do now.

The whole notice (injury counts, remedies in detail, batch history) stays in `scan`, `explain` and the
notice's page; a notification carries only what a person needs in five seconds. Every line is taken from
the rule's own words, cut at a sentence or clause boundary, never rewritten.
"""

from __future__ import annotations

import re

from agent.confidence import Confidence
from agent.notify.notice import Notice

CONFIRMED = Confidence.CONFIRMED.label

BODY_LIMIT = 200  # visible characters of a body, both lines together
LINE_LIMIT = 98
# Most telling first: the summary names one hazard.
HAZARD_ORDER = (
    "fire",
    "explosion",
    "shock",
    "burn",
    "carbon-monoxide",
    "poisoning",
    "chemical",
    "choking",
    "strangulation",
    "entrapment",
    "laceration",
    "fall",
    "injury",
)
# Addresses written out (https://…) or bare (anker.com/product-recalls, www.belkin.com).
ADDRESS = re.compile(
    r"(?:\b(?:at|on|via|from|visit|to)\s+)?"
    r"(?:https?://\S+|[\w.+-]+@\S+|\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|gov|net|ca|uk|au|de|eu|io)\b(?:/\S*)?)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])")
_CLAUSES = (("; ", 3), (": ", 3), (" - ", 3), (", ", 3), (" and ", 2), (" or ", 2))  # mark, smallest share kept
_DANGER = re.compile(r"overheat|fire|burn|shock|explo|ignit|melt|smoke|electrocut|choke|injur", re.IGNORECASE)
_AFFECTED = re.compile(r"\s*\(affected: [^)]*\)")


def hazard_word(hazards: tuple[str, ...]) -> str:
    """The one hazard a summary names: "fire hazard", "carbon monoxide hazard"; empty when none is known."""
    for name in HAZARD_ORDER:
        if name in hazards:
            return f"{name.replace('-', ' ')} hazard" if name != "injury" else "injury risk"
    return ""


def without_addresses(text: str) -> str:
    """``text`` up to its first address, so no link text reaches a body that has actions instead."""
    match = ADDRESS.search(text)
    if match is None:
        return text
    return text[: match.start()].rstrip(" ,;:(-")


def shorten(text: str, limit: int = LINE_LIMIT) -> str:
    """The first sentence of ``text``; if longer than ``limit``, cut at its last clause boundary that fits."""
    text = " ".join(text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip()
    if len(first) <= limit:
        return first
    for mark, share in _CLAUSES:
        cut = first.rfind(mark, 0, limit)
        if cut >= limit // share:
            return _balanced(first[:cut]) + "."
    cut = first.rfind(" ", 0, limit - 1)
    return _balanced(first[: cut if cut > 0 else limit - 1]) + "…"


def _balanced(text: str) -> str:
    """``text`` without a parenthesis left open by the cut."""
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")]
    return text.rstrip(" ,;:-")


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def why_line(notice: Notice) -> str:
    """Why it matters: the hazard's first sentence, or its first clause that names the danger."""
    text = without_addresses(notice.hazard)
    first = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]
    if len(first) > LINE_LIMIT:
        fitting = [c for c in first.split("; ") if len(c) <= LINE_LIMIT and _DANGER.search(c)]
        first = fitting[0] if fitting else first
    return _sentence(shorten(first))


def todo_line(notice: Notice) -> str:
    """What to do now: the remedy's first instruction (the rest is one action away)."""
    sentences = _SENTENCE_END.split(" ".join(notice.remedy.split()))
    steps = [s for s in sentences if not s.startswith("This is")] or sentences
    return _sentence(shorten(without_addresses(steps[0]))) if steps else ""


def check_line(notice: Notice, *, actions: bool) -> str:
    """For a likely finding: what to read on the label, and where to enter it.

    When the firm's checker decides (only some serials are included), that check comes first.
    """
    decided = [t for t in notice.to_check if notice.checker and notice.checker in t]
    wanted = (decided or list(notice.to_check) or [""])[0]
    if decided:
        what = wanted.split(":", 1)[0].removeprefix("whether ")
        where = "enter it with “Check my unit”" if actions else f"enter it at {_short_address(notice.checker)}"
        return _sentence(f"Check whether {without_addresses(what)}; {where}")
    described = shorten(without_addresses(notice.check))
    line = f"Check {without_addresses(wanted)}" if wanted else (f"Check: {described}" if described else "")
    if len(line) > LINE_LIMIT:
        line = _AFFECTED.sub("", line)
    return _sentence(shorten(line) if line else "Check the label on the unit")


def _lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "A", "An", "It", "Its", "This", "These") else text


def _short_address(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def lines(notice: Notice, *, actions: bool) -> list[str]:
    """The body's lines: why and what to do; for a likely finding, the check first."""
    if notice.confidence == CONFIRMED:
        chosen = [why_line(notice), todo_line(notice)]
    else:
        why = why_line(notice)
        conditional = why if why.startswith("If ") else f"If affected: {_lower_first(why)}"
        chosen = [check_line(notice, actions=actions), conditional if why else ""]
    chosen = [line for line in chosen if line]
    while sum(len(line) for line in chosen) + len(chosen) - 1 > BODY_LIMIT:
        longest = max(range(len(chosen)), key=lambda i: len(chosen[i]))
        chosen[longest] = shorten(chosen[longest], len(chosen[longest]) - 10)
    return chosen
