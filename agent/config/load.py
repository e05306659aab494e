"""Find, read and validate the configuration file, listing every problem at once, one line each."""

from __future__ import annotations

import os

from agent.config.schema import (
    OUTLETS,
    AgentSettings,
    AppriseSettings,
    Config,
    HomeAssistantSettings,
    MqttSettings,
)
from agent.errors import ProblemList
from agent.fields import Fields, Problems
from agent.problems import Problem
from agent.record import replace
from agent.tomlio import parse_toml, read_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from agent.paths import StrPath

CONFIG_ENV = "RECALL_AGENT_CONFIG"
FILENAME = "config.toml"
MAX_CONFIG = 1_000_000
SECTIONS = ("agent", "homeassistant", "mqtt", "apprise")
NODE_ID = r"^[A-Za-z0-9_-]{1,64}$"  # patterns are compiled (and kept by re) when first used


def default_path(config_dir: StrPath) -> Path:
    from pathlib import Path

    chosen = os.environ.get(CONFIG_ENV, "")
    return Path(chosen) if chosen else Path(config_dir, FILENAME)


def load(config_dir: StrPath, explicit: Path | None = None) -> Config:
    """The configuration in effect: ``explicit``, else $RECALL_AGENT_CONFIG, else config.toml in ``config_dir``.

    Only a file that was named and is missing is an error; a missing default file means every default.
    """
    named = explicit is not None or os.environ.get(CONFIG_ENV)
    if not named and not os.path.exists(os.path.join(config_dir, FILENAME)):
        return Config()
    # A file to read needs these; without one (the usual case) a start-up does not import them.
    from agent.config.errors import ConfigError
    from agent.config.secrets import check_owner_and_mode

    path = explicit or default_path(config_dir)
    text = read_text(path, MAX_CONFIG, ConfigError)
    doc = parse_toml(text, path, ConfigError)
    try:
        info = path.stat()
    except OSError as e:
        raise ConfigError(path, f"cannot read: {e.strerror}") from e
    inline_secrets = isinstance(doc.get("apprise"), dict) and "urls" in doc["apprise"]
    unsafe = check_owner_and_mode(path, info, secret=inline_secrets)
    if unsafe:
        why = " (it holds Apprise URLs, which carry tokens)" if inline_secrets else ""
        raise ConfigError(path, unsafe + why)
    return config_from_document(doc, path, text)


def config_from_document(doc: dict[str, Any], path: Path, text: str = "") -> Config:
    problems = Problems(str(path))
    for key, value in doc.items():
        if key not in SECTIONS:
            problems.add(f"unknown section '{key}' (expected {', '.join(SECTIONS)})")
        elif not isinstance(value, dict):
            problems.add(f"'{key}' must be a table [{key}]", field=key)
    sections = {
        k: Fields(v, problems, kind="", item=f"[{k}]") for k, v in doc.items() if k in SECTIONS and isinstance(v, dict)
    }
    config = Config(
        path=path,
        agent=_agent(sections["agent"]) if "agent" in sections else AgentSettings(),
        homeassistant=_homeassistant(sections["homeassistant"], path) if "homeassistant" in sections else None,
        mqtt=_mqtt(sections["mqtt"], path) if "mqtt" in sections else None,
        apprise=_apprise(sections["apprise"], path) if "apprise" in sections else None,
    )
    for fields in sections.values():
        fields.reject_unknown()
    for name in config.agent.outlets:
        if name in ("mqtt", "apprise") and getattr(config, name) is None:
            sections["agent"].bad("outlets", f"'{name}' is named but there is no [{name}] section")
    if problems:
        raise ProblemList(with_lines(problems.items, text))
    return config


def _number(f: Fields, key: str, low: float, high: float) -> float | None:
    def convert(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}, got {value:g}")
        return float(value)

    return f.converted(key, convert)


def _agent(f: Fields) -> AgentSettings:
    interval = _number(f, "interval", 1, 7 * 86400)
    debounce = _number(f, "debounce", 0, 3600)
    remind_days = _number(f, "remind_days", 0, 3650)
    outlets = f.texts("outlets")
    for name in outlets:
        if name not in OUTLETS:
            f.bad("outlets", f"unknown outlet {name!r} (expected {', '.join(OUTLETS)})")
    return AgentSettings(
        interval=interval,
        debounce=debounce,
        remind_days=remind_days,
        outlets=tuple(o for o in outlets if o in OUTLETS),
    )


