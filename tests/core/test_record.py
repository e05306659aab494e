"""Records made by agent.record behave as ``@dataclass(frozen=True, slots=True)`` classes of the same shape."""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib.util
import os
import subprocess
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

import agent
from agent import record as rec


def as_record(cls: type, *, kw_only: bool = False) -> Any:
    """The record a class statement naming Record as its base makes of the same body as ``cls``."""
    body = {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
    body["__qualname__"] = cls.__qualname__
    return types.new_class(cls.__name__, (rec.Record,), {"kw_only": kw_only}, lambda ns: ns.update(body))


def point_class(kind: str) -> Any:
    """The same class body, made a dataclass or a record: positional fields, defaults and a factory."""
    make = as_record if kind == "record" else dataclasses.dataclass(frozen=True, slots=True)
    field: Any = rec.field if kind == "record" else dataclasses.field

    @make
    class Point:
        x: int
        y: str
        tags: tuple[str, ...] = ()
        note: str = field(default="", compare=False)
        secret: str = field(default="hidden", repr=False)
        seen: list[int] = field(default_factory=list, compare=False)

        @property
        def doubled(self) -> int:
            return self.x * 2

    return Point


def keyed_class(kind: str) -> Any:
    """Keyword-only fields holding another record, and a class that writes its own __str__."""
    make = (
        functools.partial(as_record, kw_only=True)
        if kind == "record"
        else dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    )
    inner_class = point_class(kind)

    @make
    class Keyed:
        name: str
        inner: Any = None
        count: int | None = None
        table: dict[str, Any] = (
            rec.field(default_factory=dict) if kind == "record" else dataclasses.field(default_factory=dict)
        )

        def __str__(self) -> str:
            return f"<{self.name}>"

    return Keyed, inner_class


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1, "a"), {}),
    ((1,), {"y": "b"}),
    ((), {"x": 2, "y": "c", "tags": ("t",), "note": "n"}),
    ((1, "a", ("u", "v"), "note", "s", [3]), {}),
    ((), {}),
    ((1,), {}),
    ((1, "a"), {"x": 5}),
    ((1, "a"), {"z": 5}),
    ((1, "a", (), "", "", [], 7), {}),
]


