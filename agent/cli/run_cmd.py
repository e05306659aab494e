"""`recall-agent run` (the background agent) and `recall-agent notifier` (the per-user desktop relay)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent import datetimes as dt
from agent.cli import common
from agent.errors import UsageError

if TYPE_CHECKING:
    from agent.notify.desktop import ActionCallback
    from agent.notify.interface import Notifier


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    run = commands.add_parser(
        "run",
        parents=[shared],
        description="Watch for USB and network devices and for edits of the inventory "
        "and rules; rescan when something changes and at an interval; notify once per "
        "item and recall. Stops cleanly on SIGTERM.",
    )
    run.add_argument(
        "--interval",
        type=float,
        default=None,
        metavar="SECONDS",
        help="full rescan at least this often (default: the configuration's, else 3600)",
    )
    run.add_argument(
        "--debounce",
        type=float,
        default=None,
        metavar="SECONDS",
        help="wait this long after a change before rescanning (default: the configuration's, else 2)",
    )
    run.add_argument(
        "--remind-days",
        type=float,
        default=None,
        metavar="DAYS",
        help="remind of an unhandled likely finding after this many days (0: never; default 7)",
    )
    run.add_argument(
        "--notify",
        action="append",
        choices=("desktop", "log", "mqtt", "apprise", "none"),
        default=[],
        help="where findings go (repeatable; default: the configuration's outlets, else desktop for a user "
        "and log with --system)",
    )
    run.add_argument("--no-network", action="store_true", help="no mDNS discovery")
    run.add_argument("--no-usb", action="store_true", help="no USB discovery")
    run.add_argument("--window", type=float, default=3.0, metavar="SECONDS", help="mDNS browse window per scan")
    run.add_argument("--interface", action="append", default=[], metavar="NAME", help="network interface (repeatable)")
    run.add_argument("--sysfs-root", type=Path, default=None, metavar="DIR", help="USB sysfs devices folder")
    run.set_defaults(handler=run_daemon)
    _register_relay(commands, shared)


def _register_relay(commands: Any, shared: argparse.ArgumentParser) -> None:
    relay = commands.add_parser("notifier", parents=[shared])
    relay.add_argument(
        "--findings",
        type=Path,
        default=None,
        metavar="FILE",
        help="the published findings (default /var/lib/recall-agent/findings.json)",
    )
    relay.add_argument("--remind-days", type=float, default=7.0, metavar="DAYS")
    relay.add_argument("--interval", type=float, default=2.0, metavar="SECONDS", help="how often to look")
    relay.set_defaults(handler=run_relay)


def _first(*values: float | None) -> float:
    return next(float(v) for v in values if v is not None)


def _remind(days: float) -> dt.timedelta | None:
    if days < 0:
        raise UsageError("--remind-days must not be negative")
    return dt.timedelta(days=days) if days else None


def notifier_factory(choice: str) -> Callable[[ActionCallback], Notifier]:
    """Builds the chosen notifier around the callback for a person's answers to a notification."""
    from agent.notify.log import LogNotifier, NullNotifier

    if choice == "none":
        return lambda on_action: NullNotifier()
    if choice == "log":
        return lambda on_action: LogNotifier()
    from agent.notify.desktop import DesktopNotifier

    return lambda on_action: DesktopNotifier(on_action=on_action)


def _configure_logging(args: argparse.Namespace) -> None:
    import logging

    logging.getLogger().setLevel(logging.INFO if getattr(args, "verbose", 0) else logging.WARNING)


def run_daemon(args: argparse.Namespace) -> int:
    import functools

    from agent.daemon.runner import Daemon, Settings, install_signal_handlers
    from agent.outlets import build
    from agent.sources import registry

    layout = common.paths(args)
    config = common.config(args)
    interval = _first(args.interval, config.agent.interval, 3600.0)
    debounce = _first(args.debounce, config.agent.debounce, 2.0)
    if interval <= 0 or debounce < 0:
        raise UsageError("--interval must be positive and --debounce not negative")
    _configure_logging(args)
    remind = _remind(_first(args.remind_days, config.agent.remind_days, 7.0))
    settings = Settings(
        interval=interval, debounce=debounce, remind_after=remind, extra_rules=tuple(common.extra_rules(args))
    )
    outlets = build.chosen(args.notify, config, system=layout.system)
    options = registry.SourceOptions(
        sysfs_root=str(args.sysfs_root or ""),
        mdns_window=args.window,
        interfaces=tuple(args.interface),
        homeassistant=config.homeassistant,
    )
    names = [n for n, off in (("usb", args.no_usb), ("mdns", args.no_network)) if not off]
    names += ["homeassistant"] if config.homeassistant is not None else []
    discover = [functools.partial(registry.watched, name, options) for name in names]
    factories = build.factories(outlets, config, layout, remind)
    daemon = Daemon(layout, [], factories, settings=settings, discover=discover)
    install_signal_handlers(daemon)
    return daemon.run()


def run_relay(args: argparse.Namespace) -> int:
    import signal

    from agent.daemon.desktop_relay import Relay
    from agent.paths import layout

    _configure_logging(args)
    findings = args.findings or Path(layout(system=True).state_dir, "findings.json")
    state = Path(layout(system=False).state_dir, "notifier.json")
    relay = Relay(
        findings, state, notifier_factory("desktop"), interval=args.interval, remind_after=_remind(args.remind_days)
    )
    signal.signal(signal.SIGTERM, relay.stop)
    signal.signal(signal.SIGINT, relay.stop)
    return relay.run()
