"""Findings into Home Assistant (or any MQTT consumer) over MQTT discovery.

One retained binary_sensor (device class "problem") per finding, on the HA device the item came from; a
sensor counting open recalls per agent; buttons that record an answer in the inventory. The availability
topic is "online" while the agent runs and the broker's last will sets it "offline". Everything is
published again when the broker connection comes back and when Home Assistant announces "online" on
``homeassistant/status``. Needs the ``mqtt`` extra (paho-mqtt 2).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from agent import datetimes as dt
from agent.config.schema import MqttSettings
from agent.matching.finding import Finding
from agent.notify import actions
from agent.notify.notice import notice_for
from agent.outlets.interface import Answer, Key, Outlet, Update, shown
from agent.outlets.mqtt_messages import OFF, ON, PRESS, Topics, messages, object_id

log = logging.getLogger(__name__)
QOS = 1


class MqttOutlet(Outlet):
    """``one_shot`` (a single ``scan``): publishes the same messages as the daemon, says "online" but leaves
    no last will and no "offline" behind (the findings stay available between scans), and ``close`` waits
    for delivery. Its client id differs from the daemon's, so the two never push each other off."""

    name = "mqtt"

    def __init__(
        self,
        settings: MqttSettings,
        answer: Answer | None = None,
        *,
        one_shot: bool = False,
        wake: Callable[[], None] | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__()
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        self.settings = settings
        self.topics = Topics(settings.node_id, settings.discovery_prefix, settings.topic_prefix)
        self.one_shot = one_shot
        self.timeout = timeout
        self._answer = answer
        self._wake = wake or (lambda: None)
        self._lock = threading.Lock()
        self._connected = threading.Event()
        self._retained: dict[str, str] = {}  # what should be on the broker now
        self._stale: set[str] = set()  # retained topics of ours the broker holds that are no longer wanted
        self._published = False
        self._findings: dict[str, Finding] = {}
        self._answers: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        client_id = f"recall-agent-{settings.node_id}" + ("-scan" if one_shot else "")
        client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        if settings.username:
            client.username_pw_set(settings.username, settings.password or None)
        if settings.tls:
            client.tls_set(ca_certs=str(settings.ca_file) if settings.ca_file else None)
        if not one_shot:
            client.will_set(self.topics.availability, "offline", qos=QOS, retain=True)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        client.on_disconnect = self._on_disconnect
        client.reconnect_delay_set(1, 60)
        self.client = client
        client.connect_async(settings.host, settings.port, keepalive=settings.keepalive)
        client.loop_start()

    # Broker callbacks, on paho's thread.
    def _on_connect(self, client: Any, _userdata: Any, _flags: Any, reason: Any, _properties: Any) -> None:
        if reason.is_failure:
            self.quiet.problem("mqtt:connect", "MQTT broker %s refused the connection: %s", self.settings.host, reason)
            return
        self.quiet.cleared("mqtt:connect")
        self.quiet.cleared("mqtt:lost")
        log.info("connected to the MQTT broker %s:%s", self.settings.host, self.settings.port)
        self._connected.set()
        topics = [self.topics.ha_status, self.topics.config("+", "+"), f"{self.topics.base}/finding/#"]
        topics += [self.topics.commands] if self._answer else []
        client.subscribe([(t, QOS) for t in topics])
        client.publish(self.topics.availability, "online", qos=QOS, retain=True)
        self._republish()

    def _on_disconnect(self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _properties: Any) -> None:
        self._connected.clear()
        if reason.is_failure:
            self.quiet.problem("mqtt:lost", "lost the MQTT broker %s (%s); reconnecting", self.settings.host, reason)

    def _on_message(self, _client: Any, _userdata: Any, message: Any) -> None:
        topic, payload = str(message.topic), bytes(message.payload)
        if topic == self.topics.ha_status:
            if payload == b"online":
                log.info("Home Assistant came online: publishing the discovery configs again")
                self._republish()
            return
        press = self.topics.parse_command(topic)
        if press is not None:
            if payload == PRESS.encode() and not message.retain:
                self._answers.put(press)
                self._wake()
            return
        if message.retain and payload:  # a retained message of ours the broker kept from an earlier run
            with self._lock:
                self._stale.add(topic)
            self._clear_stale()

    def _republish(self) -> None:
        with self._lock:
            current = dict(self._retained)
        for topic, payload in current.items():
            self.client.publish(topic, payload, qos=QOS, retain=True)
        self._clear_stale()

    def _clear_stale(self) -> None:
        with self._lock:
            if not self._published:
                return
            gone = {t for t in self._stale if t not in self._retained}
            self._stale -= gone | set(self._retained)
        for topic in sorted(gone):
            self.client.publish(topic, b"", qos=QOS, retain=True)

    # The daemon's side.
    def _publish(self, update: Update) -> frozenset[Key]:
        kept = shown(update.findings)
        wanted = messages(kept, self.topics)
        with self._lock:
            old, self._retained = self._retained, wanted
            self._findings = {object_id(f.item.id, f.rule.id): f for f in kept}
            self._published = True
            self._stale |= set(old) - set(wanted)
        if self.one_shot and not self._connected.wait(self.timeout):
            raise ConnectionError(f"no connection to the MQTT broker {self.settings.host}:{self.settings.port}")
        if not self._connected.is_set():
            return frozenset()  # published on connect
        for topic, payload in wanted.items():
            if old.get(topic) != payload:
                self.client.publish(topic, payload, qos=QOS, retain=True)
        self._clear_stale()
        return frozenset()

    def poll(self) -> None:
        while True:
            try:
                oid, key = self._answers.get_nowait()
            except queue.Empty:
                return
            with self._lock:
                finding = self._findings.get(oid)
            action = actions.find(key)
            if finding is None or action is None or not action.records or self._answer is None:
                log.warning("ignored a button press for %s / %s: no such open finding or answer", oid, key)
                continue
            told = self._answer(notice_for(finding), key, "Home Assistant")
            log.info("button %s pressed for %s / %s: %s", key, finding.item.id, finding.rule.id, told or "")

    def close(self) -> None:
        try:
            if self._connected.is_set():
                if not self.one_shot:
                    self.client.publish(self.topics.availability, "offline", qos=QOS, retain=True)
                self._wait_delivered()
            self.client.disconnect()
        finally:
            self.client.loop_stop()

    def _wait_delivered(self) -> None:
        """A publish with QoS 1 is done once the broker acknowledged it: wait for the last one."""
        info = self.client.publish(
            f"{self.topics.base}/last_seen", dt.datetime.now(dt.timezone.utc).isoformat(), qos=QOS
        )
        info.wait_for_publish(self.timeout)


__all__ = ["OFF", "ON", "MqttOutlet"]
