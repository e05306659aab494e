"""Make what a device announces safe to keep and show: decoded, printable, bounded.

Everything a device on the network sends is untrusted. These functions never raise on odd input:
bytes that are not UTF-8 decode with replacement characters, and the text then follows the device rule
of agent.textsafe (escape sequences and invisible characters dropped, whitespace runs one space), cut to
a fixed length. Markup is kept as literal text; the report layer escapes for its format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agent.textsafe import ANSI_SEQUENCE, device

MAX_VALUE = 255  # characters kept of one TXT value, instance or host name
MAX_KEY = 64  # characters kept of one TXT key
MAX_KEYS = 64  # TXT keys kept per service
MAX_RAW = 4096  # bytes looked at before decoding, so a huge value costs nothing


def _decode(value: bytes | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:MAX_RAW]
    return bytes(value[:MAX_RAW]).decode("utf-8", errors="replace")


def clean_text(value: bytes | str | None, limit: int = MAX_VALUE) -> str:
    """A single printable line of at most ``limit`` characters (the device text rule)."""
    return device(_decode(value), limit)


def clean_key(key: bytes | str | None) -> str:
    """A TXT key as RFC 6763 allows it (printable US-ASCII without ``=``), lower-cased; "" if none is left."""
    text = ANSI_SEQUENCE.sub("", _decode(key))
    kept = "".join(c for c in text if " " <= c <= "~" and c != "=")
    return kept.strip().lower()[:MAX_KEY]


def clean_properties(
    properties: Mapping[bytes, bytes | None] | Mapping[str, str | None],
) -> tuple[tuple[tuple[str, str], ...], int]:
    """TXT properties as sorted (key, value) pairs, plus how many keys were dropped by the cap.

    Keys are cleaned and lower-cased; a key that is empty afterwards is skipped, and when two keys clean
    to the same text the first one wins. A key without a value keeps an empty value.
    """
    pairs: dict[str, str] = {}
    dropped = 0
    for raw_key, raw_value in _items(properties):
        key = clean_key(raw_key)
        if not key or key in pairs:
            continue
        if len(pairs) >= MAX_KEYS:
            dropped += 1
            continue
        pairs[key] = clean_text(raw_value)
    return tuple(sorted(pairs.items())), dropped


def _items(
    properties: Mapping[bytes, bytes | None] | Mapping[str, str | None],
) -> Iterable[tuple[bytes | str, bytes | str | None]]:
    return list(properties.items())


def strip_dot(name: str) -> str:
    """``"printer.local."`` -> ``"printer.local"``."""
    return name[:-1] if name.endswith(".") else name
