"""Findings in a real Home Assistant over MQTT discovery: the entity lands on the device the item came from,
turns off once handled, its button records the answer, and two agents share the device without a copy."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import write
from helpers import rule_text

from .agentproc import RECALLED_PLUG, private_file
from .bridge import Client, announce_device
from .conftest import HomeStack
from .daemons import RunningAgent

OID = "kitchen-plug__acme-2024-sp-100"


def until(check: Callable[[], Any], what: str, timeout: float = 40, log: Callable[[], str] = str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}\n{log()[-4000:]}")
        time.sleep(0.2)


def start_agent(stack: HomeStack, tmp_path: Path, node: str) -> RunningAgent:
    home = tmp_path / node
    config = home / "config" / "recall-agent"
    private_file(config / "ha.token", stack.ha.token)
    write(config / "rules" / "acme.toml", rule_text("acme-2024-sp-100", RECALLED_PLUG))
    private_file(
        config / "config.toml",
        f'[agent]\noutlets = ["log", "mqtt"]\n\n[homeassistant]\nurl = "{stack.ha.base}"\ntoken_file = "ha.token"\n\n'
        f'[mqtt]\nhost = "127.0.0.1"\nport = {stack.broker.port}\nnode_id = "{node}"\n',
    )
    return RunningAgent(home, [], ns=stack.ns)


def registry(stack: HomeStack, kind: str) -> list[dict[str, Any]]:
    with stack.ha.ws() as ha:
        return list(ha.call(f"config/{kind}_registry/list"))


def entity(stack: HomeStack, unique_id: str) -> dict[str, Any] | None:
    return next((e for e in registry(stack, "entity") if e["unique_id"] == unique_id), None)


def state(stack: HomeStack, entity_id: str) -> dict[str, Any] | None:
    with stack.ha.ws() as ha:
        return next((s for s in ha.call("get_states") if s["entity_id"] == entity_id), None)


def test_findings_become_entities_of_the_ha_device_and_buttons_reach_the_inventory(
    stack: HomeStack, tmp_path: Path
) -> None:
    bridge = Client(stack.broker.port, stack.ns)
    device = {
        "identifiers": ["zb_0x11"],
        "connections": [["mac", "aa:bb:cc:00:00:11"]],
        "manufacturer": "Acme",
        "model": "SP-100",
        "name": "Kitchen plug",
    }
    announce_device(bridge, "plug11", device)
    plug = until(
        lambda: next((d for d in registry(stack, "device") if d["name"] == "Kitchen plug"), None), "the plug in HA"
    )
    agents = [start_agent(stack, tmp_path, node) for node in ("kitchen-pi", "attic-pi")]
    try:
        sensors = {}
        for agent, node in zip(agents, ("kitchen-pi", "attic-pi"), strict=True):
            found = functools.partial(entity, stack, f"recall_agent_{node}_{OID}")
            sensors[node] = until(found, f"{node}'s entity", log=agent.output)
            assert sensors[node]["device_id"] == plug["id"], "the finding must be on the device the item came from"
            assert sensors[node]["platform"] == "mqtt"
        on = until(
            lambda: (
                (state(stack, sensors["kitchen-pi"]["entity_id"]) or {}).get("state") == "on"
                and state(stack, sensors["kitchen-pi"]["entity_id"])
            ),
            "the sensor on",
            log=agents[0].output,
        )
        assert on["attributes"]["device_class"] == "problem"
        assert on["attributes"]["rule_id"] == "acme-2024-sp-100" and on["attributes"]["confidence"] == "confirmed"
        assert [d["name"] for d in registry(stack, "device")].count("Kitchen plug") == 1  # both agents, one device
        count = until(lambda: entity(stack, "recall_agent_kitchen-pi_open_recalls"), "the count sensor")
        assert until(lambda: (state(stack, count["entity_id"]) or {}).get("state") == "1", "one open recall")

        button = until(lambda: entity(stack, f"recall_agent_kitchen-pi_{OID}__returned"), "the Done: returned button")
        assert button["device_id"] == plug["id"]
        stack.ha.http("POST", "/api/services/button/press", {"entity_id": button["entity_id"]})  # a person presses it

        recorded = agents[0].inventory
        until(
            lambda: 'status = "returned"' in recorded.read_text(), "the answer in the inventory", log=agents[0].output
        )
        assert "answered on Home Assistant" in recorded.read_text()
        off = until(
            lambda: (state(stack, sensors["kitchen-pi"]["entity_id"]) or {}).get("state") == "off",
            "the sensor off",
            log=agents[0].output,
        )
        assert off
        assert until(lambda: (state(stack, count["entity_id"]) or {}).get("state") == "0", "no open recall")
        assert (state(stack, sensors["attic-pi"]["entity_id"]) or {})[
            "state"
        ] == "on"  # the other agent's own inventory
    finally:
        for agent in agents:
            agent.stop()
        bridge.close()
    gone = until(
        lambda: (state(stack, sensors["attic-pi"]["entity_id"]) or {}).get("state") == "unavailable",
        "unavailable once stopped",
    )
    assert gone
