"""Turning a notice into what a notification server shows: cleaned, escaped, within sensible lengths."""

from __future__ import annotations

import html
import re
import unicodedata

from agent.confidence import Confidence
from agent.notify.notice import Notice
from agent.textsafe import ANSI_SEQUENCE

_SPACES = re.compile(r"[ \t]+")
MAX_NAME = 120
MAX_FIELD = 600


def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Cc", "Zl", "Zp"):  # C0 and C1 controls, tabs, newlines, line and paragraph separators
        return " "
    if category in ("Cf", "Co", "Cs"):  # bidi overrides and isolates, zero-width marks, private use
        return ""
    return ch


def clean_line(text: str, limit: int = MAX_FIELD) -> str:
    """One line of plain text: terminal escapes, control characters and bidi overrides removed."""
    text = ANSI_SEQUENCE.sub("", text)
    text = "".join(_visible(ch) for ch in text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def clean_text(text: str, limit: int = MAX_FIELD) -> str:
    """Like ``clean_line`` but keeps line breaks (notice text from rules may have several lines)."""
    lines = (clean_line(line, limit) for line in text.replace("\r\n", "\n").split("\n"))
    joined = "\n".join(line for line in lines if line)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def summary(notice: Notice) -> str:
    """The summary names the product. It is plain text for every server (the spec has no summary markup)."""
    name = clean_line(notice.item_name, MAX_NAME) or clean_line(notice.item_id, MAX_NAME)
    if notice.confidence == Confidence.CONFIRMED.label:
        return f"Recalled: {name}"
    return f"May be recalled: {name}"


def body(notice: Notice, *, markup: bool, hyperlinks: bool = False) -> str:
    """Hazard, what to do, how to check, and the notice's link; escaped when the server reads markup."""
    esc = (lambda s: html.escape(s, quote=False)) if markup else (lambda s: s)
    lines = [esc(clean_text(notice.title))] if notice.title else []
    if notice.hazard:
        lines.append(f"Hazard: {esc(clean_text(notice.hazard))}")
    if notice.remedy:
        lines.append(f"What to do: {esc(clean_text(notice.remedy))}")
    if notice.check:
        lines.append(f"Check your unit: {esc(clean_text(notice.check))}")
    url = clean_line(notice.url)
    if url and markup and hyperlinks and url.startswith(("https://", "http://")):
        lines.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url, quote=False)}</a>')
    elif url:
        lines.append(esc(url))
    return "\n".join(lines)


def urgency(notice: Notice) -> int:
    """freedesktop urgency: 2 (critical) for fire, burn, shock and explosion hazards, else 1 (normal)."""
    return 2 if notice.urgent else 1