def _secret(f: Fields, key: str, path: Path, *, required: bool) -> tuple[str, Path | None]:
    from agent.config.errors import ConfigError
    from agent.config.secrets import read_secret, resolve

    value = f.text(key, required=required)
    if not value:
        return "", None
    file = resolve(value, path)
    try:
        return read_secret(file, config=path, field=f"field '{key}'"), file
    except ConfigError as e:
        f.problems.items.append(replace(e.as_problem(), item=f.item, field=key))
        return "", file


def _homeassistant(f: Fields, path: Path) -> HomeAssistantSettings:
    from pathlib import Path
    from urllib.parse import urlsplit

    from agent.config.secrets import resolve

    url = f.text("url", required=True)
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
        f.bad("url", f"expected an http:// or https:// address like http://homeassistant.local:8123, got {url!r}")
    token, token_file = _secret(f, "token_file", path, required=True)
    ca = f.text("ca_file")
    return HomeAssistantSettings(
        url=url.rstrip("/"),
        token=token,
        token_file=token_file or Path(),
        timeout=_number(f, "timeout", 0.1, 600) or 10.0,
        ca_file=resolve(ca, path) if ca else None,
        include_services=f.flag("include_services"),
    )


def _mqtt(f: Fields, path: Path) -> MqttSettings:
    import re

    from agent.config.secrets import resolve

    port = f.integer("port")
    if port is not None and not 0 < port < 65536:
        f.bad("port", f"must be between 1 and 65535, got {port}")
    password, password_file = _secret(f, "password_file", path, required=False)
    node_id = f.text("node_id") or default_node_id()
    if not re.match(NODE_ID, node_id):
        f.bad("node_id", "use letters, digits, '-' and '_' only (at most 64)")
    prefixes = {key: f.text(key) for key in ("discovery_prefix", "topic_prefix")}
    for key, value in prefixes.items():
        if value and (set(value) & set("#+\x00") or value.startswith("/") or value.endswith("/")):
            f.bad(key, f"an MQTT topic prefix without '#', '+' or a leading or trailing '/', got {value!r}")
    ca = f.text("ca_file")
    keepalive = f.integer("keepalive")
    return MqttSettings(
        host=f.text("host", required=True),
        port=port or 1883,
        username=f.text("username"),
        password=password,
        password_file=password_file,
        node_id=node_id,
        discovery_prefix=prefixes["discovery_prefix"] or "homeassistant",
        topic_prefix=prefixes["topic_prefix"] or "recall-agent",
        tls=f.flag("tls"),
        ca_file=resolve(ca, path) if ca else None,
        keepalive=keepalive if keepalive and 5 <= keepalive <= 3600 else 60,
    )


def _apprise(f: Fields, path: Path) -> AppriseSettings:
    urls = list(f.texts("urls"))
    secret, urls_file = _secret(f, "urls_file", path, required=False)
    urls += [line.strip() for line in secret.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not urls and not f.problems:
        f.add("name at least one Apprise URL in 'urls' or in the file 'urls_file' names")
    return AppriseSettings(urls=tuple(urls), urls_file=urls_file, title_prefix=f.text("title_prefix"))


def default_node_id() -> str:
    """The host name, made a valid node id: two machines' agents never share one by default."""
    import re

    name = re.sub(r"[^A-Za-z0-9_-]", "-", os.uname().nodename.split(".")[0])[:64].strip("-")
    return name or "recall-agent"


_SECTION = r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]"
_SECTION_NAME = r"^\[([A-Za-z0-9_-]+)\]$"


def with_lines(problems: list[Problem], text: str) -> list[Problem]:
    """Give each problem about a field of a section the line of that field, where it can be found."""
    import re  # only a file with problems needs it

    out = []
    for problem in problems:
        section = re.match(_SECTION_NAME, problem.item)  # the item is the section's header, as Fields were given it
        line = _find(text, section[1], problem.field) if section and problem.field else None
        out.append(replace(problem, line=line) if line else problem)
    return out


def _find(text: str, section: str, field: str) -> int | None:
    import re

    current = ""
    key = re.compile(rf"^\s*{re.escape(field)}\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(_SECTION, line)
        if header:
            current = header[1]
        elif current == section and key.match(line):
            return number
    return None
