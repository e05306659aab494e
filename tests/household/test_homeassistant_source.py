"""Home Assistant as an inventory source: its device registry, read over the WebSocket API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import write
from helpers import rule_text

from agent.inventory import store
from agent.sources.homeassistant.source import facts_from_device, observations_from_registry

from .agentproc import RECALLED_PLUG, private_file, run_cli, scan_json
from .bridge import Client, announce_device
from .conftest import HomeStack

DEVICE: dict[str, Any] = {
    "id": "d1",
    "identifiers": [["mqtt", "zb_0x01"], ["bad"]],
    "connections": [["mac", "aa:bb:cc:00:00:01"]],
    "manufacturer": "Acme",
    "model": "Smart Plug\x1b[31m SP-100",
    "model_id": None,
    "name": "Plug",
    "name_by_user": "Kitchen\u202e plug",
    "serial_number": "S1",
    "sw_version": "1.0",
    "hw_version": None,
    "area_id": "kitchen",
    "entry_type": None,
    "disabled_by": None,
}


def test_registry_entry_becomes_facts() -> None:
    facts = facts_from_device(DEVICE, {"kitchen": "Kitchen"})
    assert facts is not None
    assert facts.identifiers == ("mqtt:zb_0x01",) and facts.connections == ("mac:aa:bb:cc:00:00:01",)
    assert facts.model == "Smart Plug SP-100"  # escape sequences never reach the inventory
    assert facts.name_by_user == "Kitchen plug" and facts.label == "Kitchen plug"
    assert facts.area == "Kitchen" and facts.hw_version == "" and facts.model_id == ""


def test_services_and_disabled_devices_are_skipped() -> None:
    devices = [
        DEVICE,
        {**DEVICE, "id": "d2", "entry_type": "service", "name": "Sun"},
        {**DEVICE, "id": "d3", "disabled_by": "user"},
        {"id": "", "name": "no id"},
        "not a device",
    ]
    found = observations_from_registry(devices, {})  # type: ignore[arg-type]
    assert [o.identity for o in found] == ["ha:d1"]
    with_services = observations_from_registry(devices, {}, include_services=True)  # type: ignore[arg-type]
    assert [o.identity for o in with_services] == ["ha:d1", "ha:d2"]


def ha_config(folder: Path, url: str, token: str) -> Path:
    private_file(folder / "ha.token", token + "\n")
    return write(folder / "config.toml", f'[homeassistant]\nurl = "{url}"\ntoken_file = "ha.token"\n')


def registry(stack: HomeStack) -> list[dict[str, Any]]:
    with stack.ha.ws() as ha:
        return list(ha.call("config/device_registry/list"))


def test_ha_devices_become_items_and_a_recalled_one_is_found(stack: HomeStack, tmp_path: Path) -> None:
    bridge = Client(stack.broker.port, stack.ns)
    try:
        announce_device(
            bridge,
            "plug1",
            {
                "identifiers": ["zb_0x01"],
                "connections": [["mac", "aa:bb:cc:00:00:01"]],
                "manufacturer": "Acme",
                "model": "SP-100",
                "name": "Kitchen plug",
                "serial_number": "A1B2C3",
                "suggested_area": "Kitchen",
            },
        )
        announce_device(
            bridge, "lamp1", {"identifiers": ["zb_0x02"], "manufacturer": "Globex", "model": "L-7", "name": "Hall lamp"}
        )
        announce_device(
            bridge,
            "old1",
            {"identifiers": ["zb_0x03"], "manufacturer": "Acme", "model": "SP-100", "name": "Spare plug"},
        )
        bridge.wait(
            lambda: len([d for d in registry(stack) if d["manufacturer"] in ("Acme", "Globex")]) >= 3,
            "three devices in HA",
        )
    finally:
        bridge.close()
    spare = next(d for d in registry(stack) if d["name"] == "Spare plug")
    with stack.ha.ws() as ha:  # the person disabled the spare plug in Home Assistant
        ha.call("config/device_registry/update", device_id=spare["id"], disabled_by="user")
    rules = write(tmp_path / "rules" / "acme.toml", rule_text("acme-2024-sp-100", RECALLED_PLUG))
    config = ha_config(tmp_path, stack.ha.base, stack.ha.token)

    report = scan_json(stack.ns, "--source", "homeassistant", "--config", str(config), "--rules", str(rules.parent))

    items = store.load(Path(report["inventory"])).items
    names = {i.display_name: i for i in items}
    assert {"Kitchen plug", "Hall lamp"} <= set(names) and "Spare plug" not in names
    assert all(i.source == "homeassistant" for i in items)
    [finding] = report["findings"]
    assert finding["rule"]["id"] == "acme-2024-sp-100" and finding["item"]["name"] == "Kitchen plug"
    assert finding["confidence"] == "confirmed" and finding["notify"] is True
    plug = names["Kitchen plug"]
    assert plug.homeassistant is not None and plug.homeassistant.area == "Kitchen"
    assert plug.homeassistant.serial_number == "A1B2C3"
    assert "mqtt:zb_0x01" in plug.homeassistant.identifiers and plug.discovered.startswith("ha:")
    assert plug.name == "" and plug.brand == ""  # what the person types stays theirs


def test_unreachable_or_refused_home_assistant_is_skipped_with_the_reason(stack: HomeStack, tmp_path: Path) -> None:
    refused = ha_config(tmp_path / "bad-token", stack.ha.base, "not-a-token")
    report = scan_json(stack.ns, "--source", "homeassistant", "--config", str(refused))
    [source] = [s for s in report["sources"] if s["name"] == "homeassistant"]
    assert "refused the access token" in source["skipped"]
    nobody = ha_config(tmp_path / "nobody", "http://127.0.0.1:9", stack.ha.token)
    report = scan_json(stack.ns, "--source", "homeassistant", "--config", str(nobody))
    [source] = [s for s in report["sources"] if s["name"] == "homeassistant"]
    assert source["skipped"].startswith("cannot read http://127.0.0.1:9: ")
    done = run_cli(stack.ns, "scan", "--no-network", "--source", "homeassistant")
    assert done.code == 0 and "not configured" in done.out + done.err


def test_a_device_added_to_ha_again_keeps_its_item(tmp_path: Path) -> None:
    import datetime as dt

    from agent.inventory.merge import merge

    inventory = tmp_path / "inventory.toml"
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    merge(inventory, observations_from_registry([DEVICE], {}), now)
    [item] = store.load(inventory).items
    readded = {**DEVICE, "id": "d9", "name_by_user": None}  # removed from HA and paired again: a new id
    merge(inventory, observations_from_registry([readded], {}), now + dt.timedelta(days=1))
    [again] = store.load(inventory).items
    assert again.id == item.id and again.homeassistant is not None and again.homeassistant.device_id == "d9"
    other = {**DEVICE, "id": "d10", "identifiers": [["mqtt", "zb_0x77"]], "connections": []}
    merge(inventory, observations_from_registry([readded, other], {}), now + dt.timedelta(days=2))
    assert len(store.load(inventory).items) == 2  # a different device is a different item
