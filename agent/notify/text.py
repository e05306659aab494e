"""Turning a notice into what a notification server shows: cleaned, escaped, short enough for a glance."""

from __future__ import annotations

import html
from dataclasses import replace

from agent import textsafe
from agent.confidence import Confidence
from agent.notify import glance
from agent.notify.notice import Notice
from agent.textsafe import notification

CONFIRMED = Confidence.CONFIRMED.label

MAX_NAME = 60
MAX_MODEL = 24
MAX_FIELD = 600


def clean_line(text: str, limit: int = MAX_FIELD) -> str:
    """One line of plain text: terminal escapes, control characters and bidi overrides removed."""
    return notification(text, limit)


def clean_text(text: str, limit: int = MAX_FIELD) -> str:
    """Like ``clean_line`` but keeps line breaks (notice text from rules may have several lines)."""
    lines = (clean_line(line, limit) for line in text.replace("\r\n", "\n").split("\n"))
    joined = "\n".join(line for line in lines if line)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def summary(notice: Notice) -> str:
    """ "Recalled: <item> (<hazard>)" or "Check your <item> (<model>): may be recalled". Never markup."""
    name = clean_line(notice.item_name, MAX_NAME) or clean_line(notice.item_id, MAX_NAME)
    warning = notice.kind == "warning"
    if notice.confidence == CONFIRMED:
        word = glance.hazard_word(notice.hazards)
        head = "Safety warning" if warning else "Recalled"
        return f"{head}: {name} ({word})" if word else f"{head}: {name}"
    model = clean_line(notice.model, MAX_MODEL)
    if model and model.casefold() not in name.casefold():
        name = f"{name} ({model})"
    return f"Check your {name}: {'a safety warning may apply' if warning else 'may be recalled'}"


def body(notice: Notice, *, markup: bool, actions: bool = True, hyperlinks: bool = False) -> str:
    """Why and what to do now, escaped when the server reads markup.

    The notice's address is written out only for a server without actions (no button could open it).
    """
    clean = clean_notice(notice)
    esc = textsafe.markup if markup else (lambda s: s)
    lines = [esc(line) for line in glance.lines(clean, actions=actions)]
    url = clean.url
    if url and not actions:
        if markup and hyperlinks and url.startswith(("https://", "http://")):
            lines.append(f'<a href="{html.escape(url, quote=True)}">{textsafe.markup(url)}</a>')
        else:
            lines.append(esc(url))
    return "\n".join(lines)


def clean_notice(notice: Notice) -> Notice:
    """The notice with every string it shows cleaned of control characters and escapes."""
    return replace(
        notice,
        hazard=clean_line(notice.hazard),
        remedy=clean_line(notice.remedy),
        check=clean_line(notice.check),
        to_check=tuple(clean_line(t) for t in notice.to_check),
        url=clean_line(notice.url),
        checker=clean_line(notice.checker),
    )


def urgency(notice: Notice) -> int:
    """freedesktop urgency: 2 (critical) for confirmed fire, burn, shock and explosion hazards, else 1."""
    return 2 if notice.critical else 1
