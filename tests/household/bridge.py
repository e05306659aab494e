"""The test's own MQTT client: a stand-in for a Zigbee bridge that announces devices to Home Assistant,
and a recorder of what the agent publishes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from net.netns import Netns
from paho.mqtt.enums import CallbackAPIVersion

from .peers import in_netns


class Client:
    """A paho client connected (inside ``ns``) to the broker; ``retained`` holds every message seen."""

    def __init__(self, port: int, ns: Netns | None = None, *, user: tuple[str, str] | None = None) -> None:
        self.messages: dict[str, bytes] = {}
        self.log: list[tuple[str, bytes, bool]] = []
        self._lock = threading.Lock()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"test-{time.monotonic_ns()}")
        if user:
            self.client.username_pw_set(*user)
        self.client.on_message = self._on_message
        in_netns(ns, lambda: self.client.connect("127.0.0.1", port, keepalive=30))
        self.client.loop_start()

    def _on_message(self, _client: Any, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        with self._lock:
            payload = bytes(message.payload)
            self.log.append((message.topic, payload, bool(message.retain)))
            if payload:
                self.messages[message.topic] = payload
            else:
                self.messages.pop(message.topic, None)

    def subscribe(self, pattern: str) -> None:
        self.client.subscribe(pattern, qos=1)

    def publish(self, topic: str, payload: str | bytes, *, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(10)

    def json(self, topic: str) -> Any:
        with self._lock:
            return json.loads(self.messages[topic])

    def topics(self, prefix: str = "") -> list[str]:
        with self._lock:
            return sorted(t for t in self.messages if t.startswith(prefix))

    def wait(self, check: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}; topics: {self.topics()}")
            time.sleep(0.05)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def announce_device(bridge: Client, object_id: str, device: dict[str, Any]) -> None:
    """A sensor of a device, as a Zigbee bridge announces it with MQTT discovery."""
    config = {
        "name": "Power",
        "unique_id": f"bridge_{object_id}_power",
        "state_topic": f"bridge/{object_id}/power",
        "device_class": "power",
        "unit_of_measurement": "W",
        "device": device,
    }
    bridge.publish(f"homeassistant/sensor/bridge/{object_id}/config", json.dumps(config), retain=True)
