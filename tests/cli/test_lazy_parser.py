"""Each command's parser is built only when it is chosen, and the whole parser is still the same."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from agent.cli.parser import COMMANDS, Formatter, build_parser


def _commands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def test_every_listed_command_is_built_by_its_module() -> None:
    commands = _commands(build_parser(every_command=True))
    assert list(commands.choices) == list(COMMANDS)
    for name, parser in commands.choices.items():
        assert parser.prog == f"recall-agent {name}"
        assert any(a.option_strings == ["-h", "--help"] for a in parser._actions), name
    assert [(c.dest, c.help) for c in commands._choices_actions] == [(n, line) for n, (_, line) in COMMANDS.items()]


def test_a_command_builds_and_imports_only_its_own_parser() -> None:
    program = (
        "import sys\n"
        "from agent.cli.parser import build_parser\n"
        "args = build_parser().parse_args(['scan', '--source', 'inventory', '--fail-on', 'possible'])\n"
        "print(args.command, args.source, args.fail_on, args.handler.__module__)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('agent.cli.') or m == 'shutil')))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True)
    parsed, modules = done.stdout.splitlines()
    assert parsed == "scan ['inventory'] possible agent.cli.scan_cmd"
    others = {f"agent.cli.{module}" for module, _ in COMMANDS.values()} - {"agent.cli.scan_cmd"}
    assert others.isdisjoint(modules.split()), modules
    assert "shutil" not in modules.split()  # argparse's own formatter would import it for every option


@pytest.mark.parametrize("columns", [None, "60", "200", "0", "-3", "wide"])
def test_help_is_as_wide_as_argparse_makes_it(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert Formatter("recall-agent")._width == argparse.HelpFormatter("recall-agent")._width


def test_help_lists_every_command_without_building_them() -> None:
    parser = build_parser()
    text = parser.format_help()
    for name, (_, line) in COMMANDS.items():
        assert name in text and line.split()[0] in text
    unbuilt = {id(p) for p in _commands(parser).choices.values()}
    assert len(unbuilt) == 1  # one stand-in for all of them until one is chosen
