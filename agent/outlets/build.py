"""Which outlets a command uses, from the command line and the configuration file, and how they are built."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from agent import datetimes as dt
from agent.config.schema import AppriseSettings, Config
from agent.errors import UsageError
from agent.outlets.interface import Outlet, OutletContext
from agent.paths import Layout

NOTIFIERS = ("desktop", "log", "none")
OutletFactory = Callable[[OutletContext], Outlet]


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


def notifier(choice: str) -> OutletFactory | None:
    """The desktop or the log as an outlet; None for "none"."""
    if choice not in ("desktop", "log"):
        return None

    def notifier_outlet(context: OutletContext) -> Outlet:
        from agent.outlets.notifier import NotifierOutlet

        if choice == "log":
            from agent.notify.log import LogNotifier

            return NotifierOutlet(lambda on_action: LogNotifier(), context)
        from agent.notify.desktop import DesktopNotifier

        return NotifierOutlet(lambda on_action: DesktopNotifier(on_action=on_action), context)

    return notifier_outlet


def findings_file(layout: Layout) -> OutletFactory:
    """The published findings file in the state folder, which the per-user notifiers read."""

    def findings_outlet(context: OutletContext) -> Outlet:
        from agent.outlets.findings_file import FindingsFile

        return FindingsFile(Path(layout.state_dir, "findings.json"))

    return findings_outlet


def factories(names: Sequence[str], config: Config, layout: Layout, remind: dt.timedelta | None) -> list[OutletFactory]:
    """Builders of every outlet of the daemon: the chosen notifier, the published findings file, and the
    MQTT and Apprise outlets named."""
    told = notifier(notifier_choice(names))
    out: list[OutletFactory] = [*([told] if told else []), findings_file(layout)]
    if "mqtt" in names and config.mqtt is not None:
        mqtt = config.mqtt

        def mqtt_outlet(context: OutletContext) -> Outlet:
            from agent.outlets.mqtt import MqttOutlet

            return _needs("mqtt", lambda: MqttOutlet(mqtt, context.answer, wake=context.wake))

        out.append(mqtt_outlet)
    if "apprise" in names and config.apprise is not None:
        apprise = config.apprise

        def apprise_outlet(context: OutletContext) -> Outlet:
            return _needs("apprise", lambda: _apprise(apprise, layout, remind))

        out.append(apprise_outlet)
    return out


def _apprise(settings: AppriseSettings, layout: Layout, remind: dt.timedelta | None) -> Outlet:
    from agent.outlets.apprise import AppriseOutlet

    return AppriseOutlet(settings, Path(layout.state_dir, "notified-apprise.json"), remind)


def one_shot(config: Config, layout: Layout, remind: dt.timedelta | None) -> list[Outlet]:
    """The outlets a single ``scan`` publishes to: MQTT and Apprise, where the configuration names them."""
    built: list[Outlet] = []
    names = config.agent.outlets
    if "mqtt" in names and config.mqtt is not None:
        from agent.outlets.mqtt import MqttOutlet

        mqtt = config.mqtt
        built.append(_needs("mqtt", lambda: MqttOutlet(mqtt, one_shot=True)))
    if "apprise" in names and config.apprise is not None:
        apprise = config.apprise
        built.append(_needs("apprise", lambda: _apprise(apprise, layout, remind)))
    return built
