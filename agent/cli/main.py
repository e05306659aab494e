"""Entry point: `recall-agent COMMAND ...`. Results go to stdout, diagnostics to stderr.

Exit codes: 0 nothing recalled, 1 a recalled or likely-recalled item that is not handled,
2 a usage, input or permission problem, 70 an internal error (a bug). A failure is always one line.
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # not typing's: a Tab imports as little as it can (type checkers know this name)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

EXIT_OK, EXIT_ERROR = 0, 2  # 1 (something recalled) comes from the scan itself
EXIT_INTERNAL = 70  # sysexits' EX_SOFTWARE: a bug, never the person's input


def _discovers(args: argparse.Namespace) -> bool:
    return args.command != "scan" or getattr(args, "source", None) != ["inventory"]


def _complete() -> int:
    """From the table made when the package was built where it can tell, else by argcomplete's parse."""
    from agent.cli.complete import reply

    if not reply(os.environ):
        import argcomplete

        from agent.cli.parser import build_parser

        argcomplete.autocomplete(build_parser(every_command=True))  # answers and exits the process
    return EXIT_OK


LONG_RUNNING = ("run", "notifier")
YOUNG_LIMIT = 100_000  # new objects between two of the collector's young passes while a command runs


def main(argv: Sequence[str] | None = None) -> int:
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (Tab): answer, importing nothing else
        return _complete()
    # What a command makes as it starts lives until it ends (modules, classes, the rules), and the cyclic
    # collector's pass after every 700 new objects walked it again and again: about 4 ms of a scan's CPU.
    # A command collects after YOUNG_LIMIT new objects instead (its garbage stays bounded); the
    # background commands go back to the usual pace as soon as they are known.
    usual = gc.get_threshold()
    gc.set_threshold(YOUNG_LIMIT, *usual[1:])
    try:
        return _run(argv, usual)
    finally:
        gc.set_threshold(*usual)


def _run(argv: Sequence[str] | None, usual: tuple[int, ...]) -> int:
    from agent.cli.tree_parse import parse
    from agent.errors import RecallAgentError

    args = parse(argv)  # the usual command lines, from the table the build made of the parser
    if args is None:  # help, errors and everything else: argparse itself
        from agent.cli.parser import build_parser

        args = build_parser().parse_args(argv)
    if args.command in LONG_RUNNING:
        gc.set_threshold(*usual)
    verbosity = getattr(args, "verbose", 0)
    if verbosity or (args.command in (*LONG_RUNNING, "scan") and _discovers(args)):
        import logging  # only where something may log: a read-only command on files stays light

        logging.basicConfig(
            level=logging.WARNING - 10 * min(verbosity, 2), format="recall-agent: %(levelname)s: %(message)s"
        )
        if verbosity < 2:  # the library's own chatter (socket errors on odd interfaces) is for debugging only
            logging.getLogger("zeroconf").setLevel(logging.ERROR)
    try:
        return int(args.handler(args))
    except RecallAgentError as e:
        for line in str(e).splitlines():
            print(f"recall-agent: error: {line}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as e:
        print(f"recall-agent: error: {os_problem(e, system=getattr(args, 'system', False))}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:
        if verbosity >= 2:
            import traceback

            traceback.print_exc()
        print(
            f"recall-agent: internal error: {type(e).__name__}: {str(e)[:200]} "
            "(a bug: please report it with the output of -vv)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def os_problem(error: OSError, *, system: bool) -> str:
    """A file system or OS error as one line naming the file and the problem, with a hint where there is one."""
    from agent.textsafe import terminal

    where = f"{error.filename}: " if error.filename else ""
    problem = error.strerror or str(error)
    hint = ""
    if isinstance(error, PermissionError) and system and os.geteuid() != 0:
        hint = "; the system-wide files belong to the service: run the command as root (sudo)"
    return terminal(f"{where}{problem}{hint}", limit=2000)
