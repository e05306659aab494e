"""The command line's parser. Each command's own parser is built, and its module imported, only when that
command is chosen: `recall-agent scan` neither imports nor builds what `inventory` or `run` need."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from agent import __version__
from agent.cli.common import add_colour_option, shared_options
from agent.cli.main import EXIT_ERROR, EXIT_OK

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any

# Every command: the module under agent.cli that builds its parser and runs it, and its line in --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "scan": ("scan_cmd", "check the inventory and the devices present"),
    "inventory": ("inventory_cmd", "list and edit the inventory"),
    "ack": ("handled_cmd", "record how a finding was handled"),
    "rules": ("rules_cmd", "list, show and check recall rules"),
    "run": ("run_cmd", "run in the background: watch, rescan, notify"),
    "notifier": ("run_cmd", "show the system service's findings on this desktop"),
    "service": ("service_cmd", "install the systemd units"),
    "explain": ("explain_cmd", "why an item matched a recall rule or not"),
    "config": ("config_cmd", "the configuration file: an example, or a check of yours"),
}


class Formatter(argparse.HelpFormatter):
    """argparse's help formatter with the terminal's width found as shutil finds it, without shutil.

    argparse makes a formatter for every option it adds (to check the metavar), and its own way of asking
    for the width imports shutil, which loads the bz2 and lzma libraries: a few ms of every start.
    """

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


def _columns() -> int:
    """``shutil.get_terminal_size().columns``: $COLUMNS, else standard output's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_ERROR)


class _Version(argparse.Action):
    """The version, and how old the recall rules are (reading them is cheap once cached)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, *_: object) -> None:
        from agent.cli import common
        from agent.errors import RecallAgentError
        from agent.report.freshness import describe_age, status

        print(f"recall-agent {__version__}")
        try:
            ruleset = common.rules(namespace, quiet=True)
            fresh = status(common.paths(namespace), ruleset)
            print(f"{len(ruleset.rules)} rules; {describe_age(fresh)}")
        except (RecallAgentError, OSError) as e:
            print(f"rules: cannot be read: {e}")
        parser.exit(EXIT_OK)


class Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The commands, each listed in --help from COMMANDS and built by its module's ``register`` when the
    parse reaches it (or at once by ``build``)."""

    shared: argparse.ArgumentParser  # the options every command repeats

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unbuilt = argparse.ArgumentParser(add_help=False)  # stands in for every command not built yet
        for name, (_, line) in COMMANDS.items():
            self._choices_actions.append(self._ChoicesPseudoAction(name, (), line))
            self._name_parser_map[name] = self._unbuilt

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """A command's parser, added by its module's ``register``; its line in --help is already there."""
        if self._name_parser_map.get(name) is self._unbuilt:
            del self._name_parser_map[name]
        parser: argparse.ArgumentParser = super().add_parser(name, **kwargs)
        return parser

    def build(self, name: str) -> None:
        if self._name_parser_map.get(name) is self._unbuilt:
            module = importlib.import_module(f"agent.cli.{COMMANDS[name][0]}")
            module.register(self, self.shared)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if isinstance(values, Sequence) and values:
            self.build(str(values[0]))
        super().__call__(parser, namespace, values, option_string)


def build_parser(*, every_command: bool = False) -> argparse.ArgumentParser:
    """The parser; with ``every_command`` every command's parser is built now (man page, completion)."""
    shared = shared_options()
    parser = Parser(
        prog="recall-agent", description="Checks the devices a household owns against recall notices.", parents=[shared]
    )
    add_colour_option(parser)
    parser.add_argument("--version", action=_Version, nargs=0, help="the program's version and the recall data's age")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", prog=parser.prog, parser_class=Parser, action=Commands
    )
    if not isinstance(commands, Commands):  # the action class asked for (and, to type checkers, what it is)
        raise TypeError(f"argparse made a {type(commands).__name__} for the commands")
    commands.required, commands.shared = True, shared
    if every_command:
        for name in COMMANDS:
            commands.build(name)
    return parser
