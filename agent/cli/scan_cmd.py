"""`recall-agent scan`: one pass over every source, a report, and an exit code."""

from __future__ import annotations

import os
import sys

from agent.cli import common
from agent.cli.output import add_output_option, target
from agent.sources import ALL, DISCOVERY

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any

    from agent.config.schema import Config
    from agent.matching.finding import Finding
    from agent.paths import Layout
    from agent.scan import ScanResult
    from agent.sources.base import DeviceSource


def _discovery_options(parser: argparse.ArgumentParser) -> None:
    """Where discovery looks: the mDNS window and interfaces, and the USB sysfs folder."""
    from pathlib import Path

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


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "scan",
        parents=[shared],
        description="Discover devices, merge them into the inventory, match every "
        "item against the recall rules and report. Exit code 1 when something "
        "recalled is found.",
    )
    parser.add_argument(
        "--source",
        action="append",
        choices=ALL,
        metavar="NAME",
        help=f"only these sources (repeatable; {', '.join(ALL)}; default: all)",
    )
    parser.add_argument("--no-network", action="store_true", help="skip network (mDNS) discovery")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--no-save", action="store_true", help="match discovered devices without writing them to the inventory"
    )
    _discovery_options(parser)
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="likely",
        help="exit 1 when a finding this sure or surer is not handled (default: likely)",
    )
    parser.add_argument(
        "--stale-after",
        type=int,
        default=None,
        metavar="DAYS",
        help="warn when the recall data is older than this (default: $RECALL_AGENT_STALE_DAYS, else 30)",
    )
    add_output_option(parser)
    common.add_colour_option(parser)
    parser.set_defaults(handler=run)


FAIL_ON = ("confirmed", "likely", "possible")


def exit_code(findings: Sequence[Finding], fail_on: str) -> int:
    from agent.confidence import Confidence

    level = Confidence[fail_on.upper()]
    return 1 if any(f.handled is None and f.confidence >= level for f in findings) else 0


def chosen_sources(args: argparse.Namespace, configured: tuple[str, ...] = ()) -> list[str]:
    """The named sources, else every source that needs no configuration plus those ``configured``."""
    names = args.source or [n for n in ALL if n != "homeassistant" or n in configured]
    if args.no_network:
        if args.source and set(args.source) <= {"mdns"}:
            from agent.errors import UsageError

            raise UsageError("--source mdns with --no-network leaves nothing to scan; drop one of them")
        names = [n for n in names if n != "mdns"]
    return [n for n in DISCOVERY if n in names]


def _missing(inventory: str) -> None:
    from agent.errors import UsageError

    raise UsageError(f"{inventory}: no such inventory file (check the name; `recall-agent inventory add` creates one)")


def run(args: argparse.Namespace) -> int:
    from agent.confidence import Confidence
    from agent.errors import UsageError

    if args.window <= 0 or args.window > 600:
        raise UsageError("--window must be between 0 and 600 seconds")
    layout = common.paths(args)
    inventory = layout.inventory
    named_but_missing = common.explicit_inventory(args) and not os.path.exists(inventory)
    if named_but_missing and (args.no_save or set(args.source or ()) == {"inventory"}):
        _missing(inventory)  # nothing this scan finds would create it: most likely a typo
    quiet = common.is_quiet(args)
    config = common.config(args)
    sources = _sources(args, config, quiet=quiet)
    from agent.sources.base import start_all

    start_all(sources)  # the network browse runs while the rest of the program loads, and the rules
    from agent.scan import scan

    ruleset = common.rules(args)
    result = scan(inventory, ruleset, sources, save=not args.no_save, partial=True, cache_dir=layout.cache_dir)
    from agent.report.freshness import status

    fresh = status(layout, ruleset, days=args.stale_after)
    if named_but_missing and not os.path.exists(inventory):
        _missing(inventory)  # no device was found to start it with
    code = exit_code(result.findings, args.fail_on)
    if result.skipped and code == 0:  # nothing serious among what could be read, but not everything could
        code = 2
    out = target(args)
    if args.format == "json":
        from agent.report import json_report

        out.write(json_report.render(result, exit_code=code, fresh=fresh))
    else:
        from agent.report import text

        level = None if not quiet else Confidence[args.fail_on.upper()]
        out.write(
            text.render(result, out.width, out.colour, only=level, fresh=fresh, verbose=getattr(args, "verbose", 0) > 0)
        )
    if result.skipped and not quiet:
        for problem in result.skipped:
            print(f"recall-agent: error: {problem} (item skipped)", file=sys.stderr)
    if config.agent.outlets and not args.no_save:
        publish(config, layout, result)
    return code


def _sources(args: argparse.Namespace, config: Config, *, quiet: bool) -> list[DeviceSource]:
    """The sources this scan runs, with a progress line on a terminal."""
    configured = ("homeassistant",) if config.homeassistant else ()
    names = chosen_sources(args, configured)
    if not names:
        return []
    from agent.sources import registry

    progress = None
    if sys.stderr.isatty() and not quiet:
        from agent.report.term import ProgressLine

        progress = ProgressLine(sys.stderr)
    options = registry.SourceOptions(
        sysfs_root=str(args.sysfs_root or ""),
        mdns_window=args.window,
        interfaces=tuple(args.interface),
        progress=progress,
        homeassistant=config.homeassistant,
    )
    return [registry.build(name, options) for name in names]


def publish(config: Config, layout: Layout, result: ScanResult) -> None:
    """Hand the findings to the outlets the configuration names (MQTT, Apprise), as the daemon does."""
    from agent import datetimes as dt
    from agent.outlets import build

    days = 7.0 if config.agent.remind_days is None else config.agent.remind_days
    remind = dt.timedelta(days=days) if days else None
    try:
        outlets = build.one_shot(config, layout, remind)
    except (ImportError, ValueError) as e:
        print(f"recall-agent: warning: findings not published: {e}", file=sys.stderr)
        return
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    from agent.outlets.interface import Update

    for outlet in outlets:
        outlet.publish(Update(result=result, now=now))
        outlet.close()
