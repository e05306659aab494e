"""Where a command's result goes (stdout or `--output FILE`), how wide it may be and whether it has colour."""

from __future__ import annotations

import sys

from agent.record import Record
from agent.report.term import Colour, columns, wants_colour

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    import argparse
    from pathlib import Path


def add_output_option(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE", help="write the result to FILE instead of stdout"
    )


class Target(Record):
    path: Path | None
    width: int
    colour: Colour

    def write(self, text: str) -> None:
        if self.path is None:
            if text:  # a quiet report with nothing to say prints nothing at all
                print(text)
            return
        from agent.errors import UsageError
        from agent.tomlio import atomic_write

        try:  # readable by its owner only: a report names what the household owns
            atomic_write(self.path, text + "\n")
        except OSError as e:
            raise UsageError(f"{self.path}: cannot write: {e.strerror or e}") from e


def target(args: argparse.Namespace) -> Target:
    path: Path | None = getattr(args, "output", None)
    mode = getattr(args, "colour_mode", "auto")
    if path is not None:  # a file: 80 columns (or $COLUMNS), colour only when asked for
        return Target(path, columns(None), Colour(mode == "always"))
    return Target(None, columns(sys.stdout), Colour(wants_colour(mode, sys.stdout)))
