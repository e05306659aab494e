"""Frozen rule records to and from plain JSON values, checking every value's type on the way back.

A record becomes a list of its field values in declaration order; tuples and frozensets become lists;
``None`` stays ``null``. The coders are derived from the records' type hints, so a field added to a
record is covered without touching this module, and :func:`signature` changes with it (the cache keys
on it). Decoding never calls anything the data names: it only builds the record types it was given,
and anything of the wrong shape raises :class:`CodecError`.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

from agent.record import fields, is_record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    import typing
    from typing import Any

    Coder = Callable[[Any], Any]
    Pair = tuple[Coder, Coder]  # encoder, decoder
SCALARS = (str, int, bool, float)
MAX_SHARED = 20_000  # decoded string collections kept to be shared, per field type
SEPARATOR = "\x1f"  # a collection of strings none of which holds it is stored as one joined string


class CodecError(ValueError):
    """The data does not have the shape of the records it should hold."""


def _fail(expected: str, value: object) -> typing.NoReturn:
    raise CodecError(f"expected {expected}, found {type(value).__name__}")


def _same(value: Any) -> Any:
    return value


def _scalar(kind: type) -> Pair:
    def decode(value: Any) -> Any:
        if type(value) is not kind:
            _fail(kind.__name__, value)
        return value

    return _same, decode


def _optional(inner: Pair) -> Pair:
    encode_inner, decode_inner = inner

    def encode(value: Any) -> Any:
        return None if value is None else encode_inner(value)

    def decode(value: Any) -> Any:
        return None if value is None else decode_inner(value)

    return encode, decode


def _strings(make: type) -> Pair:
    def encode(value: Any) -> Any:
        items = sorted(value) if make is frozenset else list(value)
        if items and not any(SEPARATOR in item for item in items):
            return SEPARATOR.join(items)
        return items

    made: dict[str, Any] = {}  # the same joined strings recur (a brand in several fields): built once

    def decode(value: Any) -> Any:
        if type(value) is str:
            found = made.get(value)
            if found is None:
                if len(made) >= MAX_SHARED:
                    made.clear()
                found = made[value] = make(value.split(SEPARATOR))
            return found
        if type(value) is not list:
            _fail("a list or a joined string", value)
        for element in value:
            if type(element) is not str:
                _fail("str", element)
        return make(value)

    return encode, decode


def _sequence(inner: Pair, make: type) -> Pair:
    encode_inner, decode_inner = inner

    def encode(value: Any) -> Any:
        return [encode_inner(element) for element in value]

    def decode(value: Any) -> Any:
        if type(value) is not list:
            _fail("a list", value)
        return make([decode_inner(element) for element in value])

    return encode, decode


def _fixed(inners: tuple[Pair, ...]) -> Pair:
    def encode(value: Any) -> Any:
        return [pair[0](element) for pair, element in zip(inners, value, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != len(inners):
            _fail(f"a list of {len(inners)}", value)
        return tuple(pair[1](element) for pair, element in zip(inners, value, strict=True))

    return encode, decode


_REQUIRED = object()  # a field that has no value for "absent" (null): a plain scalar or a record


def _record(cls: type, names: tuple[str, ...], pairs: tuple[Pair, ...], plan_of: tuple[tuple[Any, Any], ...]) -> Pair:
    """``plan_of``: for each field, its scalar type (checked inline) or None, and its value for null."""
    encoders = tuple(zip(names, (p[0] for p in pairs), (a for _, a in plan_of), strict=True))
    # Plain scalar fields are checked here, without a call per value: most values are strings. An empty
    # collection and a missing optional value are both stored as null, and need no call either.
    # Each field is set through its slot's own setter (what object.__setattr__ finds by name each time).
    setters = tuple(_setter(cls, name) for name in names)
    plan = tuple(
        zip(names, setters, (k for k, _ in plan_of), (p[1] for p in pairs), (a for _, a in plan_of), strict=True)
    )
    size = len(names)

    def encode(value: Any) -> Any:
        out = []
        for name, coder, absent in encoders:
            item = getattr(value, name)
            empty = item is None or (absent is not None and absent is not _REQUIRED and not item)
            out.append(None if empty else coder(item))
        return out

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != size:
            _fail(f"a {cls.__name__} of {size} fields", value)
        record: Any = object.__new__(cls)
        for (name, setter, kind, coder, absent), raw in zip(plan, value, strict=False):  # length checked above
            if raw is None:
                if absent is _REQUIRED:
                    _fail(f"a value for {cls.__name__}.{name}", raw)
                setter(record, absent)
            elif kind is None:
                setter(record, coder(raw))
            elif type(raw) is kind:
                setter(record, raw)
            else:
                _fail(kind.__name__, raw)
        return record

    return encode, decode


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The setter of a slot of ``cls``, or object.__setattr__ by name for a class without slots."""
    slot = getattr(cls, name, None) if "__slots__" in vars(cls) else None
    if isinstance(slot, types.MemberDescriptorType):
        setter: Callable[[Any, Any], None] = slot.__set__
        return setter
    return lambda record, value: object.__setattr__(record, name, value)


