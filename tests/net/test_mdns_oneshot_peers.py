"""A scan right after another querier asked, on a host whose own avahi-daemon holds port 5353 too.

Each responder has just multicast what the scan asks for, so it stays silent to the scan's first
multicast query and answers its unicast-response (QU) questions by unicast to port 5353, where the
kernel may hand the answer to the host's avahi-daemon instead of the scan. The scan's one-shot
questions from an ephemeral port (agent/sources/mdns/oneshot.py) are answered to that port alone.

Topology (all created here, nothing on the host's interfaces)::

    ra-avahi-X  (avahi-daemon: printer, Chromecast, Sonos speaker)  --veth--+-- ra-scan-X (MdnsSource, and
    ra-zc-X     (python-zeroconf: heater, lamp, Matter plug, ...)   --veth--+   an avahi-daemon of its own)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .netns import HERE, Avahi, Lan, Link, Publisher, scan
from .test_mdns_peers import EXPECTED, avahi_groups, avahi_hosts, zeroconf_services

pytestmark = [pytest.mark.netns, pytest.mark.slow]

WINDOW = 3.0
SCANS = 3  # the kernel picks the socket for each answer: a few scans give each pick its chance


@dataclass
class Desktop:
    lan: Lan
    avahi: Link
    zc: Link


@pytest.fixture(scope="module")
def desktop(avahi_ok: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    with Lan.create() as lan:
        avahi_link, zc_link = lan.add_peer("avahi"), lan.add_peer("zc")
        with (
            Avahi.start(avahi_link, tmp_path_factory.mktemp("avahi"), avahi_groups(), avahi_hosts(avahi_link)),
            Publisher.start(zc_link, zeroconf_services(zc_link)),
            Avahi.start(lan.scanner_side(avahi_link), tmp_path_factory.mktemp("local-avahi"), {}),
        ):
            yield Desktop(lan, avahi_link, zc_link)


def identities(result: dict[str, Any]) -> set[str]:
    return {o["identity"] for o in result["observations"]}


PRINTER = ("_ipp._tcp.local.", "HP LaserJet 1000._ipp._tcp.local.")


def test_one_shot_questions_are_answered_at_once_to_their_own_port(desktop: Desktop) -> None:
    args = ["_ipp._tcp.local.", "_hap._tcp.local.", "--service", *PRINTER, "--ask-first"]
    done = desktop.lan.scan.python([str(HERE / "oneshot_once.py"), *args])
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert desktop.avahi.address(1) in out["responders"]  # avahi-daemon answered by unicast to the port
    assert desktop.zc.address(1) in out["responders"]  # and so did python-zeroconf
    assert PRINTER[1] in out["services"]["_ipp._tcp.local."]
    assert any(name.startswith("Govee") for name in out["services"]["_hap._tcp.local."])
    assert out["resolved"]["server"] == "printer.local."
    assert out["resolved"]["txt"]["UUID"] == EXPECTED["printer"].removeprefix("mdns:uuid:")


def test_every_device_is_read_in_full_right_after_another_querier_asked(desktop: Desktop) -> None:
    expected = {v for k, v in EXPECTED.items() if k != "nest"}  # the IPv6-only peer is not on this network
    for _ in range(SCANS):
        result = scan(desktop.lan.scan, "--window", str(WINDOW), "--ask-first")
        assert identities(result) == expected
        assert not any("did not answer" in w for w in result["warnings"])
        assert result["elapsed"] < WINDOW
