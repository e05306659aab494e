"""Frozen records with slots, made without generating code when their module is imported.

A class naming :class:`Record` as its base (``class Item(Record):``) gets what
``@dataclass(frozen=True, slots=True)`` gives a class: an ``__init__`` taking the annotated fields
(positional in order, or keyword-only with ``class Item(Record, kw_only=True):``; defaults and
``field(default_factory=...)``), equality and hashing over the compared fields, a repr, frozenness
(assignment raises :class:`FrozenError`, an AttributeError), slots, ``__match_args__`` and copying.
:func:`fields`, :func:`replace` and :func:`asdict` work as their ``dataclasses`` namesakes do.

``dataclasses`` writes the source of each class's methods and compiles it as the class is made, and it
imports inspect (with ast, dis and tokenize): together most of the program's own start-up. Here every
method is one shared function closed over the class's field list, and the class is made once, by its
type (a decorator would make a second class with slots from the one the class statement made). Type
checkers see the class as a dataclass (``dataclass_transform``), so constructors, field types and
frozenness stay checked.
"""

from __future__ import annotations

import operator
import reprlib
import sys
from collections.abc import Callable
from itertools import repeat

TYPE_CHECKING = False  # what typing.TYPE_CHECKING is, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any, TypeVar, overload

    from typing_extensions import dataclass_transform

    T = TypeVar("T")

FIELDS = "__record_fields__"


_SET = object.__setattr__  # sets a slot past the record's own __setattr__, which refuses
if sys.version_info >= (3, 11):
    _CALL: Any = operator.call  # calls a slot's own setter: cheaper than _SET, which looks the slot up each time
else:
    _CALL = None


class FrozenError(AttributeError):
    """An assignment to, or deletion of, a field of a record."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """One field of a record, in declaration order (what :func:`fields` returns)."""

    __slots__ = ("compare", "default", "default_factory", "kw_only", "name", "repr")

    def __init__(self, default: Any, default_factory: Any, repr: bool, compare: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare
        self.kw_only = False

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, kw_only={self.kw_only})"


def _field(
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default or default factory, and whether it shows in the repr and takes part in equality."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, repr, compare)


if TYPE_CHECKING:  # what type checkers see: typed overloads of field

    @overload
    def field(*, default: T, repr: bool = True, compare: bool = True) -> T: ...
    @overload
    def field(*, default_factory: Callable[[], T], repr: bool = True, compare: bool = True) -> T: ...
    @overload
    def field(*, repr: bool = True, compare: bool = True) -> Any: ...
    def field(
        *, default: Any = MISSING, default_factory: Any = MISSING, repr: bool = True, compare: bool = True
    ) -> Any: ...
else:
    field = _field

    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        """Type checkers' marker (typing_extensions.dataclass_transform); nothing to do when the program runs."""
        return lambda cls: cls


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class RecordType(type):
    """The type of record classes: a class statement naming Record as its base makes the class once, with
    its slots and methods, instead of a decorator making a second class from the first."""

    def __new__(
        mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], /, *, kw_only: bool = False
    ) -> RecordType:
        if not bases:  # Record itself
            return super().__new__(mcls, name, bases, namespace)
        if bases != (Record,):
            raise TypeError(f"{namespace.get('__qualname__', name)}: a record extends Record and nothing else")
        made: RecordType = _make(mcls, name, bases, namespace, kw_only)
        return made


class Record(metaclass=RecordType):
    """The base of every record: ``class Item(Record):``, or ``class Item(Record, kw_only=True):`` for
    keyword-only fields."""

    __slots__ = ()


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in declaration order."""
    try:
        found: tuple[Field, ...] = getattr(obj, FIELDS)
    except AttributeError:
        raise TypeError(f"{obj!r} is not a record class or instance") from None
    return found


def is_record(obj: Any) -> bool:
    return hasattr(obj, FIELDS)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record ``obj`` with the fields named in ``changes`` set to new values."""
    for f in fields(obj):
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    made: T = obj.__class__(**changes)
    return made


def asdict(obj: Any) -> dict[str, Any]:
    """A record's fields as a dict; records inside it, also in lists, tuples and dicts, become dicts too."""
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


def _plain(value: Any) -> Any:
    if is_record(value) and not isinstance(value, type):
        return asdict(value)
    if type(value) in (list, tuple):
        return type(value)(_plain(v) for v in value)
    if type(value) is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value


_CLASSVAR = ("ClassVar", "typing.ClassVar")
_INITVAR = ("InitVar", "dataclasses.InitVar")


def _declared(namespace: dict[str, Any], kw_only: bool) -> tuple[Field, ...]:
    """The fields a class body declares, in order: every annotation that is not a ClassVar."""
    out: list[Field] = []
    qualname = namespace["__qualname__"]
    defaulted = False
    for name, hint in namespace.get("__annotations__", {}).items():
        text = hint if type(hint) is str else getattr(hint, "__name__", repr(hint))
        if text.startswith(_CLASSVAR):
            continue
        if text.startswith(_INITVAR):
            raise TypeError(f"{qualname}.{name}: a record has no InitVar fields")
        value = namespace.get(name, MISSING)
        made = value if isinstance(value, Field) else Field(value, MISSING, True, True)
        made.name, made.kw_only = name, kw_only
        if not kw_only:
            required = made.default is MISSING and made.default_factory is MISSING
            if required and defaulted:
                raise TypeError(f"{qualname}.{name}: a field without a default follows one with a default")
            defaulted = defaulted or not required
        out.append(made)
    return tuple(out)


