"""The JSON of the program's own caches, read and written with the C functions of CPython's json package.

Importing ``json`` compiles six patterns for its pure-Python fallbacks, about 5 M instructions on every
start, and a start that finds its caches current needs none of them: ``loads`` reads with the package's
C scanner, and ``dumps`` (which makes a cache's first line, to compare) writes with its C encoder. Both
give what ``json`` gives (tests/core/test_jsontext.py compares them); interpreters without the C module
use ``json`` itself. Writing a whole cache, which happens only when it is made again, imports ``json``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_quote: Any = None
_make_scanner: Any = None
_make_encoder: Any = None
try:
    import _json

    _quote, _make_scanner, _make_encoder = _json.encode_basestring_ascii, _json.make_scanner, _json.make_encoder
except ImportError:  # pragma: no cover - an interpreter without CPython's C module
    pass

_WHITESPACE = " \t\n\r"  # what JSON allows between values, as json.decoder's WHITESPACE pattern
_CONSTANTS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


class _Reading:
    """The settings the C scanner reads off a decoder, as json.loads sets them."""

    strict = True
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__

    def __init__(self, object_hook: Callable[[dict[str, Any]], Any] | None) -> None:
        self.object_hook = object_hook


_scanners: dict[object, Callable[[str, int], tuple[Any, int]]] = {}


def loads(data: bytes | str, object_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """``json.loads(data, object_hook=object_hook)`` for UTF-8 text; ValueError where it is no JSON."""
    text = data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) else data
    if _make_scanner is None:  # pragma: no cover
        import json

        return json.loads(text, object_hook=object_hook)
    scan = _scanners.get(object_hook)
    if scan is None:
        scan = _scanners[object_hook] = _make_scanner(_Reading(object_hook))
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = scan(text, start)
    except StopIteration as stop:
        raise ValueError(f"Expecting value: char {stop.value}") from None
    if text[end:].strip(_WHITESPACE):
        raise ValueError(f"Extra data: char {end}")
    return value


def dumps(value: Any) -> str:
    """``json.dumps(value, separators=(",", ":"))``, by the same C encoder json uses for it."""
    if _make_encoder is None:  # pragma: no cover
        import json

        return json.dumps(value, separators=(",", ":"))
    encode = _make_encoder({}, _refuse, _quote, None, ":", ",", False, False, True)
    text: str = "".join(encode(value, 0))
    return text


def _refuse(value: object) -> None:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
