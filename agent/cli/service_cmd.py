"""`recall-agent service install|status|uninstall`: the systemd units."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("service")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    for name, text in (
        ("install", "write the units with this program's path and enable them"),
        ("uninstall", "disable and remove the units"),
        ("status", "show whether the units run"),
    ):
        action = actions.add_parser(name, help=text)
        mode = action.add_mutually_exclusive_group()
        mode.add_argument(
            "--user",
            dest="mode",
            action="store_const",
            const="user",
            help="one user unit that scans and notifies (default)",
        )
        mode.add_argument(
            "--system",
            dest="mode",
            action="store_const",
            const="system",
            help="a system service plus a notifier in each desktop session",
        )
        mode.add_argument(
            "--scan", dest="mode", action="store_const", const="scan", help="a system timer that only scans and logs"
        )
        if name != "status":
            action.add_argument("--dry-run", action="store_true", help="print what would be done")
        action.set_defaults(handler=run, mode=None)


def run(args: argparse.Namespace) -> int:
    from agent import service

    # `recall-agent --system service install` means the system units, like `service install --system`.
    if args.mode is None:
        args.mode = "system" if getattr(args, "system", False) else "user"

    if args.action == "status":
        for unit in service.status(args.mode):
            print(
                f"{unit.name:<34} {'installed' if unit.installed else 'not installed':<14} "
                f"{unit.enabled:<10} {unit.active}"
            )
        return 0
    carry = service.install if args.action == "install" else service.uninstall
    failed = carry(args.mode, dry_run=args.dry_run)
    for command, code in failed:
        print(f"recall-agent: error: `{' '.join(command)}` exited with {code}", file=sys.stderr)
    return 2 if failed else 0
