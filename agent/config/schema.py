"""What the configuration file says, as frozen records. Secrets are read from the files it names."""

from __future__ import annotations

from agent.record import Record, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from pathlib import Path  # the files a configuration names; without one, nothing here is a Path

OUTLETS = ("desktop", "log", "mqtt", "apprise", "none")


class AgentSettings(Record, kw_only=True):
    """``[agent]``: the background agent's intervals and where its findings go."""

    interval: float | None = None  # full rescan at least this often, seconds
    debounce: float | None = None
    remind_days: float | None = None
    outlets: tuple[str, ...] = ()  # empty: the default for the mode (desktop for a user, log for the system)


class HomeAssistantSettings(Record, kw_only=True):
    """``[homeassistant]``: where Home Assistant answers and the long-lived token to ask it with."""

    url: str
    token: str = field(repr=False)
    token_file: Path
    timeout: float = 10.0
    ca_file: Path | None = None
    include_services: bool = False  # HA's own service "devices" (add-ons, integrations) are skipped


class MqttSettings(Record, kw_only=True):
    """``[mqtt]``: the broker findings are published to, with Home Assistant's MQTT discovery."""

    host: str
    port: int = 1883
    username: str = ""
    password: str = field(default="", repr=False)
    password_file: Path | None = None
    node_id: str = ""  # one per agent; the host name by default
    discovery_prefix: str = "homeassistant"
    topic_prefix: str = "recall-agent"
    tls: bool = False
    ca_file: Path | None = None
    keepalive: int = 60


class AppriseSettings(Record, kw_only=True):
    """``[apprise]``: where alerts go for machines without a desktop (phones, mail, chat)."""

    urls: tuple[str, ...] = field(default=(), repr=False)
    urls_file: Path | None = None
    title_prefix: str = ""  # put before every title, e.g. the machine's name


class Config(Record, kw_only=True):
    path: Path | None = None  # None: no configuration file, every default
    agent: AgentSettings = AgentSettings()
    homeassistant: HomeAssistantSettings | None = None
    mqtt: MqttSettings | None = None
    apprise: AppriseSettings | None = None
