"""The daemon's rescan is the core scan pipeline: what it publishes, and how answers are recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write
from helpers import rule_text

from agent.daemon.runner import Daemon, Settings
from agent.inventory import store
from agent.model import HandledStatus, Observation, UsbFacts
from agent.notify.notice import Notice
from agent.outlets.build import findings_file
from agent.outlets.interface import Key, Outlet, Update
from agent.paths import layout
from agent.sources.base import DeviceSource, SourceResult
from agent.sources.usb.convert import observation_from_usb

RULE = '[[products]]\nname = "Heater"\nbrands = ["Acme"]\nmodels = ["HX-1"]\n'


class OneDevice(DeviceSource):
    name = "usb"

    def collect(self) -> SourceResult:
        facts = UsbFacts(vendor_id="1234", product_id="5678", manufacturer="Acme", product="Lamp", serial="A1B2C3")
        observation: Observation = observation_from_usb(facts)
        return SourceResult(source=self.name, observations=(observation,))


def notice(item: str, rule: str) -> Notice:
    return Notice(item_id=item, item_name=item, rule_id=rule, title="", hazard="", remedy="")


class Broken(Outlet):
    name = "broken"

    def _publish(self, update: Update) -> frozenset[Key]:
        raise RuntimeError("this outlet always fails")


def test_the_daemons_scan_says_which_items_it_added() -> None:
    daemon = Daemon(layout(), [OneDevice()], [findings_file(layout())])
    first = daemon.rescan()
    assert len(first.added) == 1
    assert [i.id for i in first.items] == list(first.added)
    assert daemon.rescan().added == ()


def test_an_outlet_that_fails_does_not_stop_the_others(tmp_path: Path) -> None:
    daemon = Daemon(layout(), [OneDevice()], [lambda context: Broken(), findings_file(layout())])
    daemon.rescan()
    assert json.loads((Path(layout().state_dir) / "findings.json").read_text())["format"] == 1


def test_answers_through_the_daemon_get_the_checks_of_the_command_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rules = tmp_path / "rules"
    write(rules / "heater.toml", rule_text("acme-heater", RULE))
    inventory = Path(layout().inventory)
    write(inventory, '[items.heater]\nname = "Heater"\nbrand = "Acme"\nmodel = "HX1"\n')
    daemon = Daemon(layout(), [], [], settings=Settings(extra_rules=(rules,)))
    daemon.rescan()
    told = daemon.answer(notice("heater", "no-such-rule"), "returned")
    assert store.load(inventory).get("heater").handled == ()
    assert told is not None and "no rule with id 'no-such-rule'" in told
    assert "no rule with id 'no-such-rule'" in caplog.text
    told = daemon.answer(notice("heater", "acme-heater"), "returned", via="a test")
    assert told == "Recorded as returned."
    [handling] = store.load(inventory).get("heater").handled
    assert (handling.rule, handling.status, handling.reason) == (
        "acme-heater",
        HandledStatus.RETURNED,
        "answered on a test",
    )
