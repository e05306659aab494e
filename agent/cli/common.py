"""Options every command shares, and how they turn into paths and rule sets. argparse is imported only where
a parser is built: a command line parsed from the build's table (agent.cli.tree_parse) never needs it."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from agent.config.schema import Config
    from agent.paths import Layout
    from agent.rules.load import RuleSet


def shared_options() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path  # what a path option gives: pathlib is imported only when one is given

    from agent.cli.parser import Formatter

    parent = argparse.ArgumentParser(add_help=False, formatter_class=Formatter)
    group = parent.add_argument_group("common options")
    group.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="inventory file (default: $RECALL_AGENT_INVENTORY, else under $XDG_DATA_HOME)",
    )
    group.add_argument(
        "--rules",
        type=Path,
        action="append",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="an extra rule folder or file (repeatable)",
    )
    group.add_argument(
        "--system",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the system-wide locations (/var/lib, /etc) instead of the user's",
    )
    group.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="configuration file (default: $RECALL_AGENT_CONFIG, else config.toml in the configuration folder)",
    )
    group.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS, help="more diagnostics on stderr")
    group.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress and no warnings on stderr"
    )
    return parent


def add_colour_option(parser: argparse.ArgumentParser) -> None:
    """``--color`` for commands that print findings (``inventory add --color`` is the item's colour)."""
    import argparse

    parser.add_argument(
        "--color",
        dest="colour_mode",
        choices=("auto", "always", "never"),
        default=argparse.SUPPRESS,
        help="colour: auto (a terminal, unless NO_COLOR is set; the default), always or never",
    )


def is_quiet(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "quiet", False))


def explicit_inventory(args: argparse.Namespace) -> bool:
    """The inventory was named (--inventory or $RECALL_AGENT_INVENTORY), not the default location."""
    from agent.paths import INVENTORY_ENV

    return getattr(args, "inventory", None) is not None or bool(os.environ.get(INVENTORY_ENV))


def paths(args: argparse.Namespace) -> Layout:
    """Where the command's files are; parsed TOML is kept in its cache folder from now on (agent.tomlmemo)."""
    from agent import tomlmemo
    from agent.paths import layout

    found = layout(system=getattr(args, "system", False), inventory=getattr(args, "inventory", None))
    tomlmemo.keep_in(os.path.join(found.cache_dir, "parsed"))
    return found


def config(args: argparse.Namespace) -> Config:
    """The configuration file in effect (every default when there is none)."""
    from agent.config.load import load

    return load(paths(args).config_dir, getattr(args, "config", None))


def extra_rules(args: argparse.Namespace) -> list[Path]:
    """The ``--rules`` folders and files; one that does not exist is an error, never silently ignored."""
    from agent.errors import UsageError

    given: list[Path] = getattr(args, "rules", [])
    for path in given:
        if not path.exists():
            raise UsageError(f"{path}: no such rule folder or file (given with --rules)")
    return given


def rules(args: argparse.Namespace, *, quiet: bool = False) -> RuleSet:
    from agent.rules.cache import load_cached  # not needed to build the parser (shell completion)

    layout = paths(args)
    folders = layout.rule_dirs + [(p, "extra") for p in extra_rules(args)]
    ruleset = load_cached(
        folders,
        os.path.join(layout.cache_dir, "rules.json"),
        for_life=getattr(args, "command", "") not in ("run", "notifier"),
    )
    if ruleset.problems and not quiet and not is_quiet(args):
        shown = ruleset.problems[:5]
        for problem in shown:
            print(f"recall-agent: warning: {problem}", file=sys.stderr)
        if len(ruleset.problems) > len(shown):
            print(
                f"recall-agent: warning: {len(ruleset.problems) - len(shown)} more rule problems; "
                "run `recall-agent rules check`",
                file=sys.stderr,
            )
    return ruleset
