"""What the MQTT outlet publishes for a set of findings: topics, devices, states, buttons, the count."""

from __future__ import annotations

import datetime as dt
import json

from helpers import rule

from agent.matching.matcher import RuleIndex
from agent.model import HandledStatus, Handling, HomeAssistantFacts, Item
from agent.outlets.mqtt_messages import Topics, item_device, messages, object_id

PLUG = rule('[[products]]\nname = "Acme SP-100"\nbrands = ["Acme"]\nmodels = ["SP-100"]\n', "acme-2024-sp-100")
TOPICS = Topics("kitchen-pi")
TODAY = dt.date(2026, 1, 1)


def ha_item(item_id: str = "plug", **facts: object) -> Item:
    ha = HomeAssistantFacts(device_id="dev1", manufacturer="Acme", model="SP-100", name="Kitchen plug", **facts)  # type: ignore[arg-type]
    return Item(id=item_id, source="homeassistant", discovered="ha:dev1", homeassistant=ha)


def test_an_ha_device_found_by_mqtt_identifier_or_mac_keeps_its_own_name() -> None:
    item = ha_item(identifiers=("mqtt:zb_0x01", "zha:aa"), connections=("mac:aa:bb:cc:00:00:01",))
    assert item_device(item, TOPICS) == {"identifiers": ["zb_0x01"], "connections": [["mac", "aa:bb:cc:00:00:01"]]}


def test_an_ha_device_mqtt_cannot_find_gets_one_stand_in_shared_by_every_agent() -> None:
    item = ha_item(identifiers=("hue:abc",), area="Kitchen")
    for node in ("kitchen-pi", "attic-pi"):
        assert item_device(item, Topics(node)) == {
            "identifiers": ["recall_agent_ha_dev1"],
            "name": "Kitchen plug",
            "manufacturer": "Acme",
            "model": "SP-100",
            "suggested_area": "Kitchen",
        }


def test_a_typed_in_item_gets_a_device_of_this_agent() -> None:
    item = Item(id="plug", name="Plug in the hall", brand="Acme", model="SP-100", location="Hall")
    assert item_device(item, TOPICS) == {
        "identifiers": ["recall_agent_kitchen-pi_plug"],
        "name": "Plug in the hall",
        "manufacturer": "Acme",
        "model": "SP-100",
        "suggested_area": "Hall",
        "via_device": "recall_agent_kitchen-pi",
    }


def test_open_finding_is_on_with_buttons_and_counted() -> None:
    [finding] = RuleIndex([PLUG]).match([ha_item(identifiers=("mqtt:zb_0x01",))], TODAY)
    out = messages([finding], TOPICS)
    oid = object_id("plug", "acme-2024-sp-100")
    assert oid == "plug__acme-2024-sp-100"
    config = json.loads(out[f"homeassistant/binary_sensor/kitchen-pi/{oid}/config"])
    assert config["device_class"] == "problem" and config["unique_id"] == f"recall_agent_kitchen-pi_{oid}"
    assert config["state_topic"] == f"recall-agent/kitchen-pi/finding/{oid}/state"
    assert config["availability_topic"] == "recall-agent/kitchen-pi/availability"
    assert out[f"recall-agent/kitchen-pi/finding/{oid}/state"] == "ON"
    attributes = json.loads(out[f"recall-agent/kitchen-pi/finding/{oid}/attributes"])
    assert attributes["rule_id"] == "acme-2024-sp-100" and attributes["confidence"] == "confirmed"
    assert (
        attributes["hazard"] == PLUG.hazard and attributes["remedy"] == PLUG.remedy and attributes["link"] == PLUG.url
    )
    buttons = sorted(t for t in out if t.startswith("homeassistant/button/"))
    assert buttons == [
        f"homeassistant/button/kitchen-pi/{oid}__{a}/config" for a in ("disposed", "repaired", "returned")
    ]
    press = json.loads(out[buttons[2]])
    assert press["command_topic"] == f"recall-agent/kitchen-pi/command/{oid}/returned" and press["name"].startswith(
        "Done: returned"
    )
    assert out["recall-agent/kitchen-pi/open_recalls"] == "1"
    assert TOPICS.parse_command(press["command_topic"]) == (oid, "returned")


def test_handled_finding_is_off_without_buttons_and_not_counted() -> None:
    handled = Handling(rule="acme-2024-sp-100", status=HandledStatus.RETURNED, date=TODAY)
    item = Item(id="plug", brand="Acme", model="SP-100", handled=(handled,))
    [finding] = RuleIndex([PLUG]).match([item], TODAY)
    out = messages([finding], TOPICS, availability=False)
    oid = object_id("plug", "acme-2024-sp-100")
    assert out[f"recall-agent/kitchen-pi/finding/{oid}/state"] == "OFF"
    assert json.loads(out[f"recall-agent/kitchen-pi/finding/{oid}/attributes"])["handled"] == "returned"
    assert not [t for t in out if "/button/" in t]
    assert out["recall-agent/kitchen-pi/open_recalls"] == "0"
    assert all("availability_topic" not in json.loads(v) for t, v in out.items() if t.endswith("/config"))


def test_two_agents_never_share_a_topic() -> None:
    [finding] = RuleIndex([PLUG]).match([Item(id="plug", brand="Acme", model="SP-100")], TODAY)
    first, second = messages([finding], Topics("a")), messages([finding], Topics("b"))
    assert not set(first) & set(second)
    ids = [json.loads(v)["unique_id"] for t, v in (*first.items(), *second.items()) if t.endswith("/config")]
    assert len(ids) == len(set(ids))
