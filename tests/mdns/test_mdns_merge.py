"""Services -> devices: one Observation per physical device, identified by stable facts only."""

from __future__ import annotations

import itertools

import pytest

from agent.model import MdnsFacts
from agent.record import replace
from agent.sources.mdns.merge import (
    MAX_DEVICE_TXT,
    mac_id,
    observations_from_services,
    stable_ids,
)


def svc(
    type_: str,
    instance: str,
    host: str = "",
    txt: dict[str, str] | None = None,
    model: str = "",
    *,
    addresses: tuple[str, ...] = (),
) -> MdnsFacts:
    return MdnsFacts(
        instance=instance,
        hostname=host,
        services=(type_,),
        txt=tuple(sorted((txt or {}).items())),
        model=model,
        addresses=addresses,
    )


PRINTER = [
    svc(
        "_ipp._tcp",
        "HP LaserJet 1000",
        "printer.local",
        {"usb_mfg": "HP", "uuid": "1B1C-AA"},
        "LaserJet 1000",
        addresses=("10.0.0.11",),
    ),
    svc("_printer._tcp", "HP LaserJet 1000", "printer.local", addresses=("10.0.0.11", "fe80::11")),
    svc("_http._tcp", "HP LaserJet 1000", "printer.local", {"path": "/"}),
]


def test_one_printer_announcing_three_services_is_one_device() -> None:
    [obs] = observations_from_services(PRINTER)
    assert obs.identity == "mdns:uuid:1b1c-aa"
    assert obs.source == "mdns"
    assert obs.locator == "10.0.0.11"
    assert obs.mdns is not None
    assert obs.mdns.services == ("_http._tcp", "_ipp._tcp", "_printer._tcp")
    assert obs.mdns.model == "LaserJet 1000"
    assert obs.mdns.addresses == ("10.0.0.11", "fe80::11")
    assert obs.mdns.txt == (("path", "/"), ("usb_mfg", "HP"), ("uuid", "1B1C-AA"))


def test_order_of_answers_does_not_change_the_result() -> None:
    results = {tuple(observations_from_services(list(p))) for p in itertools.permutations(PRINTER)}
    assert len(results) == 1


def test_identity_ignores_addresses() -> None:
    moved = [replace(s, addresses=("10.9.9.9",)) for s in PRINTER]
    assert [o.identity for o in observations_from_services(moved)] == ["mdns:uuid:1b1c-aa"]


def test_two_chromecasts_with_one_name_stay_two_devices() -> None:
    found = observations_from_services(
        [
            svc("_googlecast._tcp", "Living Room", "aaa.local", {"id": "4F5E01"}, "Chromecast"),
            svc("_googlecast._tcp", "Living Room", "bbb.local", {"id": "9C0D02"}, "Chromecast"),
        ]
    )
    assert [o.identity for o in found] == ["mdns:cast:4f5e01", "mdns:cast:9c0d02"]


def test_a_print_server_with_two_printers_is_split_by_instance() -> None:
    found = observations_from_services(
        [
            svc("_ipp._tcp", "Office HP", "nas.local", {"uuid": "u-1"}, "LaserJet 1000"),
            svc("_printer._tcp", "Office HP", "nas.local"),
            svc("_ipp._tcp", "Kitchen Canon", "nas.local", {"uuid": "u-2"}, "MF640C"),
            svc("_printer._tcp", "Kitchen Canon", "nas.local"),
        ]
    )
    assert [(o.identity, o.mdns.services if o.mdns else ()) for o in found] == [
        ("mdns:uuid:u-1", ("_ipp._tcp", "_printer._tcp")),
        ("mdns:uuid:u-2", ("_ipp._tcp", "_printer._tcp")),
    ]


def test_the_same_id_on_two_host_names_is_one_device() -> None:
    found = observations_from_services(
        [
            svc("_hap._tcp", "Heater", "govee-1.local", {"id": "12:34:56:78:9A:BC", "md": "H7131"}, "H7131"),
            svc("_hap._tcp", "Heater", "govee-1-2.local", {"id": "12:34:56:78:9A:BC", "md": "H7131"}, "H7131"),
        ]
    )
    assert [o.identity for o in found] == ["mdns:hap:123456789abc"]


