"""The usual command lines are parsed from the table the build made of the parser, into the namespace
argparse gives for them; whatever the table cannot tell is left to argparse."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.cli import tree_parse
from agent.cli.parser import build_parser
from agent.cli.shell_files import command_tree, tree_module

VALUES = {"str": "some-word", "int": "7", "float": "2.5", "path": "some/file"}


@pytest.fixture(scope="module")
def parser() -> argparse.ArgumentParser:
    return build_parser(every_command=True)


@pytest.fixture(scope="module")
def tree(parser: argparse.ArgumentParser) -> dict[str, Any]:
    return command_tree(parser)


def _argparse(parser: argparse.ArgumentParser, words: list[str]) -> dict[str, Any] | None:
    """argparse's namespace for ``words``, or None where it refuses them (or prints help)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return vars(parser.parse_args(words))
        except SystemExit:
            return None


def _uses(option: tuple[Any, ...]) -> Iterator[list[str]]:
    """Ways to write one option: each of its names, a value of its type or each of its choices, with "=" too."""
    strings, takes, choices, *_, (kind, _, of_type, *_) = option
    if kind is None:
        return
    if takes == 0:
        yield from ([s] for s in strings)
        yield [strings[-1], strings[-1]]
        return
    values = list(choices) if choices is not None else [VALUES[of_type]]
    for string in strings:
        for value in values:
            yield [string, value]
    yield [f"{strings[-1]}={values[-1]}"]
    yield [strings[-1], values[0], strings[-1], values[-1]]  # twice: the last wins, or both are appended


def _lines(node: dict[str, Any], path: list[str]) -> Iterator[list[str]]:
    """Command lines of every command the table parses: each option alone, and every two together."""
    if node["parsed"] and not node["commands"]:
        yield path
        firsts = []
        for option in node["options"]:
            uses = list(_uses(option))
            yield from (path + use for use in uses)
            firsts += uses[:1]
        for n, first in enumerate(firsts):
            for second in firsts[n + 1 :]:
                yield path + first + second
    for name, _, sub in node["commands"]:
        yield from _lines(sub, [*path, name])


def test_the_table_gives_the_namespace_argparse_gives(parser: argparse.ArgumentParser, tree: dict[str, Any]) -> None:
    count = 0
    for words in _lines(tree, []):
        expected = _argparse(parser, words)
        assert expected is not None, words  # every line made here is one argparse takes
        got = tree_parse.parse(words, tree)
        assert got is not None, words
        assert vars(got) == expected, words
        count += 1
    assert count > 500
    commands = {words[0] for words in _lines(tree, [])}
    assert {"scan", "inventory", "rules", "run", "notifier"} <= commands


@pytest.mark.parametrize(
    "words",
    [
        ["-v", "scan", "-v", "-v"],  # the command's count starts again and replaces the one before it
        ["--rules", "a", "scan", "--rules", "b", "--rules", "c"],
        ["--inventory", "x", "--color", "never", "scan", "--color", "always", "-q"],
        ["--system", "rules", "list", "--format", "json", "-v"],
        ["scan", "--interface", "", "--source=inventory", "--window=-1"],  # values that are empty or after "="
        ["run", "--notify", "log", "--no-usb"],
    ],
)
def test_options_before_and_after_the_command(
    words: list[str], parser: argparse.ArgumentParser, tree: dict[str, Any]
) -> None:
    got = tree_parse.parse(words, tree)
    assert got is not None
    assert vars(got) == _argparse(parser, words)


@pytest.mark.parametrize(
    "words",
    [
        [],  # no command
        ["scan", "--help"],
        ["-h"],
        ["--version"],
        ["bogus"],
        ["scan", "extra"],
        ["scan", "--inv", "x"],  # abbreviated
        ["scan", "-vq"],  # short options run together
        ["scan", "-ofile"],
        ["scan", "--window", "-1"],  # a negative number is argparse's to tell from an option
        ["scan", "--window", "soon"],
        ["scan", "--format", "xml"],
        ["scan", "--source", "usb", "--source", "cable"],
        ["scan", "--no-save=yes"],
        ["scan", "--inventory"],
        ["scan", "--inventory", "--no-save"],
        ["scan", "--", "--no-save"],
        ["scan", "--inventory=--"],  # argparse drops the "--" even as a value
        ["--inventory", "scan"],  # the command taken as the option's value
        ["inventory"],  # a command of a command is required
        ["inventory", "show", "item-1"],  # positional arguments
        ["service", "install", "--user"],  # mutually exclusive options
        ["rules", "check", "some/dir"],
    ],
)
def test_what_only_argparse_can_tell_is_left_to_it(words: list[str], tree: dict[str, Any]) -> None:
    assert tree_parse.parse(words, tree) is None


def test_the_written_table_reads_back_as_the_same_values(parser: argparse.ArgumentParser, tmp_path: Path) -> None:
    written = tmp_path / "command_tree.py"
    written.write_text(tree_module(parser), encoding="utf-8")  # the module the build puts into the package
    spec = importlib.util.spec_from_file_location("written_tree", written)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert command_tree(parser) == module.TREE


def test_a_default_given_as_a_string_is_converted_as_argparse_converts_it() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("go")
    sub.add_argument("--limit", type=int, default="5")
    sub.add_argument("--name", default="plain")
    sub.set_defaults(handler=build_parser)
    tree = command_tree(parser)
    for words in (["go"], ["go", "--limit", "6"], ["go", "--name=x"]):
        got = tree_parse.parse(words, tree)
        assert got is not None and vars(got) == vars(parser.parse_args(words))
    assert vars(tree_parse.parse(["go"], tree) or argparse.Namespace())["limit"] == 5


def test_what_the_table_cannot_hold_is_left_to_argparse() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    odd = commands.add_parser("odd")
    odd.add_argument("--when", type=lambda text: text.upper(), default="now")  # a type it cannot apply
    odd.set_defaults(handler=lambda args: 0)  # a function it cannot import by name
    plain = commands.add_parser("plain")
    plain.add_argument("--pair", nargs=2)  # a count of words completion and the quick parse leave alone
    tree = command_tree(parser)
    assert tree_parse.parse(["odd"], tree) is None
    assert tree_parse.parse(["plain", "--pair", "a", "b"], tree) is None
    got = tree_parse.parse(["plain"], tree)
    assert got is not None and vars(got) == vars(parser.parse_args(["plain"]))
