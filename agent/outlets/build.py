"""Which outlets a command uses, from the command line and the configuration file, and how they are built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from agent.config.schema import Config
from agent.errors import UsageError
from agent.outlets.interface import Answer, Outlet
from agent.paths import Layout

NOTIFIERS = ("desktop", "log", "none")
OutletFactory = Callable[[Answer, Callable[[], None]], Outlet]


def _needs(extra: str, build: Callable[[], Outlet]) -> Outlet:
    try:
        return build()
    except ImportError as e:
        raise ImportError(f"the {extra} outlet needs its extra: pip install 'recall-agent[{extra}]' ({e})") from e


def chosen(requested: Sequence[str], config: Config, *, system: bool) -> tuple[str, ...]:
    """The command line's choice, else the configuration's, else desktop for a user and log for the system."""
    names = tuple(dict.fromkeys(requested)) or config.agent.outlets or (("log",) if system else ("desktop",))
    where = config.path or "the configuration file"
    for name in names:
        if name in ("mqtt", "apprise") and getattr(config, name) is None:
            raise UsageError(f"the {name} outlet needs a [{name}] section in {where}")
    return names


def notifier_choice(names: Sequence[str]) -> str:
    """The one notifier among the outlets: desktop before log; none when neither is named."""
    return next((n for n in ("desktop", "log") if n in names), "none")


def factories(names: Sequence[str], config: Config, layout: Layout, remind: dt.timedelta | None) -> list[OutletFactory]:
    """Builders of the outlets named besides the notifier, for the daemon."""
    out: list[OutletFactory] = []
    if "mqtt" in names and config.mqtt is not None:
        mqtt = config.mqtt

        def mqtt_outlet(answer: Answer, wake: Callable[[], None]) -> Outlet:
            from agent.outlets.mqtt import MqttOutlet

            return _needs("mqtt", lambda: MqttOutlet(mqtt, answer, wake=wake))

        out.append(mqtt_outlet)
    if "apprise" in names and config.apprise is not None:
        apprise = config.apprise

        def apprise_outlet(answer: Answer, wake: Callable[[], None]) -> Outlet:
            from agent.outlets.apprise import AppriseOutlet

            state = layout.state_dir / "notified-apprise.json"
            return _needs("apprise", lambda: AppriseOutlet(apprise, state, remind))

        out.append(apprise_outlet)
    return out


def one_shot(config: Config, layout: Layout, remind: dt.timedelta | None) -> list[Outlet]:
    """The outlets a single ``scan`` publishes to: MQTT and Apprise, where the configuration names them."""
    built: list[Outlet] = []
    names = config.agent.outlets
    if "mqtt" in names and config.mqtt is not None:
        from agent.outlets.mqtt import MqttOutlet

        mqtt = config.mqtt
        built.append(_needs("mqtt", lambda: MqttOutlet(mqtt, one_shot=True)))
    for factory in factories([n for n in names if n == "apprise"], config, layout, remind):
        built.append(factory(lambda notice, key: None, lambda: None))
    return built
