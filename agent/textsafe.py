"""Text policies: how a string from outside (a device, a rule file, the network) is made safe for one place.

Each character belongs to at most one class (``char_class``), and each named rule says what happens to
each class where it is used:

- ``TERMINAL`` (``terminal``, ``paragraph``): what the command line prints. Nothing is hidden: unsafe
  characters are shown as visible escapes (``\\x1b``, ``\\u202e``), so a look-alike cannot pass for another.
- ``DEVICE`` (``device``): strings a device sends (USB descriptors, mDNS names and TXT values) before they
  are stored and matched. Whole terminal escape sequences are dropped, every kind of whitespace becomes one
  space, invisible characters go; ``"Anker\\x1b[31m Power\\tBank"`` becomes ``"Anker Power Bank"``.
- ``NOTIFICATION`` (``notification``): one line of a desktop notification; the notifier escapes markup
  (``markup``) where the server reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

from agent.record import Record, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    import re  # imported where a pattern is used: most runs use none

# Terminal sequences: CSI (colours, cursor moves), OSC (titles, links), two-byte ESC sequences, 8-bit CSI.
_ANSI = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)


class _Sequences:
    """The terminal sequences' pattern, compiled (and kept by re) when first used: a scan of the inventory
    reads no device's strings and prints no colours, so it never compiles it."""

    def sub(self, repl: str, text: str) -> str:
        import re

        return re.sub(_ANSI, repl, text)

    def search(self, text: str) -> re.Match[str] | None:
        import re

        return re.search(_ANSI, text)


ANSI_SEQUENCE = _Sequences()

# The character classes, by Unicode category. CONTROL: C0 and C1 controls with DEL (tab and newline too).
# FORMAT: bidirectional overrides and isolates, zero-width characters, the soft hyphen, the tag characters.
CONTROL, FORMAT, SEPARATOR, SURROGATE, PRIVATE, UNASSIGNED = (
    "control",
    "format",
    "separator",
    "surrogate",
    "private",
    "unassigned",
)
_CLASSES: Mapping[str, str] = {
    "Cc": CONTROL,
    "Cf": FORMAT,
    "Zl": SEPARATOR,
    "Zp": SEPARATOR,
    "Cs": SURROGATE,
    "Co": PRIVATE,
    "Cn": UNASSIGNED,
}
DROP, SPACE, ESCAPE = "drop", "space", "escape"  # what a rule does with a class; a class not named is kept


def char_class(char: str) -> str:
    """The class of one character, "" for an ordinary one."""
    import unicodedata  # a library of its own, loaded by the first text that needs it

    return _CLASSES.get(unicodedata.category(char), "")


def escaped(char: str) -> str:
    """A visible escape for one character: ``\\x1b``, ``\\u202e``, ``\\U000e0041``."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class TextRule(Record, kw_only=True):
    """One text policy. ``whitespace``: every whitespace character becomes a space before the classes are
    looked at. ``collapse``: a pattern whose runs become one space, ends stripped (compiled, and kept by
    re, when the rule is first used: a scan of the inventory never compiles it). ``ellipsis``: a cut text
    ends with "…" within ``limit``; else it is cut at ``limit`` and stripped."""

    name: str
    actions: Mapping[str, str] = field(default_factory=dict)
    sequences: bool = False  # drop whole terminal escape sequences first
    whitespace: bool = False
    collapse: str = ""
    normal_form: str = ""
    limit: int = 200
    ellipsis: bool = True

    def apply(self, text: str, limit: int | None = None) -> str:
        limit = self.limit if limit is None else limit
        if self.normal_form:
            text = text[: limit + 1]
            if not text.isascii():  # ASCII is in every normal form already
                import unicodedata

                text = unicodedata.normalize(self.normal_form, text)  # type: ignore[arg-type]
        if self.sequences:
            text = ANSI_SEQUENCE.sub("", text)
        if self.whitespace:
            text = "".join(" " if c.isspace() else c for c in text)
        if not text.isprintable():  # printable text has no "other" or "separator" character: no class at all
            text = "".join(self._char(c) for c in text)
        if self.collapse:
            import re

            text = re.sub(self.collapse, " ", text).strip()
        return self._cut(text, limit)

    def _char(self, char: str) -> str:
        action = self.actions.get(char_class(char), "")
        if action == DROP:
            return ""
        if action == SPACE:
            return " "
        return escaped(char) if action == ESCAPE else char

    def _cut(self, text: str, limit: int) -> str:
        if len(text) <= limit:
            return text
        if self.ellipsis:
            head = text[: limit - 1]
            return (head.rstrip() if self.collapse else head) + "…"
        return text[:limit].rstrip()


TERMINAL = TextRule(
    name="terminal",
    actions={CONTROL: ESCAPE, FORMAT: ESCAPE, SEPARATOR: ESCAPE, SURROGATE: ESCAPE},
    normal_form="NFC",
)
DEVICE = TextRule(
    name="device",
    actions={c: DROP for c in (CONTROL, FORMAT, SEPARATOR, SURROGATE, PRIVATE, UNASSIGNED)},
    sequences=True,
    whitespace=True,
    collapse=r"\s+",
    limit=255,
    ellipsis=False,
)
NOTIFICATION = TextRule(
    name="notification",
    actions={CONTROL: SPACE, SEPARATOR: SPACE, FORMAT: DROP, PRIVATE: DROP, SURROGATE: DROP},
    sequences=True,
    collapse=r"[ \t]+",
    limit=600,
)


def terminal(text: str, limit: int = 200) -> str:
    """Visible escapes instead of invisible tricks, so a look-alike name cannot pass for another."""
    return TERMINAL.apply(text, limit)


def paragraph(text: str) -> str:
    """Prose from a rule file: keep line breaks as spaces, escape everything else that is unsafe."""
    return terminal(" ".join(text[:4000].split()), limit=2000)


def device(text: str, limit: int = DEVICE.limit) -> str:
    """A string a device sent, as it is stored and matched: one printable line of at most ``limit``."""
    return DEVICE.apply(text, limit)


def notification(text: str, limit: int = NOTIFICATION.limit) -> str:
    """One line of plain text for a notification server."""
    return NOTIFICATION.apply(text, limit)


def markup(text: str) -> str:
    """Plain text as notification body markup (the subset of HTML the freedesktop spec allows)."""
    import html  # only notifications need it; every command imports this module

    return html.escape(text, quote=False)
