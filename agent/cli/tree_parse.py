"""The usual command lines parsed from the table the package build wrote (``agent/cli/command_tree.py``, see
agent.cli.shell_files.command_tree), without importing argparse or building the parser.

The result is the namespace argparse gives for the same words, and it is only given where that is certain:
commands, options given by their full names (``--name VALUE`` or ``--name=VALUE``), a value among the
option's choices and of its type. Everything else (help, --version, abbreviated or unknown options, short
options run together, a value that starts with "-", ``--``, positional arguments, mutually exclusive
options, a value argparse would refuse) gets None here, and argparse parses the words, with its own errors
and help. tests/cli/test_tree_parse.py compares the two over every command and option.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # typing itself is not imported: this runs on every start
if TYPE_CHECKING:
    from argparse import Namespace  # what the commands are written against: the same attributes
    from collections.abc import Callable, Sequence
    from typing import Any

    Node = dict[str, Any]
else:
    from types import SimpleNamespace as Namespace

SUPPRESS = "==SUPPRESS=="  # argparse.SUPPRESS: no default, the attribute is left out


def _path(text: str) -> object:
    from pathlib import Path

    return Path(text)


CONVERT: dict[str, Callable[[str], object]] = {"str": str, "int": int, "float": float, "path": _path}


def load() -> Node | None:
    """The table, or None in a source checkout (it is made when the package is built)."""
    try:
        from agent.cli.command_tree import TREE  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    tree: Node = TREE
    return tree


def parse(argv: Sequence[str] | None = None, tree: Node | None = None) -> Namespace | None:
    """The namespace argparse would give for ``argv`` (the program's arguments by default), or None where
    only argparse can tell. ``tree`` is the installed table unless given."""
    tree = tree or load()
    if tree is None:
        return None
    values = _node(tree, list(sys.argv[1:] if argv is None else argv))
    if values is None:
        return None
    return Namespace(**values)


def _node(node: Node, words: list[str]) -> dict[str, Any] | None:
    """The values one parser sets from ``words`` (its own and those of the command chosen after them)."""
    if not node["parsed"]:
        return None
    values = _defaults(node)
    seen: set[int] = set()
    at = 0
    while at < len(words):
        word = words[at]
        if not word.startswith("-"):  # the command (every other positional argument is argparse's)
            sub = next((sub for name, _, sub in node["commands"] if name == word), None)
            chosen = None if sub is None else _node(sub, words[at + 1 :])
            if chosen is None:
                return None
            if _named(node["dest"]):
                values[node["dest"]] = word
            values.update(chosen)  # as argparse copies the command's namespace over this one
            return _finished(node, values, seen)
        after = _apply(node, words, at, values)
        if after is None:
            return None
        seen.add(after[0])
        at = after[1]
    return None if node["required"] else _finished(node, values, seen)


def _named(dest: str | None) -> bool:
    return dest is not None and dest != SUPPRESS


def _defaults(node: Node) -> dict[str, Any]:
    """What argparse puts in a parser's namespace before it reads a word: the options' defaults, then the
    parser's own (set_defaults), the first of each name winning."""
    values: dict[str, Any] = {}
    for *_, (_, dest, _, default, _, _) in node["options"]:
        if _named(dest) and default != SUPPRESS and dest not in values:
            values[dest] = list(default) if isinstance(default, list) else default
    if _named(node["dest"]):
        values.setdefault(node["dest"], None)
    for dest, value in node["defaults"].items():
        values.setdefault(dest, list(value) if isinstance(value, list) else value)
    for dest, call in node["calls"].items():
        if dest not in values:
            module, name = call.split(":")
            values[dest] = getattr(importlib.import_module(module), name)
    return values


def _apply(node: Node, words: list[str], at: int, values: dict[str, Any]) -> tuple[int, int] | None:
    """Apply the option ``words[at]`` (with its value): which option it was and where the next word is."""
    found = _option(node, words[at])
    if found is None:
        return None
    index, given = found
    at += 1
    option = node["options"][index]
    kind, dest, _, _, const, _ = option[5]
    if kind == "const":
        values[dest] = const
    elif kind == "count":
        values[dest] = (values.get(dest) or 0) + 1
    else:
        if given is None:
            if at == len(words) or words[at].startswith("-"):
                return None  # argparse's "expected one argument", or a negative number it may take
            given, at = words[at], at + 1
        value = _value(option, given)
        if value is None:
            return None
        values[dest] = value if kind == "store" else [*(values.get(dest) or []), value]
    return index, at


def _finished(node: Node, values: dict[str, Any], seen: set[int]) -> dict[str, Any] | None:
    """The values once every word is read: None if a required option is missing; a default given as a
    string converted to the option's type, as argparse converts it."""
    for index, (*_, (_, dest, of_type, default, _, required)) in enumerate(node["options"]):
        if index in seen:
            continue
        if required:
            return None
        if of_type and isinstance(default, str) and default != SUPPRESS and values.get(dest) is default:
            values[dest] = CONVERT[of_type](values[dest])
    return values


def _option(node: Node, word: str) -> tuple[int, str | None] | None:
    """Which of the node's options ``word`` names exactly, with the value after "=" if it has one."""
    name, equals, explicit = word.partition("=")
    if explicit == "--":
        return None  # argparse drops a "--" even where it is an option's value
    for candidate, given in ((word, None), (name, explicit if equals else None)):
        for index, (strings, takes, *_, how) in enumerate(node["options"]):
            if candidate in strings:
                if how[0] is None or (given is not None and takes != 1):
                    return None  # help, --version and the like; a flag given a value is an error
                return index, given
        if not equals:
            break
    return None


def _value(option: tuple[Any, ...], text: str) -> object | None:
    """``text`` converted to the option's type and checked against its choices, or None where argparse
    would refuse it."""
    choices, (_, _, of_type, _, _, _) = option[2], option[5]
    try:
        value = CONVERT[of_type](text)
    except (TypeError, ValueError):
        return None
    if choices is not None and value not in choices:
        return None
    return value
