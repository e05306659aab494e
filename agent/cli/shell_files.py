"""The files a package installs for the shell: completion for bash, zsh and fish, and the man page.

Both are made from the parser itself, so they cannot drift from the options: the build hook
(``hatch_build.py``) writes them into the wheel's ``share/`` data, and ``pip install`` puts them under the
environment's ``share/``. ``python -m agent.cli.shell_files DIR`` writes them into DIR by hand. The hook
also puts the parser's commands, options and choices into the package as ``agent/cli/completion_tree.py``
(``completion_module``), from which a Tab is answered without building the parser (agent.cli.complete).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from pprint import pformat
from typing import Any

PROGRAM = "recall-agent"
TREE_MODULE = "agent/cli/completion_tree.py"
COMPLETIONS = {
    "bash": "bash-completion/completions/recall-agent",
    "zsh": "zsh/site-functions/_recall-agent",
    "fish": "fish/vendor_completions.d/recall-agent.fish",
}
MAN_PAGE = "man/man1/recall-agent.1"


def completion(shell: str) -> str:
    from argcomplete.shell_integration import shellcode

    return shellcode([PROGRAM], shell=shell)


def _help(top: argparse.ArgumentParser, action: argparse.Action) -> str:
    """An action's help as completion shows it beside the word (argcomplete expands %(...)s the same way)."""
    if action.help is None or "%" not in action.help:
        return action.help or ""
    formatter: Any = top.formatter_class(prog=top.prog)
    return str(formatter._expand_help(action))


def _takes(action: argparse.Action) -> int:
    """How many words an option takes: 0, 1, or -1 for any other count (completion then asks argparse)."""
    if action.nargs == 0:
        return 0
    return 1 if action.nargs is None else -1


def completion_tree(parser: argparse.ArgumentParser, top: argparse.ArgumentParser | None = None) -> dict[str, Any]:
    """What completion needs of ``parser`` and its commands, as plain values (read by agent.cli.complete)."""
    top = top or parser
    options = tuple(
        (
            tuple(a.option_strings),
            _takes(a),
            None if a.choices is None else tuple(str(c) for c in a.choices),
            _help(top, a),
            a.help != argparse.SUPPRESS,
        )
        for a in parser._actions
        if a.option_strings
    )
    commands = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {id(action.choices[c.dest]): _help(top, c) for c in action._choices_actions}
            for name, sub in action.choices.items():
                commands.append((name, helps.get(id(sub)), completion_tree(sub, top)))
    positionals = [a for a in parser._actions if not a.option_strings]
    return {
        "options": options,
        "commands": tuple(commands),
        "positionals": sum(1 for a in positionals if not isinstance(a, argparse._SubParsersAction)),
        "exclusive": bool(parser._mutually_exclusive_groups),
    }


def completion_module(parser: argparse.ArgumentParser) -> str:
    return (
        '"""The command line\'s commands, options and choices, made from its parser when the package was built."""\n\n'
        "# Each node: options (option strings, words taken, choices, help, shown), commands (name, help, node),\n"
        "# how many other positional arguments it takes, and whether it has mutually exclusive options.\n"
        f"TREE = {pformat(completion_tree(parser), width=120, sort_dicts=False)}\n"
    )


def _roff(text: str) -> str:
    """Text as roff reads it literally: backslashes doubled, a leading dot or quote made harmless."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                out.append((name, helps.get(name, ""), sub))
    return out


def _options(parser: argparse.ArgumentParser, seen: set[str]) -> list[str]:
    lines = []
    for action in parser._actions:
        if not action.option_strings or action.help == argparse.SUPPRESS:
            continue
        key = ",".join(action.option_strings)
        if key in seen:
            continue
        seen.add(key)
        metavar = "" if action.nargs == 0 else f" {action.metavar or action.dest.upper()}"
        if action.choices and action.nargs != 0:
            metavar = " " + "|".join(str(c) for c in action.choices)
        names = ", ".join(f"\\fB{_roff(o)}\\fR" for o in action.option_strings)
        lines += [".TP", f"{names}{_roff(metavar)}", _roff(action.help or "")]
    return lines


def _command_section(prefix: str, parser: argparse.ArgumentParser, common: set[str]) -> list[str]:
    lines = []
    for name, help_text, sub in _subcommands(parser):
        full = f"{prefix} {name}".strip()
        children = _subcommands(sub)
        if not children:
            usage = sub.format_usage().replace("usage: ", "").strip()
            lines += [
                ".SS " + _roff(full),
                _roff(help_text or sub.description or ""),
                ".PP",
                _roff(" ".join(usage.split())),
            ]
            lines += _options(sub, set(common))
        lines += _command_section(full, sub, common)
    return lines


def man_page(parser: argparse.ArgumentParser) -> str:
    from agent import __version__

    common: set[str] = set()
    lines = [
        f'.TH RECALL\\-AGENT 1 "" "recall-agent {__version__}" "User Commands"',
        ".SH NAME",
        "recall\\-agent \\- " + _roff(parser.description or ""),
        ".SH SYNOPSIS",
        f"\\fB{PROGRAM}\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR ...",
        ".SH OPTIONS",
        *_options(parser, common),
        ".SH COMMANDS",
        *_command_section("", parser, common),
        ".SH EXIT STATUS",
        "0: nothing recalled; 1: a confirmed or likely finding that is not handled (see \\fB\\-\\-fail\\-on\\fR);",
        "2: a usage or input problem, named on one line.",
        ".SH ENVIRONMENT",
        ".TP",
        "\\fBRECALL_AGENT_INVENTORY\\fR",
        "the inventory file to use",
        ".TP",
        "\\fBRECALL_AGENT_STALE_DAYS\\fR",
        "days after which the recall data counts as stale (default 30)",
        ".TP",
        "\\fBNO_COLOR\\fR",
        "when set and not empty, no colour unless \\fB\\-\\-color always\\fR",
    ]
    return "\n".join(lines) + "\n"


def generated() -> dict[str, str]:
    """Every shell file by its path under ``share/``."""
    from agent.cli.parser import build_parser

    files = {path: completion(shell) for shell, path in COMPLETIONS.items()}
    files[MAN_PAGE] = man_page(build_parser(every_command=True))
    return files


def generated_tree() -> str:
    """The text of ``TREE_MODULE``."""
    from agent.cli.parser import build_parser

    return completion_module(build_parser(every_command=True))


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or ["share"])[0])
    for relative, text in generated().items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
