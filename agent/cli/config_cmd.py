"""`recall-agent config`: print the commented example configuration, or check the one in effect."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from agent.cli import common

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "example.toml"


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "config",
        parents=[shared],
        description="`config example` prints a commented configuration with every setting; `config check` "
        "reads the configuration in effect (and the secret files it names) and says what it sets up.",
    )
    parser.add_argument("action", choices=("example", "check"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "example":
        print(EXAMPLE.read_text(encoding="utf-8"), end="")
        return 0
    config = common.config(args)
    if config.path is None:
        print("no configuration file: every default applies")
        return 0
    print(f"{config.path}: valid")
    agent = config.agent
    print(f"outlets: {', '.join(agent.outlets) or 'the default (desktop for a user, log for the system)'}")
    if config.homeassistant:
        print(f"Home Assistant source: {config.homeassistant.url} (token from {config.homeassistant.token_file})")
    if config.mqtt:
        m = config.mqtt
        login = f" as {m.username}" if m.username else ""
        print(f"MQTT: {m.host}:{m.port}{login}, node id {m.node_id}, discovery prefix {m.discovery_prefix}")
    if config.apprise:
        print(f"Apprise: {len(config.apprise.urls)} address(es)")
    return 0
