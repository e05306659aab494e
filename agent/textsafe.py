"""Make outside strings safe to show: no control characters, escape sequences or direction overrides."""

from __future__ import annotations

import re
import unicodedata

# Terminal sequences: CSI (colours, cursor moves), OSC (titles, links), two-byte ESC sequences, 8-bit CSI.
# Stores that keep device strings drop them whole; this module escapes what is left.
ANSI_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)

# C0 and C1 controls (tab and newline included: a device name has no business with either), DEL,
# surrogates, the line and paragraph separators, and every format character: bidirectional overrides
# and isolates, zero-width characters, the soft hyphen and the invisible tag characters.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _shown(char: str) -> str:
    if unicodedata.category(char) not in _UNSAFE:
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal(text: str, limit: int = 200) -> str:
    """Visible escapes instead of invisible tricks, so a look-alike name cannot pass for another."""
    text = unicodedata.normalize("NFC", text[: limit + 1])
    safe = "".join(_shown(c) for c in text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def paragraph(text: str) -> str:
    """Prose from a rule file: keep line breaks as spaces, escape everything else that is unsafe."""
    return terminal(" ".join(text[:4000].split()), limit=2000)
