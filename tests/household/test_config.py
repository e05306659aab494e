"""The configuration file: defaults, every section, secrets in files, unsafe files refused, one-line errors."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run, write

import agent.config.load
from agent.config.errors import ConfigError
from agent.config.load import load
from agent.errors import ProblemList

EXAMPLE = Path(agent.config.load.__file__ or "").parent / "example.toml"


def secret(folder: Path, name: str, text: str, mode: int = 0o600) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    path.chmod(mode)
    return path


def config(folder: Path, text: str, mode: int = 0o644) -> Path:
    path = write(folder / "config.toml", text)
    path.chmod(mode)
    return path


def test_no_file_means_every_default(tmp_path: Path) -> None:
    loaded = load(tmp_path / "nothing-here")
    assert loaded.path is None and loaded.mqtt is None and loaded.agent.outlets == ()


def test_every_section_and_secrets_from_files(tmp_path: Path) -> None:
    secret(tmp_path, "ha.token", "abc.def.ghi\n")
    secret(tmp_path, "mqtt.pw", "s3cret\n", mode=0o640)
    secret(tmp_path, "apprise.urls", "# phone\njson://127.0.0.1:9/x\n\nntfy://127.0.0.1:9/topic\n")
    path = config(
        tmp_path,
        """
        [agent]
        interval = 600
        remind_days = 0
        outlets = ["log", "mqtt", "apprise"]

        [homeassistant]
        url = "http://ha.example:8123/"
        token_file = "ha.token"

        [mqtt]
        host = "broker"
        port = 8883
        username = "agent"
        password_file = "mqtt.pw"
        node_id = "kitchen-pi"

        [apprise]
        urls_file = "apprise.urls"
        """,
    )
    loaded = load(tmp_path, path)
    assert loaded.agent.interval == 600.0 and loaded.agent.remind_days == 0.0
    assert loaded.agent.outlets == ("log", "mqtt", "apprise")
    assert loaded.homeassistant is not None and loaded.homeassistant.url == "http://ha.example:8123"
    assert loaded.homeassistant.token == "abc.def.ghi"  # noqa: S105 - a made-up token
    assert loaded.mqtt is not None and loaded.mqtt.node_id == "kitchen-pi"
    assert loaded.mqtt.password == "s3cret"  # noqa: S105 - a made-up password
    assert loaded.apprise is not None and loaded.apprise.urls == ("json://127.0.0.1:9/x", "ntfy://127.0.0.1:9/topic")
    assert "s3cret" not in repr(loaded) and "abc.def" not in repr(loaded)  # secrets never reach a log line


def test_default_node_id_is_the_host_name(tmp_path: Path) -> None:
    loaded = load(tmp_path, config(tmp_path, '[mqtt]\nhost = "broker"\n'))
    assert loaded.mqtt is not None
    assert loaded.mqtt.node_id == re.sub(r"[^A-Za-z0-9_-]", "-", os.uname().nodename.split(".")[0])[:64].strip("-")


@pytest.mark.parametrize(
    ("mode", "problem"),
    [
        (0o644, "can be read by other users (mode 0644); run `chmod o-rwx"),
        (0o660, "can be changed by other users (mode 0660); run `chmod go-w"),
        (0o604, "can be read by other users (mode 0604)"),
    ],
)
def test_secret_readable_or_writable_by_others_is_refused(tmp_path: Path, mode: int, problem: str) -> None:
    token = secret(tmp_path, "ha.token", "abc", mode=mode)
    path = config(tmp_path, '[homeassistant]\nurl = "http://ha:8123"\ntoken_file = "ha.token"\n')
    with pytest.raises(ProblemList) as caught:
        load(tmp_path, path)
    [line] = map(str, caught.value.problems)
    assert line.startswith(f"{path}:3: [homeassistant]: field 'token_file': {token}: {problem}")
    assert "\n" not in line


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is empty"),
        (None, "no such file"),
        ("link", "is a symbolic link; name the file itself"),
    ],
)
def test_unusable_secret_files(tmp_path: Path, text: str | None, problem: str) -> None:
    if text == "link":
        secret(tmp_path, "real", "abc")
        (tmp_path / "ha.token").symlink_to(tmp_path / "real")
    elif text is not None:
        secret(tmp_path, "ha.token", text)
    path = config(tmp_path, '[homeassistant]\nurl = "http://ha:8123"\ntoken_file = "ha.token"\n')
    with pytest.raises(ProblemList) as caught:
        load(tmp_path, path)
    assert list(map(str, caught.value.problems)) == [
        f"{path}:3: [homeassistant]: field 'token_file': {tmp_path / 'ha.token'}: {problem}"
    ]


def test_config_writable_by_others_is_refused(tmp_path: Path) -> None:
    path = config(tmp_path, '[mqtt]\nhost = "broker"\n', mode=0o666)
    with pytest.raises(ConfigError, match=r"can be changed by other users \(mode 0666\)"):
        load(tmp_path, path)


def test_inline_apprise_urls_need_a_private_config(tmp_path: Path) -> None:
    text = '[apprise]\nurls = ["tgram://bottoken/chat"]\n'
    with pytest.raises(ConfigError, match=r"can be read by other users.*holds Apprise URLs"):
        load(tmp_path, config(tmp_path, text, mode=0o644))
    loaded = load(tmp_path, config(tmp_path, text, mode=0o600))
    assert loaded.apprise is not None and loaded.apprise.urls == ("tgram://bottoken/chat",)


def test_every_problem_at_once_with_lines(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        """
        [agent]
        interval = -5
        outlets = ["desktop", "pager", "mqtt"]

        [mqtt]
        host = "broker"
        port = 70000
        node_id = "kitchen pi"
        colour = "blue"

        [homeassistant]
        url = "homeassistant.local"

        [extras]
        """,
    )
    with pytest.raises(ProblemList) as caught:
        load(tmp_path, path)
    assert list(map(str, caught.value.problems)) == [
        f"{path}: unknown section 'extras' (expected agent, homeassistant, mqtt, apprise)",
        f"{path}:2: [agent]: field 'interval': must be between 1 and 604800, got -5",
        f"{path}:3: [agent]: field 'outlets': unknown outlet 'pager' (expected desktop, log, mqtt, apprise, none)",
        f"{path}:12: [homeassistant]: field 'url': expected an http:// or https:// address like http://homeassistant.local:8123, got 'homeassistant.local'",
        f"{path}: [homeassistant]: missing required field 'token_file'",
        f"{path}:7: [mqtt]: field 'port': must be between 1 and 65535, got 70000",
        f"{path}:8: [mqtt]: field 'node_id': use letters, digits, '-' and '_' only (at most 64)",
        f"{path}:9: [mqtt]: unknown field 'colour'",
    ]


def test_an_outlet_without_its_section(tmp_path: Path) -> None:
    path = config(tmp_path, '[agent]\noutlets = ["apprise"]\n')
    with pytest.raises(ProblemList) as caught:
        load(tmp_path, path)
    assert list(map(str, caught.value.problems)) == [
        f"{path}:2: [agent]: field 'outlets': 'apprise' is named but there is no [apprise] section"
    ]


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    path = config(tmp_path, '[mqtt]\nhost = "broker\n')
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}:2: invalid TOML: "):
        load(tmp_path, path)


def test_the_commented_example_is_a_valid_configuration(tmp_path: Path) -> None:
    """Uncommenting every setting of the shipped example gives a configuration that loads."""
    for name in ("homeassistant.token", "mqtt.password", "apprise.urls"):
        secret(tmp_path, name, "json://127.0.0.1:9/x\n")
    lines = []
    for line in EXAMPLE.read_text().splitlines():
        if re.match(r"^# (\[[a-z]+\]|[a-z_]+ = )", line):
            lines.append(line[2:])
    text = "\n".join(lines).replace("/etc/ssl/certs/my-ca.pem", str(tmp_path / "ca.pem"))
    loaded = load(tmp_path, config(tmp_path, text))
    assert loaded.homeassistant is not None and loaded.mqtt is not None and loaded.apprise is not None
    assert loaded.mqtt.node_id == "kitchen-pi" and loaded.agent.outlets == ("desktop", "mqtt")


def test_cli_reports_a_broken_config_in_one_line_per_problem(tmp_path: Path, cli: Callable[..., Run]) -> None:
    path = config(tmp_path, '[mqtt]\nhost = "broker"\nport = "x"\n')
    done = cli("scan", "--no-network", "--source", "inventory", "--config", str(path))
    assert done.code == 2
    assert done.err == f"recall-agent: error: {path}:3: [mqtt]: field 'port': expected an integer, got the string 'x'\n"


def test_cli_reads_the_user_config_by_default(isolated_home: Path, cli: Callable[..., Run]) -> None:
    config(isolated_home / "config" / "recall-agent", "[surprise]\n")
    done = cli("scan", "--no-network", "--source", "inventory")
    assert done.code == 2 and "config.toml: unknown section 'surprise'" in done.err


def test_config_example_and_check(tmp_path: Path, isolated_home: Path, cli: Callable[..., Run]) -> None:
    example = cli("config", "example")
    assert example.code == 0 and example.out == EXAMPLE.read_text()
    assert cli("config", "check").out == "no configuration file: every default applies\n"
    folder = isolated_home / "config" / "recall-agent"
    secret(folder, "mqtt.pw", "hunter2")
    path = config(
        folder,
        '[agent]\noutlets = ["mqtt"]\n[mqtt]\nhost = "broker"\nusername = "ann"\npassword_file = "mqtt.pw"\nnode_id = "attic"\n',
    )
    done = cli("config", "check")
    assert done.code == 0 and "hunter2" not in done.out
    assert done.out.splitlines() == [
        f"{path}: valid",
        "outlets: mqtt",
        "MQTT: broker:1883 as ann, node id attic, discovery prefix homeassistant",
    ]