def outcome(make: Callable[[], Any]) -> tuple[str, str]:
    try:
        made = make()
    except TypeError:
        return ("TypeError", "")
    return ("made", repr(made))


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_succeeds_and_fails_alike(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    ours, theirs = point_class("record"), point_class("dataclass")
    assert outcome(lambda: ours(*args, **kwargs)) == outcome(lambda: theirs(*args, **kwargs))


def complaint(make: Callable[[], Any]) -> str:
    try:
        make()
    except TypeError as e:
        return str(e).split("__init__() ", 1)[-1]  # after the class's name
    return ""


@pytest.mark.parametrize("given", range(32))
def test_every_choice_of_keywords_builds_and_fails_alike(given: int) -> None:
    """Each subset of a keyword-only class's fields, plus an unknown one, given by keyword: the same record
    as a dataclass or a TypeError naming what is wrong, and a new value from the default factory each time."""
    (ours, _), (theirs, _) = keyed_class("record"), keyed_class("dataclass")
    chosen = {"name": "n", "inner": (1,), "count": 3, "table": {"k": 1}, "colour": "red"}
    kwargs = {key: value for bit, (key, value) in enumerate(chosen.items()) if given >> bit & 1}
    assert outcome(lambda: ours(**kwargs)) == outcome(lambda: theirs(**kwargs))
    if "colour" in kwargs:
        assert complaint(lambda: ours(**kwargs)) == "got an unexpected keyword argument 'colour'"
    elif "name" not in kwargs:
        assert complaint(lambda: ours(**kwargs)) == "missing 1 required argument: ['name']"
    elif "table" not in kwargs:
        assert ours(**kwargs).table == {} and ours(**kwargs).table is not ours(**kwargs).table
    point = point_class("record")
    assert complaint(lambda: point(tags=(), note="")) == "missing 2 required arguments: ['x', 'y']"
    assert complaint(lambda: point(1, y="a", x=2)) == "got multiple values for argument 'x'"
    assert repr(point(1, y="a", seen=[2])) == repr(point_class("dataclass")(1, y="a", seen=[2]))


def test_keyword_only_fields_refuse_positions_alike() -> None:
    (ours, _), (theirs, _) = keyed_class("record"), keyed_class("dataclass")
    assert outcome(lambda: ours("a")) == outcome(lambda: theirs("a")) == ("TypeError", "")
    assert outcome(lambda: ours(name="a", count=3)) == outcome(lambda: theirs(name="a", count=3))
    assert outcome(lambda: ours(count=3)) == outcome(lambda: theirs(count=3)) == ("TypeError", "")


values = st.tuples(
    st.integers(-3, 3), st.sampled_from(["", "a", "b"]), st.lists(st.sampled_from("xy"), max_size=2).map(tuple)
)


@given(values, values, st.sampled_from(["", "n"]), st.sampled_from(["", "m"]))
def test_equality_hash_and_repr_match(a: tuple[Any, ...], b: tuple[Any, ...], note_a: str, note_b: str) -> None:
    ours, theirs = point_class("record"), point_class("dataclass")
    mine = (ours(*a, note=note_a), ours(*b, note=note_b))
    its = (theirs(*a, note=note_a), theirs(*b, note=note_b))
    assert (mine[0] == mine[1]) == (its[0] == its[1])
    assert (mine[0] != mine[1]) == (its[0] != its[1])
    assert [hash(m) for m in mine] == [hash(i) for i in its]
    assert [repr(m) for m in mine] == [repr(i) for i in its]
    assert mine[0] != its[0] and mine[0] != a and mine[0].__eq__(a) is NotImplemented


def test_frozen_slotted_and_copied_alike() -> None:
    for kind in ("record", "dataclass"):
        point = point_class(kind)(1, "a")
        changes: list[Callable[[Any], None]] = [lambda p: setattr(p, "x", 2), lambda p: delattr(p, "y")]
        for change in changes:
            with pytest.raises(AttributeError):
                change(point)
        assert not hasattr(point, "__dict__")
        assert type(point).__slots__ == ("x", "y", "tags", "note", "secret", "seen")
        assert type(point).__match_args__ == ("x", "y", "tags", "note", "secret", "seen")
        assert copy.copy(point) == point and copy.deepcopy(point) == point
        assert copy.deepcopy(point).seen is not point.seen
        assert point.doubled == 2 and (point.x, point.y, point.tags, point.note, point.secret) == (
            1,
            "a",
            (),
            "",
            "hidden",
        )
    with pytest.raises(rec.FrozenError):
        point_class("record")(1, "a").x = 3
    with pytest.raises(rec.FrozenError):  # (a dataclass made in a function raises a TypeError here)
        point_class("record")(1, "a").new = 3


def test_default_factories_make_a_new_value_each_time() -> None:
    point = point_class("record")
    first, second = point(1, "a"), point(1, "a")
    assert first.seen == [] and first.seen is not second.seen
    keyed, _ = keyed_class("record")
    assert keyed(name="a").table == {} and keyed(name="a").table is not keyed(name="a").table


def test_fields_replace_and_asdict_match() -> None:
    (ours, our_point), (theirs, their_point) = keyed_class("record"), keyed_class("dataclass")
    mine = ours(name="k", inner=our_point(1, "a", ("t",)), table={"p": [our_point(2, "b")]})
    its = theirs(name="k", inner=their_point(1, "a", ("t",)), table={"p": [their_point(2, "b")]})
    missing = {id(rec.MISSING), id(dataclasses.MISSING)}
    assert [(f.name, "-" if id(f.default) in missing else f.default) for f in rec.fields(ours)] == [
        (f.name, "-" if id(f.default) in missing else f.default) for f in dataclasses.fields(theirs)
    ]
    assert [f.default_factory is rec.MISSING for f in rec.fields(ours)] == [True, True, True, False]
    assert [f.name for f in rec.fields(mine)] == ["name", "inner", "count", "table"]
    assert rec.asdict(mine) == dataclasses.asdict(its)
    assert repr(rec.replace(mine, count=4)) == repr(dataclasses.replace(its, count=4))
    assert rec.replace(mine, name="j").inner is mine.inner and str(rec.replace(mine, name="j")) == "<j>"
    with pytest.raises(TypeError):
        rec.replace(mine, colour="red")
    with pytest.raises(TypeError):
        dataclasses.replace(its, colour="red")
    with pytest.raises(TypeError):
        rec.fields(its)
    assert rec.is_record(ours) and rec.is_record(mine) and not rec.is_record(theirs)


def test_a_field_without_default_after_one_with_is_refused_alike() -> None:
    class Late:
        a: int = 0
        b: int

    with pytest.raises(TypeError):
        as_record(Late)
    with pytest.raises(TypeError):
        dataclasses.dataclass(frozen=True, slots=True)(Late)
    kw: Any = as_record(type("Late", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 0}), kw_only=True)
    assert kw(b=1).a == 0

    class Early(rec.Record, kw_only=True):  # keyword-only fields may come in any order, as in a class statement
        a: int = 0
        b: int

    assert Early(b=1).a == 0


