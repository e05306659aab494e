"""MdnsSource against real responders: Debian's avahi-daemon and python-zeroconf, each in its own namespace.

Topology (all created here, nothing on the host's interfaces)::

    ra-avahi-X  (avahi-daemon: printer, Chromecast, Sonos speaker)  --veth--+
    ra-zc-X     (python-zeroconf: Govee heater and lamp, Matter plug,    --veth--+-- ra-scan-X (MdnsSource)
                 a hostile device, a web server)                                 |
    ra-v6-X     (python-zeroconf over IPv6 only: Nest Hub)              --veth--+
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import rule_text

from agent.sources.mdns.source import RESOLVE_GRACE

from .netns import Avahi, AvahiService, Lan, Link, Published, Publisher, avahi_group_xml, scan

pytestmark = [pytest.mark.netns, pytest.mark.slow]

WINDOW = "2.5"
PRINTER_UUID = "564e4333-4230-3035-3738-a0b3cc1a2b3c"
CAST_ID = "4f5e9b1c0d2e4a6b8c0d1e2f3a4b5c6d"
HEATER_HAP_ID = "8A:3C:11:72:0B:5E"
MATTER_INSTANCE = "87E1B004D1C5C1F2-0000000000000003"

EXPECTED = {
    "printer": f"mdns:uuid:{PRINTER_UUID}",
    "cast": f"mdns:cast:{CAST_ID}",
    "speaker": "mdns:mac:5caafd010203",
    "heater": "mdns:hap:8a3c11720b5e",
    "lamp": "mdns:host:govee-h6159",
    "matter": f"mdns:matter:{MATTER_INSTANCE.lower()}",
    "hostile": "mdns:host:evil",
    "nest": "mdns:cast:9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f",
}


def avahi_groups() -> dict[str, str]:
    printer = [
        AvahiService(
            "_ipp._tcp",
            631,
            {
                "txtvers": "1",
                "rp": "ipp/print",
                "ty": "HP LaserJet 1000",
                "product": "(HP LaserJet 1000)",
                "usb_MFG": "HP",
                "usb_MDL": "LaserJet 1000",
                "UUID": PRINTER_UUID,
            },
        ),
        AvahiService("_printer._tcp", 515),
        AvahiService("_pdl-datastream._tcp", 9100, {"ty": "HP LaserJet 1000"}),
    ]
    cast = [
        AvahiService(
            "_googlecast._tcp",
            8009,
            {
                "id": CAST_ID,
                "md": "Chromecast Ultra",
                "fn": "Living Room TV",
                "ve": "05",
                "ca": "4101",
            },
        )
    ]
    speaker = [
        AvahiService("_airplay._tcp", 7000, {"manufacturer": "Sonos", "model": "One", "deviceid": "5C:AA:FD:01:02:03"}),
        AvahiService("_spotify-connect._tcp", 1400, {"CPath": "/spotifyzc", "VERSION": "1.0"}),
        AvahiService("_sonos._tcp", 1443, {"info": "/api/v1/players/RINCON_5CAAFD010203/info"}),
    ]
    raop = [AvahiService("_raop._tcp", 7000, {"am": "One", "tp": "UDP"})]
    return {
        "printer.service": avahi_group_xml("HP LaserJet 1000", printer, "printer.local"),
        "cast.service": avahi_group_xml("Chromecast-Ultra-4f5e9b1c", cast, "4f5e9b1c-cast.local"),
        "speaker.service": avahi_group_xml("Kitchen", speaker, "sonos-kitchen.local"),
        "speaker-raop.service": avahi_group_xml("5CAAFD010203@Kitchen", raop, "sonos-kitchen.local"),
    }


def avahi_hosts(link: Link) -> dict[str, str]:
    return {
        "printer.local": link.address(11),
        "4f5e9b1c-cast.local": link.address(12),
        "sonos-kitchen.local": link.address(13),
    }


def txt_record(*entries: bytes) -> bytes:
    return b"".join(bytes([len(e)]) + e for e in entries)


HOSTILE_TXT = txt_record(
    b"usb_MFG=\x1b[2J\x1b[31mHP\x1b[0m",
    "usb_MDL=Laser\u202ejet".encode() + b"\xff\xfe",
    b"note=<b>bold</b>\r\nFINDING: none, all safe",
    b"title=\x1b]0;owned\x07ok",
    b"huge=" + b"X" * 240,
    b"\xff\xfe=binary key",
    *(f"k{i:03}=v".encode() for i in range(200)),
)


def zeroconf_services(link: Link) -> list[Published]:
    heater_addresses = [link.address(21), link.address(21, v6=True)]
    heater_host = "govee-h7131-0b5e.local."
    return [
        Published(
            "_hap._tcp.local.",
            "Govee Heater H7131._hap._tcp.local.",
            heater_host,
            heater_addresses,
            txt={b"md": b"H7131", b"id": HEATER_HAP_ID.encode(), b"ci": b"21", b"c#": b"2", b"sf": b"1"},
        ),
        Published(
            "_device-info._tcp.local.",
            "Govee Heater H7131._device-info._tcp.local.",
            heater_host,
            heater_addresses,
            txt={b"model": b"H7131"},
        ),
        Published(
            "_http._tcp.local.",
            "Govee Heater H7131._http._tcp.local.",
            heater_host,
            heater_addresses,
            txt={b"path": b"/"},
        ),
        # Only the type enumeration leads to this one: its service type is on no list.
        Published(
            "_govee-lan._tcp.local.",
            "Govee Lamp._govee-lan._tcp.local.",
            "govee-h6159.local.",
            [link.address(22)],
            txt={b"manufacturer": b"Govee", b"model": b"H6159"},
        ),
        Published(
            "_matter._tcp.local.",
            f"{MATTER_INSTANCE}._matter._tcp.local.",
            "matter-plug.local.",
            [link.address(23, v6=True)],
            txt={b"SII": b"5000", b"SAI": b"300"},
        ),
        Published(
            "_ipp._tcp.local.",
            "Evil\u202e Printer\u200f._ipp._tcp.local.",
            "evil.local.",
            [link.address(24)],
            raw_txt=HOSTILE_TXT,
        ),
        Published(
            "_http._tcp.local.",
            "router admin._http._tcp.local.",
            "router.local.",
            [link.address(25)],
            txt={b"path": b"/"},
        ),
    ]


def v6_services(link: Link) -> list[Published]:
    return [
        Published(
            "_googlecast._tcp.local.",
            "Google-Nest-Hub-9c0d._googlecast._tcp.local.",
            "nest-hub.local.",
            [link.address(31, v6=True)],
            txt={b"id": b"9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f", b"md": b"Google Nest Hub", b"fn": b"Kitchen"},
        )
    ]


@dataclass
class Home:
    lan: Lan
    avahi: Link
    zc: Link
    v6: Link


@pytest.fixture(scope="module")
def home(avahi_ok: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    with Lan.create() as lan:
        avahi_link, zc_link, v6_link = lan.add_peer("avahi"), lan.add_peer("zc"), lan.add_peer("v6", ipv4=False)
        workdir = tmp_path_factory.mktemp("avahi")
        with (
            Avahi.start(avahi_link, workdir, avahi_groups(), avahi_hosts(avahi_link)),
            Publisher.start(zc_link, zeroconf_services(zc_link)),
            Publisher.start(v6_link, v6_services(v6_link), ipv4=False),
        ):
            yield Home(lan, avahi_link, zc_link, v6_link)


@pytest.fixture(scope="module")
def result(home: Home) -> dict[str, Any]:
    return scan(home.lan.scan, "--window", WINDOW)


def by_identity(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["identity"]: o for o in result["observations"]}


def device(result: dict[str, Any], key: str) -> dict[str, Any]:
    found = by_identity(result)
    assert EXPECTED[key] in found, f"{key} not found; saw {sorted(found)}"
    mdns: dict[str, Any] = found[EXPECTED[key]]["mdns"]
    return mdns


def txt(mdns: dict[str, Any]) -> dict[str, str]:
    return dict(mdns["txt"])


def test_every_device_is_found_once_and_nothing_else(result: dict[str, Any]) -> None:
    assert result["skipped"] == ""
    assert result["warnings"] == []
    identities = [o["identity"] for o in result["observations"]]
    assert sorted(identities) == sorted(EXPECTED.values())
    assert all(o["source"] == "mdns" for o in result["observations"])


def test_avahi_printer_is_one_device_with_its_printer_facts(result: dict[str, Any], home: Home) -> None:
    printer = device(result, "printer")
    assert printer["services"] == ["_ipp._tcp", "_pdl-datastream._tcp", "_printer._tcp"]
    assert (printer["manufacturer"], printer["model"]) == ("HP", "LaserJet 1000")
    assert printer["instance"] == "HP LaserJet 1000"
    assert printer["hostname"] == "printer.local"
    assert printer["addresses"] == [home.avahi.address(11)]
    facts = txt(printer)
    assert (facts["usb_mfg"], facts["usb_mdl"], facts["ty"]) == ("HP", "LaserJet 1000", "HP LaserJet 1000")
    assert by_identity(result)[EXPECTED["printer"]]["locator"] == home.avahi.address(11)


def test_avahi_chromecast_model_and_friendly_name(result: dict[str, Any]) -> None:
    cast = device(result, "cast")
    assert cast["services"] == ["_googlecast._tcp"]
    assert cast["model"] == "Chromecast Ultra"
    assert txt(cast)["fn"] == "Living Room TV"
    assert cast["instance"] == "Chromecast-Ultra-4f5e9b1c"


def test_avahi_speaker_services_under_two_names_merge_into_one_device(result: dict[str, Any]) -> None:
    speaker = device(result, "speaker")
    assert speaker["services"] == ["_airplay._tcp", "_raop._tcp", "_sonos._tcp", "_spotify-connect._tcp"]
    assert (speaker["manufacturer"], speaker["model"]) == ("Sonos", "One")
    assert speaker["hostname"] == "sonos-kitchen.local"


def test_zeroconf_heater_announces_the_model_a_rule_matches(result: dict[str, Any], home: Home) -> None:
    heater = device(result, "heater")
    assert heater["services"] == ["_device-info._tcp", "_hap._tcp", "_http._tcp"]
    assert heater["model"] == "H7131"
    assert heater["instance"] == "Govee Heater H7131"
    assert txt(heater)["md"] == "H7131"
    assert heater["addresses"] == [home.zc.address(21), home.zc.address(21, v6=True)]


def test_a_type_found_only_by_enumeration_is_browsed(result: dict[str, Any]) -> None:
    lamp = device(result, "lamp")
    assert lamp["services"] == ["_govee-lan._tcp"]
    assert (lamp["manufacturer"], lamp["model"]) == ("Govee", "H6159")


def test_matter_node_is_keyed_by_its_operational_instance(result: dict[str, Any]) -> None:
    matter = device(result, "matter")
    assert matter["services"] == ["_matter._tcp"]
    assert txt(matter) == {"sai": "300", "sii": "5000"}


def test_ipv6_only_device_is_found_over_ipv6(result: dict[str, Any], home: Home) -> None:
    nest = device(result, "nest")
    assert nest["model"] == "Google Nest Hub"
    assert nest["addresses"] == ["fd77:2::1f"]
    assert home.v6.address(31, v6=True) == "fd77:2::1f"


def _printable(text: str) -> bool:
    return all(unicodedata.category(c)[0] != "C" for c in text)


def test_hostile_device_is_recorded_safe_and_bounded(result: dict[str, Any]) -> None:
    evil = device(result, "hostile")
    assert evil["manufacturer"] == "HP"
    assert evil["model"] == "Laserjet\ufffd\ufffd"
    assert evil["instance"] == "Evil Printer"
    facts = txt(evil)
    assert facts["note"] == "<b>bold</b> FINDING: none, all safe"
    assert facts["title"] == "ok"
    assert facts["huge"] == "X" * 240
    assert len(facts) == 64
    strings = [evil["instance"], evil["hostname"], *(part for pair in evil["txt"] for part in pair)]
    assert all(_printable(s) and len(s) <= 255 for s in strings)


def test_web_server_alone_is_not_a_device(result: dict[str, Any]) -> None:
    assert not [o for o in result["observations"] if o["mdns"]["hostname"] == "router.local"]


def test_the_window_bounds_the_scan(result: dict[str, Any]) -> None:
    assert result["elapsed"] < float(WINDOW) + RESOLVE_GRACE + 0.5


def test_progress_counts_up_and_ends_with_a_done_line(result: dict[str, Any]) -> None:
    lines, done = result["progress"], result["progress_done"]
    assert len(lines) >= 2
    assert done[-1] is True
    assert not any(done[:-1])
    assert lines[-1].startswith("network: ") and "resolved" in lines[-1]


def test_chosen_interface_limits_the_scan(home: Home) -> None:
    only_avahi = scan(home.lan.scan, "--window", WINDOW, "--interface", home.avahi.scan_if)
    assert sorted(o["identity"] for o in only_avahi["observations"]) == sorted(
        EXPECTED[k] for k in ("printer", "cast", "speaker")
    )


def test_an_ipv6_only_interface_is_browsed_over_ipv6_alone(home: Home) -> None:
    only_v6 = scan(home.lan.scan, "--window", WINDOW, "--interface", home.v6.scan_if)
    assert [o["identity"] for o in only_v6["observations"]] == [EXPECTED["nest"]]


def test_injected_zeroconf_is_used_and_left_open_with_stable_identities(home: Home, result: dict[str, Any]) -> None:
    again = scan(home.lan.scan, "--window", WINDOW, "--inject")
    assert again["injected_closed"] is False
    assert sorted(by_identity(again)) == sorted(by_identity(result))


def test_a_broken_zeroconf_is_a_skip_not_a_crash(home: Home) -> None:
    broken = scan(home.lan.scan, "--window", "0.5", "--inject-closed")
    assert broken["observations"] == []
    assert broken["skipped"].startswith("mDNS browse failed: ")


def test_unknown_interface_is_skipped_with_its_name(home: Home) -> None:
    skipped = scan(home.lan.scan, "--window", "0.5", "--interface", "nope0")
    assert skipped["observations"] == []
    assert skipped["skipped"] == "no interface to browse mDNS on: nope0: no such interface"


def test_no_multicast_interface_is_a_skip_not_an_error(lan: Lan) -> None:
    alone = scan(lan.scan, "--window", "0.5")  # a namespace with loopback only
    assert alone["observations"] == []
    assert alone["skipped"].startswith("no interface to browse mDNS on")


def test_cli_scan_flags_the_recalled_heater_and_printer(home: Home, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "heater.toml").write_text(HEATER_RULE)
    (rules / "printer.toml").write_text(PRINTER_RULE)
    inventory = tmp_path / "inventory.toml"
    inventory.write_text("# devices found on the network are added here\n")  # an explicit inventory must exist
    done = home.lan.scan.python(
        [
            "-m",
            "agent",
            "scan",
            "--source",
            "mdns",
            "--format",
            "json",
            "--window",
            WINDOW,
            "--rules",
            str(rules),
            "--inventory",
            str(inventory),
        ]
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    [mdns_source] = [s for s in report["sources"] if s["name"] == "mdns"]
    assert mdns_source["devices"] == len(EXPECTED)
    # The shipped rules may flag these devices too; the test rules must flag exactly their own device.
    flagged = sorted(
        (f["rule"]["id"], f["item"]["mdns"]["model"]) for f in report["findings"] if f["rule"]["id"].startswith("test-")
    )
    assert flagged == [("test-govee-h7131", "H7131"), ("test-hp-laserjet-1000", "LaserJet 1000")]


HEATER_RULE = rule_text(
    "test-govee-h7131",
    """
[[products]]
name = "Govee Smart Space Heater"
brands = ["Govee"]
models = ["H7131"]

[[products.mdns]]
service = "_hap._tcp"
model = "H7131*"
""",
)
PRINTER_RULE = rule_text(
    "test-hp-laserjet-1000",
    """
[[products]]
name = "HP LaserJet 1000 power supply"
brands = ["HP"]

[[products.mdns]]
service = "_ipp._tcp"
txt = { usb_MDL = "LaserJet 1000*" }
""",
)
