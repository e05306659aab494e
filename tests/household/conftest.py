"""Fixtures: mosquitto, and Home Assistant with mosquitto inside a loopback-only network namespace."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import skip_or_fail
from net.netns import Netns

from .peers import HomeAssistant, Mosquitto, ha_missing, mosquitto_missing


@dataclass
class HomeStack:
    ns: Netns
    broker: Mosquitto
    ha: HomeAssistant


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    """mosquitto on 127.0.0.1 with a free port, anonymous."""
    if mosquitto_missing():
        skip_or_fail(mosquitto_missing())
    broker = Mosquitto(tmp_path / "mosquitto")
    yield broker
    broker.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HomeStack]:
    """One Home Assistant (onboarded, MQTT set up) and its broker in a namespace of their own, per module."""
    reason = ha_missing() or mosquitto_missing()
    if reason:
        skip_or_fail(reason)
    folder = tmp_path_factory.mktemp("home")
    ns = Netns.create("ha", secrets.token_hex(3))
    broker: Mosquitto | None = None
    ha: HomeAssistant | None = None
    try:
        broker = Mosquitto(folder / "mosquitto", ns)
        ha = HomeAssistant(folder / "homeassistant", ns, broker.port)
        yield HomeStack(ns, broker, ha)
    finally:
        if ha:
            ha.close()
        if broker:
            broker.close()
        ns.close()
