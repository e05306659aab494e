"""The MQTT outlet against a real mosquitto: retained discovery, availability and last will, two agents on
one broker, a password, and a broker that comes later."""

from __future__ import annotations

import functools
import json
import signal
from pathlib import Path

from conftest import skip_or_fail, write
from helpers import rule_text

from .agentproc import RECALLED_PLUG, private_file, run_cli
from .bridge import Client
from .daemons import RunningAgent, mqtt_config
from .peers import Mosquitto, mosquitto_missing

OID = "plug__acme-2024-sp-100"
INVENTORY = '[items.plug]\nname = "Hall plug"\nbrand = "Acme"\nmodel = "SP-100"\n'


def agent_home(tmp_path: Path, name: str) -> Path:
    home = tmp_path / name
    write(home / "data" / "recall-agent" / "inventory.toml", INVENTORY)
    write(home / "config" / "recall-agent" / "rules" / "acme.toml", rule_text("acme-2024-sp-100", RECALLED_PLUG))
    return home


def test_findings_are_retained_with_availability_and_a_last_will(mosquitto: Mosquitto, tmp_path: Path) -> None:
    home = agent_home(tmp_path, "agent")
    mqtt_config(home, mosquitto.port, "hall-pi")
    agent = RunningAgent(home, [])
    watcher = Client(mosquitto.port)
    try:
        watcher.subscribe("#")
        base = "recall-agent/hall-pi"
        watcher.wait(lambda: f"{base}/open_recalls" in watcher.messages, "the count, published last", timeout=30)
        watcher.wait(lambda: watcher.messages.get(f"{base}/availability") == b"online", "online")
        config = watcher.json(f"homeassistant/binary_sensor/hall-pi/{OID}/config")
        assert config["device"]["name"] == "Hall plug" and config["device_class"] == "problem"
        assert watcher.messages[f"{base}/finding/{OID}/state"] == b"ON"
        assert watcher.messages[f"{base}/open_recalls"] == b"1"

        late = Client(mosquitto.port)  # a client that connects later still gets everything: it is retained
        late.subscribe("homeassistant/#")
        late.wait(lambda: f"homeassistant/binary_sensor/hall-pi/{OID}/config" in late.messages, "retained config")
        late.close()

        agent.stop(signal.SIGKILL)  # no goodbye: the broker sends the last will
        watcher.wait(lambda: watcher.messages.get(f"{base}/availability") == b"offline", "the last will")
    finally:
        agent.stop()
        watcher.close()


def test_two_agents_share_one_broker_without_clashing(mosquitto: Mosquitto, tmp_path: Path) -> None:
    homes = [agent_home(tmp_path, name) for name in ("kitchen", "attic")]
    for home, node in zip(homes, ("kitchen-pi", "attic-pi"), strict=True):
        mqtt_config(home, mosquitto.port, node)
    agents = [RunningAgent(home, []) for home in homes]
    watcher = Client(mosquitto.port)
    try:
        watcher.subscribe("#")
        for node in ("kitchen-pi", "attic-pi"):
            count = f"recall-agent/{node}/open_recalls"
            watcher.wait(functools.partial(lambda topic: watcher.messages.get(topic) == b"1", count), f"{node}'s count")
        configs = [t for t in watcher.topics("homeassistant/") if t.endswith("/config")]
        ids = [watcher.json(t)["unique_id"] for t in configs]
        assert len(ids) == len(set(ids)) and {t.split("/")[2] for t in configs} == {"kitchen-pi", "attic-pi"}
        agents[0].stop()  # one agent leaving says so for itself only
        watcher.wait(
            lambda: watcher.messages.get("recall-agent/kitchen-pi/availability") == b"offline", "kitchen offline"
        )
        assert watcher.messages["recall-agent/attic-pi/availability"] == b"online"
    finally:
        for agent in agents:
            agent.stop()
        watcher.close()


def test_a_broker_with_a_password(tmp_path: Path) -> None:
    if mosquitto_missing():
        skip_or_fail(mosquitto_missing())
    broker = Mosquitto(tmp_path / "broker", user=("agent", "correct horse"))
    good, bad = agent_home(tmp_path, "good"), agent_home(tmp_path, "bad")
    private_file(good / "config" / "recall-agent" / "mqtt.password", "correct horse\n")
    private_file(bad / "config" / "recall-agent" / "mqtt.password", "wrong\n")
    for home, node in ((good, "good"), (bad, "bad")):
        mqtt_config(home, broker.port, node, extra='username = "agent"\npassword_file = "mqtt.password"\n')
    agents = [RunningAgent(good, []), RunningAgent(bad, [])]
    watcher = Client(broker.port, user=("agent", "correct horse"))
    try:
        watcher.subscribe("recall-agent/#")
        watcher.wait(
            lambda: watcher.messages.get("recall-agent/good/open_recalls") == b"1", "the agent with the password"
        )
        watcher.wait(lambda: "refused the connection" in agents[1].output(), "the refusal in the log")
        assert "correct horse" not in agents[0].output() + agents[1].output()
        assert not watcher.topics("recall-agent/bad/")
    finally:
        for agent in agents:
            agent.stop()
        watcher.close()
        broker.close()