class _Plan:
    """What the methods of one record class read: its fields' names as each method needs them."""

    __slots__ = ("compared", "declared", "names", "positional", "shown")

    def __init__(self, declared: tuple[Field, ...]) -> None:
        self.declared = declared
        names: list[str] = []
        positional: list[str] = []
        compared: list[str] = []
        shown: list[str] = []
        for f in declared:
            names.append(f.name)
            if not f.kw_only:
                positional.append(f.name)
            if f.compare:
                compared.append(f.name)
            if f.repr:
                shown.append(f.name)
        self.names, self.positional = tuple(names), tuple(positional)
        self.compared, self.shown = tuple(compared), tuple(shown)


def _make(kind: type, name: str, bases: tuple[type, ...], namespace: dict[str, Any], kw_only: bool) -> Any:
    body = {"__qualname__": name, **namespace}  # a class statement's namespace has it; types.new_class's not
    plan = _Plan(_declared(body, kw_only))
    for field_name in plan.names:
        body.pop(field_name, None)  # a default would clash with the slot of the same name
    body["__slots__"] = plan.names
    setters: list[Callable[[Any, Any], None]] = []  # each slot's own setter, once the class has its slots
    body.update(_methods(body, plan, setters))
    made: Any = type.__new__(kind, name, bases, body)
    slots = vars(made)
    setters.extend([slots[n].__set__ for n in plan.names])  # each slot's member descriptor sets it
    return made


def _methods(body: dict[str, Any], plan: _Plan, setters: list[Callable[[Any, Any], None]]) -> dict[str, Any]:
    """What the record class gets, leaving alone a repr, equality or hash the class body defines itself."""
    names = plan.names
    compared = _values(plan.compared)
    methods: dict[str, Any] = {
        FIELDS: plan.declared,
        "__match_args__": plan.positional,
        "__init__": _init(body, plan, setters),
        "__setattr__": _frozen_set,
        "__delattr__": _frozen_delete,
        "__getstate__": lambda self: [getattr(self, n) for n in names],
        "__setstate__": lambda self, state: _set_all(self, names, state),
    }
    if "__repr__" not in body:
        methods["__repr__"] = _repr(plan.shown)
    if "__eq__" not in body:
        methods["__eq__"] = _eq(compared)
    explicit_hash = body.get("__hash__", MISSING)
    if explicit_hash is MISSING or (explicit_hash is None and "__eq__" in body):
        methods["__hash__"] = lambda self: hash(compared(self))
    return methods


def _init(body: dict[str, Any], plan: _Plan, setters: list[Callable[[Any, Any], None]]) -> Callable[..., None]:
    """The ``__init__``: the values found for every field are set in one pass that runs in C. Keywords are
    laid over a dict of every field's default, so a field left out costs nothing to find."""
    name = f"{body['__qualname__']}.__init__()"
    declared, names, positional = plan.declared, plan.names, plan.positional
    defaults = tuple([f.default for f in declared])
    by_name = dict(zip(names, defaults, strict=True))
    needed = frozenset([f.name for f in declared if f.default is MISSING])  # required, or made by a factory
    count = len(names)
    every_by_position = len(positional) == count
    post_init = body.get("__post_init__")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        values: Any
        if not kwargs and every_by_position and len(args) <= count:
            values = args if len(args) == count else [*args, *defaults[len(args) :]]
            if len(args) < count and MISSING in values:
                values = list(values)
                _fill(name, declared, values)
        else:
            if args:
                _bind(name, positional, args, kwargs)
            given = {**by_name, **kwargs}
            if len(given) != count:
                raise TypeError(f"{name} got an unexpected keyword argument {min(kwargs.keys() - by_name.keys())!r}")
            values = given.values()
            if not needed <= kwargs.keys():
                values = list(values)
                _fill(name, declared, values)
        # Both setters return None, so any() runs every one.
        any(map(_CALL, setters, repeat(self), values) if _CALL else map(_SET, repeat(self), names, values))
        if post_init is not None:
            post_init(self)

    return __init__


def _fill(name: str, declared: tuple[Field, ...], values: list[Any]) -> None:
    """Put each default factory's new value where no value was given; raise naming every required field
    left out."""
    absent = []
    for n, (f, value) in enumerate(zip(declared, values, strict=True)):
        if value is MISSING:
            if f.default_factory is MISSING:
                absent.append(f.name)
            else:
                values[n] = f.default_factory()
    if absent:
        raise TypeError(f"{name} missing {len(absent)} required argument{'s' if len(absent) > 1 else ''}: {absent}")


def _bind(name: str, positional: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Add the positional arguments to ``kwargs`` by their fields' names."""
    if len(args) > len(positional):
        raise TypeError(f"{name} takes {len(positional) + 1} positional arguments but {len(args) + 1} were given")
    given = positional[: len(args)]
    if kwargs and not kwargs.keys().isdisjoint(given):
        twice = next(n for n in given if n in kwargs)
        raise TypeError(f"{name} got multiple values for argument {twice!r}")
    kwargs.update(zip(given, args, strict=True))


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving a record's values of ``names`` as a tuple (what equality and the hash compare)."""
    if len(names) > 1:
        many: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)
        return many
    if names:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join([f"{n}={getattr(self, n)!r}" for n in names])
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _frozen_set(self: Any, name: str, value: Any) -> None:
    raise FrozenError(f"cannot assign to field {name!r}")


def _frozen_delete(self: Any, name: str) -> None:
    raise FrozenError(f"cannot delete field {name!r}")


def _set_all(obj: Any, names: tuple[str, ...], values: list[Any]) -> None:
    for name, value in zip(names, values, strict=True):
        object.__setattr__(obj, name, value)