def _absent(hint: Any) -> Any:
    """What null stands for in a field of this type: None, an empty collection, or nothing."""
    origin, args = _origin(hint), _args(hint)
    if _is_union(origin) and type(None) in args:
        return None
    if origin is frozenset:
        return frozenset()
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return ()
    return _REQUIRED


def _origin(hint: Any) -> Any:
    """``typing.get_origin(hint)`` for the types a record's field may have (typing is not imported)."""
    return types.UnionType if isinstance(hint, types.UnionType) else getattr(hint, "__origin__", None)


def _args(hint: Any) -> tuple[Any, ...]:
    """``typing.get_args(hint)`` for the same types."""
    found: tuple[Any, ...] = getattr(hint, "__args__", ())
    return found


def _is_union(origin: Any) -> bool:
    """``X | Y``, or ``typing.Union[X, Y]``, which exists only where typing has been imported."""
    if origin is types.UnionType:
        return True
    loaded = sys.modules.get("typing")
    return loaded is not None and origin is not None and origin is getattr(loaded, "Union", None)


_EVALUATED: dict[tuple[str, str], Any] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The field types of ``cls``, as ``typing.get_type_hints`` gives them for a record that declares
    no ClassVar: each annotation written as text is evaluated in its module once (many fields share one),
    where ``get_type_hints`` compiles every field's afresh, on every start."""
    space = vars(sys.modules[cls.__module__])
    hints: dict[str, Any] = {}
    for name, written in cls.__annotations__.items():
        if not isinstance(written, str):
            hints[name] = written
            continue
        key = (cls.__module__, written)
        if key not in _EVALUATED:
            _EVALUATED[key] = eval(written, space)  # noqa: S307 - our own module's annotation, not data
        hints[name] = _EVALUATED[key]
    return hints


class Codec:
    """The coders of one root record type and of every type reachable from its fields."""

    def __init__(self, root: type) -> None:
        self._parts: list[str] = []
        self._records: dict[type, Pair] = {}
        self._building: set[str] = set()
        self.encode, self.decode = self._pair(root)
        self.signature = ";".join(self._parts)

    def _pair(self, hint: Any) -> Pair:
        if hint in SCALARS:
            return _scalar(hint)
        if is_record(hint) and isinstance(hint, type):
            return self._record_pair(hint)
        origin, args = _origin(hint), _args(hint)
        if _is_union(origin) and len(args) == 2 and type(None) in args:
            return _optional(self._pair(args[0] if args[1] is type(None) else args[1]))
        if origin is frozenset or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
            return _strings(origin) if args[0] is str else _sequence(self._pair(args[0]), origin)
        if origin is tuple:
            return _fixed(tuple(self._pair(a) for a in args))
        raise TypeError(f"the rule cache cannot hold values of type {hint!r}")

    def _record_pair(self, cls: type) -> Pair:
        if cls in self._records:
            return self._records[cls]
        if cls.__qualname__ in self._building:
            raise TypeError(f"the rule cache cannot hold {cls.__qualname__}, which holds itself")
        self._building.add(cls.__qualname__)
        hints = _hints(cls)
        names = tuple(f.name for f in fields(cls))
        self._parts.append(f"{cls.__qualname__}({','.join(f'{n}:{hints[n]}' for n in names)})")
        plan = tuple((hints[n] if hints[n] in SCALARS else None, _absent(hints[n])) for n in names)
        pair = _record(cls, names, tuple(self._pair(hints[n]) for n in names), plan)
        self._records[cls] = pair
        return pair
