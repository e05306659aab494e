"""The one-shot browse ends when the network is quiet: against avahi-daemon and a device that answers late.

Topology (all created here, nothing on the host's interfaces)::

    ra-avahi-X  (avahi-daemon: 12 device services)                     --veth--+-- ra-scan-X (MdnsSource)
    ra-late-X   (late_responder.py: a heater answering 1 s after a question) --veth--+
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.sources.mdns.quiet import FIRST_QUERY_DELAY, LATE_ANSWER, QUIET

from .netns import Avahi, AvahiService, Lan, LateResponder, avahi_group_xml, scan

pytestmark = [pytest.mark.netns, pytest.mark.slow]

WINDOW = 6.0
SERVICES = 12
SETTLE = 8.0  # avahi-daemon announces a new service at 0, 1, 3 and 7 s; scans start after that


def groups() -> dict[str, str]:
    return {
        f"heater-{n:02d}.service": avahi_group_xml(
            f"Heater {n:02d}", [AvahiService("_hap._tcp", 80, {"md": f"Heater {n}", "id": f"8A:3C:11:72:0B:{n:02X}"})]
        )
        for n in range(SERVICES)
    }


def models(result: dict[str, Any]) -> set[str]:
    return {o["mdns"]["model"] for o in result["observations"] if o["mdns"]}


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory, avahi_ok: None) -> Iterator[Lan]:
    with Lan.create() as lan, Avahi.start(lan.add_peer("avahi"), tmp_path_factory.mktemp("avahi"), groups()):
        time.sleep(SETTLE)
        yield lan


def test_fast_responders_end_the_scan_long_before_the_window(network: Lan) -> None:
    result = scan(network.scan, "--window", str(WINDOW))
    assert models(result) == {f"Heater {n}" for n in range(SERVICES)}
    assert LATE_ANSWER <= result["elapsed"] < FIRST_QUERY_DELAY + LATE_ANSWER + QUIET + 0.5
    assert result["progress_done"][-1] is True


def test_a_responder_a_second_late_within_the_window_is_still_found(network: Lan, tmp_path: Path) -> None:
    link = network.add_peer("late")
    with LateResponder.start(
        link, "Late Heater", {"md": "Sleepy Heater", "id": "8A:3C:11:72:0B:FF"}, delay=1.0
    ) as late:
        result = scan(network.scan, "--window", str(WINDOW))
        assert any("answered" in line for line in late.lines)
    assert models(result) == {f"Heater {n}" for n in range(SERVICES)} | {"Sleepy Heater"}
    assert 1.0 + QUIET <= result["elapsed"] < WINDOW
    assert not result["warnings"]


def test_a_responder_later_than_the_window_allows_is_not_waited_for(network: Lan) -> None:
    link = network.add_peer("later")
    with LateResponder.start(link, "Later Heater", {"md": "Sleepier Heater"}, delay=2.5):
        result = scan(network.scan, "--window", "1.5")
    assert "Sleepier Heater" not in models(result)
    assert len(models(result)) == SERVICES
    assert result["elapsed"] < 1.5 + 0.3