def test_a_record_extends_record_and_nothing_else() -> None:
    class Base(rec.Record):
        a: int

    with pytest.raises(TypeError, match="extends Record and nothing else"):
        types.new_class("Sub", (Base,), {}, lambda ns: ns.update({"__annotations__": {"b": "int"}}))
    with pytest.raises(TypeError, match="extends Record and nothing else"):
        types.new_class("Both", (rec.Record, Exception))
    assert rec.fields(Base)[0].name == "a"


def test_a_class_keeps_the_methods_it_writes_and_its_class_variables() -> None:
    class Own(rec.Record):
        LIMIT: ClassVar[int] = 3
        a: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Own) and abs(self.a - other.a) < Own.LIMIT

        def __hash__(self) -> int:
            return 0

    assert repr(Own(1)) == "own" and Own(1) == Own(2) and hash(Own(5)) == 0
    assert [f.name for f in rec.fields(Own)] == ["a"] and Own.LIMIT == 3


def test_a_scan_imports_none_of_what_it_does_not_run(tmp_path: Any) -> None:
    unwanted = ["dataclasses", "inspect", "typing", "agent.config.errors", "agent.config.secrets"]  # no config file
    unwanted += ["pathlib", "re", "urllib.parse", "fnmatch"]  # paths are strings; no pattern is needed
    if importlib.util.find_spec("agent.cli.command_tree"):  # the build's table parses the command line
        unwanted += ["argparse", "gettext", "locale"]
    program = (
        "import sys\n"
        "from agent.cli.main import main\n"
        "main(['scan', '--source', 'inventory'])\n"
        f"print(' '.join(m for m in {unwanted!r} if m in sys.modules))\n"
    )
    env = {**os.environ, **{f"XDG_{name}_HOME": str(tmp_path / name) for name in ("DATA", "CACHE", "CONFIG", "STATE")}}
    env["PYTHONPATH"] = str(Path(agent.__file__).parent.parent)  # the package this test imports, from any folder
    inventory = tmp_path / "DATA" / "recall-agent" / "inventory.toml"
    inventory.parent.mkdir(parents=True)
    inventory.write_text(
        'version = 1\n\n[items.bank]\nname = "Anker 321 Power Bank"\nbrand = "Anker"\nmodel = "A1112"\n'
    )
    for _ in range(2):  # the first scan reads the rule files and writes the rule cache; the second reads that
        done = subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
            check=False,
        )
    assert "A1112" in done.stdout, done.stdout + done.stderr  # the scan ran and found the recalled bank
    assert done.stdout.splitlines()[-1] == "", done.stdout


def test_the_rule_codec_reads_field_types_as_get_type_hints_does() -> None:
    from agent.matching.product_facts import Facts
    from agent.problems import Problem
    from agent.rules.codec import _hints
    from agent.rules.schema import Rule

    seen: set[type] = set()
    todo: list[Any] = [Rule, Problem, Facts]
    while todo:
        hint = todo.pop()
        if isinstance(hint, type) and rec.is_record(hint) and hint not in seen:
            seen.add(hint)
            assert _hints(hint) == typing.get_type_hints(hint), hint
            todo.extend(_hints(hint).values())
        todo.extend(typing.get_args(hint))
    assert len(seen) >= 10  # Rule, Product, its matchers and criteria, PartialDate, Problem, Facts, Phrase


@pytest.mark.parametrize(
    "hint",
    [str, int | None, typing.Optional[int], tuple[str, ...], tuple[str, int], frozenset[str], typing.Tuple[str, ...]],  # noqa: UP006, UP045
)
def test_the_rule_codec_reads_type_forms_as_typing_does(hint: Any) -> None:
    from agent.rules.codec import _args, _is_union, _origin

    assert (_origin(hint), _args(hint)) == (typing.get_origin(hint), typing.get_args(hint))
    assert _is_union(_origin(hint)) == (typing.get_origin(hint) in (typing.Union, types.UnionType))
