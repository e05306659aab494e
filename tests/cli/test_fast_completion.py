"""A Tab is answered from the table the build made of the parser, exactly as argcomplete answers it."""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import argcomplete.io
import pytest
from argcomplete.finders import CompletionFinder
from conftest import skip_or_fail

from agent.cli import complete
from agent.cli.parser import build_parser
from agent.cli.shell_files import command_tree

BASH_BREAKS = " \t\n\"'><=;|&(:"  # bash's default COMP_WORDBREAKS
SHELLS: dict[str, dict[str, str]] = {  # what each shell's argcomplete script sets besides the line
    "bash": {
        "_ARGCOMPLETE_SHELL": "bash",
        "_ARGCOMPLETE_COMP_WORDBREAKS": BASH_BREAKS,
        "_ARGCOMPLETE_SUPPRESS_SPACE": "1",
    },
    "bash-spaces": {"_ARGCOMPLETE_SHELL": "bash", "_ARGCOMPLETE_COMP_WORDBREAKS": BASH_BREAKS},
    "zsh": {"_ARGCOMPLETE_SHELL": "zsh", "_ARGCOMPLETE_SUPPRESS_SPACE": "1"},
    "fish": {
        "_ARGCOMPLETE_SHELL": "fish",
        "_ARGCOMPLETE_DFS": "\t",
        "_ARGCOMPLETE_IFS": "\n",
        "_ARGCOMPLETE_SUPPRESS_SPACE": "1",
    },
}


def _tree() -> dict[str, Any]:
    try:
        module = importlib.import_module("agent.cli.command_tree")
    except ImportError:
        skip_or_fail("agent.cli.command_tree is made by the wheel build; this agent is not installed from one")
    tree: dict[str, Any] = module.TREE
    return tree


def test_the_installed_tree_is_this_parser() -> None:
    assert _tree() == command_tree(build_parser(every_command=True))


def _lines(node: dict[str, Any], line: str) -> Iterator[tuple[str, bool]]:
    """Lines to complete under ``node``, each with whether the table must answer it itself."""
    exclusive, positionals = node["exclusive"], node["positionals"]
    words = [s for option in node["options"] for s in option[0]] + [c[0] for c in node["commands"]]
    for prefix in sorted({"", "-", "--", "x"} | {w[:2] for w in words} | set(words)):
        yield f"{line} {prefix}", not exclusive and (not positionals or prefix.startswith("-"))
    for strings, takes, choices, _, _, _ in node["options"]:
        if takes == 1:
            yield f"{line} {strings[-1]} ", choices is not None
            for value in sorted({c[:1] for c in choices or ()}):
                yield f"{line} {strings[-1]} {value}", True
            if choices is None and line == "recall-agent":
                yield from _lines(node, f"{line} {strings[-1]} some-value")
    for name, _, sub in node["commands"]:
        yield from _lines(sub, f"{line} {name}")


class _Done(Exception):
    pass


class _Finder(CompletionFinder):
    def _init_debug_stream(self) -> None:  # not fd 9, which pytest may own
        argcomplete.io.debug_stream = sys.stderr


@functools.cache
def _finder() -> tuple[_Finder, argparse.ArgumentParser]:
    """argcomplete and the parser it patches for itself, used together for every line (building them for
    each line gives the same answers, much more slowly)."""
    return _Finder(), build_parser(every_command=True)


def _argcomplete(env: dict[str, str]) -> str:
    out = io.StringIO()

    def stop(code: int) -> None:
        raise _Done(code)

    finder, parser = _finder()
    with mock.patch.dict(os.environ, env), contextlib.suppress(_Done):
        finder(parser, exit_method=stop, output_stream=out)
    return out.getvalue()


def _request(line: str, shell: str) -> dict[str, str]:
    return {"_ARGCOMPLETE": "1", "COMP_LINE": line, "COMP_POINT": str(len(line)), "COMP_TYPE": "9", **SHELLS[shell]}


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_every_command_option_and_choice_as_argcomplete_gives_them(
    shell: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = _tree()
    monkeypatch.chdir(tmp_path)  # file names, where argcomplete offers them, come from an empty folder
    for key in [k for k in os.environ if k.startswith(("_ARGCOMPLETE", "COMP_", "_ARC_"))]:
        monkeypatch.delenv(key)
    answered = 0
    lines = list(_lines(tree, "recall-agent"))
    for line, must in lines if shell == "bash" else lines[::5]:  # other shells differ only in the format
        env = _request(line, shell)
        fast = complete.answer(env)
        if must:
            assert fast is not None, f"{line!r} was left to argcomplete"
        if fast is not None:
            answered += 1
            assert fast == _argcomplete(env), line
    assert answered > 300 if shell == "bash" else answered > 60


@pytest.mark.parametrize(
    "line",
    [
        "recall-agent --inventory=x sc",  # an option's value in its own word
        "recall-agent --inv x sc",  # an abbreviated option
        "recall-agent 'scan' --",  # quoting
        "recall-agent scan --inventory ",  # a file name
        "recall-agent inventory show ",  # an item's id
        "recall-agent service install --",  # mutually exclusive options
        "recall-agent bogus ",  # not a command
        "recall-agent -vq sc",  # short options run together
    ],
)
def test_what_only_the_parser_can_tell_is_left_to_argcomplete(line: str) -> None:
    _tree()
    assert complete.answer(_request(line, "bash")) is None


def test_a_tab_imports_neither_argparse_nor_argcomplete(tmp_path: Path) -> None:
    _tree()
    answer = tmp_path / "answer"
    env = {**os.environ, **_request("recall-agent inventory ", "bash"), "_ARGCOMPLETE_STDOUT_FILENAME": str(answer)}
    program = "import sys\nfrom agent.cli.main import main\nmain()\nprint(' '.join(sorted(sys.modules)))\n"
    done = subprocess.run(  # from another folder: the installed package, not a checkout the tests run in
        [sys.executable, "-c", program], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True
    )
    modules = set(done.stdout.split())
    assert "agent.cli.complete" in modules  # the table answered (argcomplete ends the process before the print)
    assert "argparse" not in modules and "argcomplete" not in modules
    assert set(answer.read_text().split("\013")) >= {"list", "show", "add", "edit", "remove", "--inventory"}