def test_raop_mac_prefix_links_to_airplay_device_id() -> None:
    found = observations_from_services(
        [
            svc("_airplay._tcp", "Bedroom", "tv-a.local", {"deviceid": "58:55:CA:00:11:22"}, "AppleTV6,2"),
            svc("_raop._tcp", "5855CA001122@Bedroom", "tv-b.local", {"am": "AppleTV6,2"}),
        ]
    )
    assert [o.identity for o in found] == ["mdns:mac:5855ca001122"]


def test_randomised_mac_is_never_an_identity() -> None:
    [obs] = observations_from_services(
        [
            svc("_airplay._tcp", "Phone", "phone.local", {"deviceid": "DA:A1:19:00:11:22"}, "iPhone14,2"),
        ]
    )
    assert obs.identity == "mdns:host:phone"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("58:55:CA:00:11:22", "5855ca001122"),
        ("58-55-ca-00-11-22", "5855ca001122"),
        ("5855.ca00.1122", "5855ca001122"),
        ("DA:A1:19:00:11:22", ""),  # locally administered: randomised
        ("01:00:5e:00:00:fb", ""),  # multicast
        ("00:00:00:00:00:00", ""),
        ("not a mac", ""),
    ],
)
def test_mac_id(raw: str, expected: str) -> None:
    assert mac_id(raw) == expected


def test_ids_are_ordered_strongest_first() -> None:
    facts = svc("_hap._tcp", "Plug", "plug.local", {"id": "AA:BB", "mac": "00:11:22:33:44:55", "sn": "X1"}, "P100")
    assert stable_ids(facts) == (("hap", "aabb"), ("serial", "p100:x1"), ("mac", "001122334455"))


def test_matter_operational_instance_is_an_id() -> None:
    facts = svc("_matter._tcp", "87E1B004D1C5C1F2-0000000000000003", "m.local")
    assert stable_ids(facts) == (("matter", "87e1b004d1c5c1f2-0000000000000003"),)


def test_without_ids_the_host_name_then_the_instance_names_the_device() -> None:
    found = observations_from_services(
        [
            svc("_spotify-connect._tcp", "Speaker", "speaker.local"),
            svc("_sonos._tcp", "Den", ""),
        ]
    )
    assert [o.identity for o in found] == ["mdns:host:speaker", "mdns:instance:_sonos._tcp:den"]


def test_an_unresolved_service_joins_the_device_with_its_instance_name() -> None:
    found = observations_from_services([*PRINTER, svc("_ipps._tcp", "HP LaserJet 1000")])
    assert len(found) == 1
    assert found[0].mdns is not None
    assert "_ipps._tcp" in found[0].mdns.services


def test_a_web_server_alone_is_not_a_device_unless_it_names_a_model() -> None:
    assert observations_from_services([svc("_http._tcp", "router admin", "router.local")]) == []
    assert observations_from_services([svc("_workstation._tcp", "pc", "pc.local")]) == []
    [obs] = observations_from_services([svc("_http._tcp", "Camera", "cam.local", model="C200")])
    assert obs.mdns is not None
    assert obs.mdns.model == "C200"


def test_a_known_device_type_is_enough() -> None:
    [obs] = observations_from_services([svc("_googlecast._tcp", "TV", "tv.local")])
    assert obs.identity == "mdns:host:tv"


def test_merged_txt_is_capped() -> None:
    services = [svc("_hap._tcp", "Hub", "hub.local", {f"k{i}": f"v{j}" for i in range(64)}) for j in range(4)]
    [obs] = observations_from_services(services)
    assert obs.mdns is not None
    assert len(obs.mdns.txt) == MAX_DEVICE_TXT


def test_model_comes_from_the_most_telling_service() -> None:
    [obs] = observations_from_services(
        [
            svc("_http._tcp", "Heater", "h.local", model="web-ui"),
            svc("_device-info._tcp", "Heater", "h.local", model="H7131-info"),
            svc("_hap._tcp", "Heater", "h.local", model="H7131"),
        ]
    )
    assert obs.mdns is not None
    assert obs.mdns.model == "H7131"
