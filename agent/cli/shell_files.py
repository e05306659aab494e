"""The files a package installs for the shell: completion for bash, zsh and fish, and the man page.

Both are made from the parser itself, so they cannot drift from the options: the build hook
(``hatch_build.py``) writes them into the wheel's ``share/`` data, and ``pip install`` puts them under the
environment's ``share/``. ``python -m agent.cli.shell_files DIR`` writes them into DIR by hand. The hook
also puts the parser's commands, options, choices and defaults into the package as
``agent/cli/command_tree.py`` (``tree_module``), from which a Tab is answered (agent.cli.complete) and the
usual command lines are parsed (agent.cli.tree_parse) without building the parser.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from pprint import pformat
from typing import Any

PROGRAM = "recall-agent"
TREE_MODULE = "agent/cli/command_tree.py"
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


# The actions the tree parses itself (agent.cli.tree_parse), by kind; any other is left to argparse.
KINDS: dict[type[argparse.Action], str] = {
    argparse._StoreAction: "store",
    argparse._AppendAction: "append",
    argparse._StoreConstAction: "const",
    argparse._StoreTrueAction: "const",
    argparse._StoreFalseAction: "const",
    argparse._CountAction: "count",
}
TYPES: dict[object, str] = {None: "str", int: "int", float: "float", Path: "path"}  # see tree_parse.CONVERT


def _plain(value: object) -> bool:
    """A value the tree can hold as it is (written with repr, read back as the same value)."""
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, str) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)  # repr of inf or nan reads back as a name
    return value is None or isinstance(value, (bool, int, str))


def _how(action: argparse.Action) -> tuple[Any, ...]:
    """How the tree parses an option: (kind, dest, type, default, const, required); kind None leaves it to
    argparse (help, --version, other actions, types or counts of words, choices that are not strings)."""
    kind = KINDS.get(type(action))
    if kind in ("store", "append") and action.nargs is not None:
        kind = None
    if action.type not in TYPES or (action.choices is not None and not all(isinstance(c, str) for c in action.choices)):
        kind = None
    if not _plain(action.const):
        kind = None
    default = action.default if _plain(action.default) else None  # such a command is not parsed (_parsed)
    const = action.const if kind else None
    return (kind, action.dest, TYPES.get(action.type), default, const, action.required)


def _parsed(parser: argparse.ArgumentParser, calls: dict[str, str]) -> bool:
    """Whether the tree may parse this command's words: no positional arguments besides its commands, no
    mutually exclusive options, plain prefix characters, and defaults it can hold (and convert, as argparse
    converts a default given as a string)."""
    if parser.prefix_chars != "-" or parser.fromfile_prefix_chars or parser._mutually_exclusive_groups:
        return False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            if action.default is not None:
                return False
        elif not action.option_strings or not _plain(action.default):
            return False
        elif action.type not in TYPES and isinstance(action.default, str) and action.default != argparse.SUPPRESS:
            return False  # argparse converts such a default with the option's type
    return all(_plain(v) or k in calls for k, v in parser._defaults.items())


def _calls(parser: argparse.ArgumentParser) -> dict[str, str]:
    """The defaults that are functions (a command's handler), as "module:name" to import when chosen."""
    calls = {}
    for dest, value in parser._defaults.items():
        module, name = getattr(value, "__module__", None), getattr(value, "__qualname__", "")
        if callable(value) and module and getattr(sys.modules.get(module), name, None) is value:
            calls[dest] = f"{module}:{name}"
    return calls


def command_tree(parser: argparse.ArgumentParser, top: argparse.ArgumentParser | None = None) -> dict[str, Any]:
    """What completion and the quick parse need of ``parser`` and its commands, as plain values (read by
    agent.cli.complete and agent.cli.tree_parse)."""
    top = top or parser
    options = tuple(
        (
            tuple(a.option_strings),
            _takes(a),
            None if a.choices is None else tuple(str(c) for c in a.choices),
            _help(top, a),
            a.help != argparse.SUPPRESS,
            _how(a),
        )
        for a in parser._actions
        if a.option_strings
    )
    commands = []
    dest, required = None, False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {id(action.choices[c.dest]): _help(top, c) for c in action._choices_actions}
            for name, sub in action.choices.items():
                commands.append((name, helps.get(id(sub)), command_tree(sub, top)))
            dest, required = action.dest, action.required
    positionals = [a for a in parser._actions if not a.option_strings]
    calls = _calls(parser)
    return {
        "options": options,
        "commands": tuple(commands),
        "positionals": sum(1 for a in positionals if not isinstance(a, argparse._SubParsersAction)),
        "exclusive": bool(parser._mutually_exclusive_groups),
        "parsed": _parsed(parser, calls),
        "dest": dest,
        "required": required,
        "defaults": {k: v for k, v in parser._defaults.items() if k not in calls and _plain(v)},
        "calls": calls,
    }


def tree_module(parser: argparse.ArgumentParser) -> str:
    return (
        '"""The command line\'s commands, options, choices and defaults, made from its parser when the package was '
        'built."""\n\n'
        "# Each node: options (option strings, words taken, choices, help, shown, and how the quick parse applies\n"
        "# it: kind, dest, type, default, const, required), commands (name, help, node), how many other positional\n"
        "# arguments it takes, whether it has mutually exclusive options, whether the quick parse may parse its\n"
        "# words, its commands' dest and whether one is required, its defaults and the functions among them.\n"
        f"TREE = {pformat(command_tree(parser), width=120, sort_dicts=False)}\n"
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


LAUNCHER = f"""#!/usr/bin/env python3
\"\"\"{PROGRAM}: starts the program's main. The package's own script, not an installer's generated one,
which imports re (a regular expression library) only to trim a Windows suffix from its name.\"\"\"

import sys

from agent.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
"""  # the installer points the first line at the environment's Python


def generated_tree() -> str:
    """The text of ``TREE_MODULE``."""
    from agent.cli.parser import build_parser

    return tree_module(build_parser(every_command=True))


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
