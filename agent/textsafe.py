"""Make outside strings safe to show: no control characters, escape sequences or direction overrides."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (tab and newline included: a device name has no business with either),
# DEL, and the Unicode format characters that reorder or hide text.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str, limit: int = 200) -> str:
    """Visible escapes instead of invisible tricks, so a look-alike name cannot pass for another."""
    text = unicodedata.normalize("NFC", text)
    safe = _UNSAFE.sub(_escape, text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def paragraph(text: str) -> str:
    """Prose from a rule file: keep line breaks as spaces, escape everything else that is unsafe."""
    return terminal(" ".join(text.split()), limit=2000)
