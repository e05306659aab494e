"""`recall-agent scan`: one pass over every source, a report, and an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from agent.cli import common
from agent.sources import registry


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "scan",
        parents=[shared],
        help="check the inventory and the devices present",
        description="Discover devices, merge them into the inventory, match every "
        "item against the recall rules and report. Exit code 1 when something "
        "recalled is found.",
    )
    parser.add_argument(
        "--source",
        action="append",
        choices=registry.ALL,
        metavar="NAME",
        help=f"only these sources (repeatable; {', '.join(registry.ALL)}; default: all)",
    )
    parser.add_argument("--no-network", action="store_true", help="skip network (mDNS) discovery")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--no-save", action="store_true", help="match discovered devices without writing them to the inventory"
    )
    parser.add_argument(
        "--window",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="how long to listen for network devices (default 3)",
    )
    parser.add_argument(
        "--interface",
        action="append",
        default=[],
        metavar="NAME",
        help="network interface to browse on (repeatable; default: all multicast-capable)",
    )
    parser.add_argument(
        "--sysfs-root",
        type=Path,
        default=None,
        metavar="DIR",
        help="read USB devices from this sysfs devices folder (default /sys/bus/usb/devices)",
    )
    parser.set_defaults(handler=run)


def chosen_sources(args: argparse.Namespace) -> list[str]:
    names = args.source or list(registry.ALL)
    if args.no_network:
        names = [n for n in names if n != "mdns"]
    return [n for n in registry.DISCOVERY if n in names]


def run(args: argparse.Namespace) -> int:
    from agent.scan import scan

    if args.window <= 0 or args.window > 600:
        from agent.errors import UsageError

        raise UsageError("--window must be between 0 and 600 seconds")
    options = registry.SourceOptions(
        sysfs_root=str(args.sysfs_root or ""),
        mdns_window=args.window,
        interfaces=tuple(args.interface),
        progress=sys.stderr.isatty(),
    )
    sources = [registry.build(name, options) for name in chosen_sources(args)]
    result = scan(common.paths(args).inventory, common.rules(args), sources, save=not args.no_save)
    if args.format == "json":
        from agent.report import json_report

        print(json_report.render(result))
    else:
        from agent.report import text

        print(text.render(result))
    return result.exit_code
