"""What the MQTT outlet publishes, as pure functions of the findings: topics and retained payloads.

Every message is retained, so Home Assistant (or anything else) that connects later sees the current state.
Discovery configs go under ``<discovery_prefix>/<component>/<node_id>/<object_id>/config``; states,
attributes and availability under ``<topic_prefix>/<node_id>/``; button presses arrive on
``<topic_prefix>/<node_id>/command/<object_id>/<action>``. The node id keeps agents apart on one broker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agent import __version__
from agent.matching.finding import Finding
from agent.model import Item
from agent.notify import actions

ON, OFF, PRESS = "ON", "OFF", "PRESS"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True, slots=True)
class Topics:
    node_id: str
    discovery_prefix: str = "homeassistant"
    topic_prefix: str = "recall-agent"

    @property
    def base(self) -> str:
        return f"{self.topic_prefix}/{self.node_id}"

    @property
    def availability(self) -> str:
        return f"{self.base}/availability"

    @property
    def open_recalls(self) -> str:
        return f"{self.base}/open_recalls"

    @property
    def commands(self) -> str:
        return f"{self.base}/command/+/+"

    @property
    def ha_status(self) -> str:
        return f"{self.discovery_prefix}/status"

    def finding(self, object_id: str, what: str) -> str:
        return f"{self.base}/finding/{object_id}/{what}"

    def command(self, object_id: str, action: str) -> str:
        return f"{self.base}/command/{object_id}/{action}"

    def config(self, component: str, object_id: str) -> str:
        return f"{self.discovery_prefix}/{component}/{self.node_id}/{object_id}/config"

    def parse_command(self, topic: str) -> tuple[str, str] | None:
        """(object id, action) of a button press on this agent's command topics."""
        prefix = f"{self.base}/command/"
        if not topic.startswith(prefix):
            return None
        parts = topic[len(prefix) :].split("/")
        return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def object_id(item_id: str, rule_id: str) -> str:
    """One finding's id in topics; rule ids have no '_', so the last '__' splits it back unambiguously."""
    return _UNSAFE.sub("-", f"{item_id}__{rule_id}")


def agent_device(topics: Topics) -> dict[str, Any]:
    return {
        "identifiers": [f"recall_agent_{topics.node_id}"],
        "name": f"recall-agent {topics.node_id}",
        "manufacturer": "recall-agent",
        "model": "recall-agent",
        "sw_version": __version__,
    }


def item_device(item: Item, topics: Topics) -> dict[str, Any]:
    """The device a finding's entities belong to: the Home Assistant device the item came from, if HA can
    find it again by an MQTT identifier or a connection (a MAC address), else a device for the item."""
    ha = item.homeassistant
    if ha:
        identifiers = [i.split(":", 1)[1] for i in ha.identifiers if i.startswith("mqtt:")]
        connections = [c.split(":", 1) for c in ha.connections]
        if identifiers or connections:  # only what finds the device: its name and model stay HA's
            block: dict[str, Any] = {"identifiers": identifiers} if identifiers else {}
            return block | ({"connections": connections} if connections else {})
        # Not findable from MQTT: one device per HA device, shared by every agent that imports it.
        ident = f"recall_agent_ha_{ha.device_id}"
    else:
        ident = f"recall_agent_{topics.node_id}_{item.id}"
    device: dict[str, Any] = {"identifiers": [ident], "name": item.display_name[:100]}
    brand = item.brand or (ha.manufacturer if ha else "") or (item.usb.manufacturer if item.usb else "")
    model = item.model or (ha.model if ha else "") or (item.mdns.model if item.mdns else "")
    if brand:
        device["manufacturer"] = brand[:100]
    if model:
        device["model"] = model[:100]
    if item.location or (ha and ha.area):
        device["suggested_area"] = (item.location or (ha.area if ha else ""))[:100]
    if not ha:  # a device of this agent's own; an HA device's stand-in is shared with other agents
        device["via_device"] = f"recall_agent_{topics.node_id}"
    return device


def attributes(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    handled = finding.handled
    return {
        "item_id": finding.item.id,
        "item": finding.item.display_name,
        "rule_id": rule.id,
        "title": rule.title,
        "issuer": rule.issuer,
        "hazard": rule.hazard,
        "remedy": rule.remedy,
        "link": rule.url,
        "confidence": finding.confidence.label,
        "what_to_check": list(finding.to_check) or ([rule.check] if rule.check else []),
        "handled": handled.status.value if handled else None,
        "handled_on": handled.date.isoformat() if handled and handled.date else None,
    }


def answers(finding: Finding) -> tuple[actions.Action, ...]:
    """The buttons of an open finding: the answers that record a state in the inventory."""
    if finding.handled is not None:
        return ()
    return tuple(a for a in actions.actions_for(finding.confidence.label) if a.records)


def messages(findings: Sequence[Finding], topics: Topics, *, availability: bool = True) -> dict[str, str]:
    """Every retained message for this set of findings, topic to payload."""
    common: dict[str, Any] = {"availability_topic": topics.availability} if availability else {}
    out: dict[str, str] = {}
    open_count = 0
    for finding in findings:
        oid = object_id(finding.item.id, finding.rule.id)
        uid = f"recall_agent_{topics.node_id}_{oid}"
        device = item_device(finding.item, topics)
        sensor = {
            "name": f"Recall: {finding.rule.title}"[:120],
            "unique_id": uid,
            "object_id": uid,
            "device_class": "problem",
            "state_topic": topics.finding(oid, "state"),
            "json_attributes_topic": topics.finding(oid, "attributes"),
            "payload_on": ON,
            "payload_off": OFF,
            "device": device,
            **common,
        }
        out[topics.config("binary_sensor", oid)] = json.dumps(sensor)
        out[topics.finding(oid, "state")] = OFF if finding.handled else ON
        out[topics.finding(oid, "attributes")] = json.dumps(attributes(finding))
        open_count += finding.handled is None
        for action in answers(finding):
            button = {
                "name": f"{action.label}: {finding.rule.title}"[:120],
                "unique_id": f"{uid}__{action.key}",
                "object_id": f"{uid}__{action.key}",
                "command_topic": topics.command(oid, action.key),
                "payload_press": PRESS,
                "device": device,
                **common,
            }
            out[topics.config("button", f"{oid}__{action.key}")] = json.dumps(button)
    count = {
        "name": "Open recalls",
        "unique_id": f"recall_agent_{topics.node_id}_open_recalls",
        "object_id": f"recall_agent_{topics.node_id}_open_recalls",
        "state_topic": topics.open_recalls,
        "icon": "mdi:alert-octagon",
        "state_class": "measurement",
        "device": agent_device(topics),
        **common,
    }
    out[topics.config("sensor", "open_recalls")] = json.dumps(count)
    out[topics.open_recalls] = str(open_count)
    return out