def test_handled_turns_the_sensor_off_and_removes_its_buttons(mosquitto: Mosquitto, tmp_path: Path) -> None:
    home = agent_home(tmp_path, "agent")
    mqtt_config(home, mosquitto.port, "hall-pi")
    agent = RunningAgent(home, [])
    watcher = Client(mosquitto.port)
    try:
        watcher.subscribe("#")
        button = f"homeassistant/button/hall-pi/{OID}__returned/config"
        watcher.wait(lambda: button in watcher.messages, "the buttons", timeout=30)
        watcher.publish(f"recall-agent/hall-pi/command/{OID}/returned", "PRESS")  # what HA sends on a press
        watcher.wait(lambda: watcher.messages.get(f"recall-agent/hall-pi/finding/{OID}/state") == b"OFF", "state off")
        watcher.wait(lambda: button not in watcher.messages, "the button removed")
        assert watcher.messages["recall-agent/hall-pi/open_recalls"] == b"0"
        text = agent.inventory.read_text()
        assert "[items.plug.handled.acme-2024-sp-100]" in text and 'status = "returned"' in text
        assert json.loads(watcher.messages[f"recall-agent/hall-pi/finding/{OID}/attributes"])["handled"] == "returned"
    finally:
        agent.stop()
        watcher.close()


def test_configs_are_published_again_when_home_assistant_comes_online(mosquitto: Mosquitto, tmp_path: Path) -> None:
    home = agent_home(tmp_path, "agent")
    mqtt_config(home, mosquitto.port, "hall-pi")
    agent = RunningAgent(home, [])
    watcher = Client(mosquitto.port)
    config = f"homeassistant/binary_sensor/hall-pi/{OID}/config"
    try:
        watcher.subscribe("homeassistant/#")
        watcher.wait(lambda: config in watcher.messages, "the config", timeout=30)
        watcher.publish(config, "", retain=True)  # HA lost it (a broker without persistence restarted)
        watcher.wait(lambda: config not in watcher.messages, "the config cleared")
        watcher.publish("homeassistant/status", "online")  # what HA says when it starts
        watcher.wait(lambda: config in watcher.messages, "the config published again")
        assert watcher.json(config)["unique_id"] == f"recall_agent_hall-pi_{OID}"
    finally:
        agent.stop()
        watcher.close()


def test_a_restarted_agent_removes_what_it_no_longer_finds(mosquitto: Mosquitto, tmp_path: Path) -> None:
    home = agent_home(tmp_path, "agent")
    mqtt_config(home, mosquitto.port, "hall-pi")
    watcher = Client(mosquitto.port)
    config = f"homeassistant/binary_sensor/hall-pi/{OID}/config"
    try:
        watcher.subscribe("#")
        agent = RunningAgent(home, [])
        watcher.wait(lambda: config in watcher.messages, "the config", timeout=30)
        agent.stop()
        write(home / "data" / "recall-agent" / "inventory.toml", "version = 1\n")  # the plug is gone meanwhile
        agent = RunningAgent(home, [])
        watcher.wait(lambda: config not in watcher.messages, "the stale config removed", timeout=30)
        watcher.wait(lambda: watcher.messages.get("recall-agent/hall-pi/open_recalls") == b"0", "nothing open")
        # The broker hands back the earlier run's retained messages one by one, and each is cleared as it
        # arrives: the finding's state and attributes may come after its config.
        watcher.wait(lambda: not watcher.topics("recall-agent/hall-pi/finding/"), "the stale finding removed")
        agent.stop()
    finally:
        watcher.close()


def test_scan_publishes_the_same_messages_and_leaves_them_available(mosquitto: Mosquitto, tmp_path: Path) -> None:
    home = agent_home(tmp_path, "agent")
    config = mqtt_config(home, mosquitto.port, "hall-pi")
    watcher = Client(mosquitto.port)
    try:
        watcher.subscribe("#")
        args = ["--config", str(config), "--inventory", str(home / "data" / "recall-agent" / "inventory.toml")]
        args += ["--rules", str(home / "config" / "recall-agent" / "rules")]
        done = run_cli(None, "scan", "--no-network", "--source", "inventory", "--format", "json", *args)
        assert done.code == 1, done.err
        assert [f["rule"]["id"] for f in json.loads(done.out)["findings"]] == ["acme-2024-sp-100"]
        watcher.wait(lambda: watcher.messages.get("recall-agent/hall-pi/open_recalls") == b"1", "the count")
        assert watcher.messages["recall-agent/hall-pi/availability"] == b"online"
        scanned = watcher.json(f"homeassistant/binary_sensor/hall-pi/{OID}/config")
        agent = RunningAgent(home, [])  # the daemon publishes the very same config
        watcher.wait(lambda: "connected to the MQTT broker" in agent.output(), "the daemon connected")
        agent.stop()
        assert watcher.json(f"homeassistant/binary_sensor/hall-pi/{OID}/config") == scanned
    finally:
        watcher.close()
