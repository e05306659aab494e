"""A broken edit of the inventory or of a rule file keeps the last good version in use, said once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import write
from helpers import rule_text

from agent.daemon.runner import Daemon, Settings
from agent.matching.finding import Finding
from agent.notify.interface import Notifier, NotifyResult
from agent.notify.notice import Notice
from agent.outlets.notifier import NotifierOutlet
from agent.paths import layout

RULE = '[[products]]\nname = "Heater"\nbrands = ["Acme"]\nmodels = ["{model}"]\n'


class Recorder(Notifier):
    name = "recorder"

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Notice] = []

    def _send(self, notice: Notice) -> NotifyResult:
        self.sent.append(notice)
        return NotifyResult(backend=self.name, delivered=True)


def keys(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.item.id, f.rule.id) for f in findings}


def test_broken_edits_keep_the_last_good_version(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rules = tmp_path / "rules"
    rule_file = write(rules / "heater.toml", rule_text("acme-heater", RULE.format(model="HX-1")))
    inventory = Path(layout().inventory)
    write(inventory, '[items.heater]\nname = "Heater"\nbrand = "Acme"\nmodel = "HX1"\n')
    recorder = Recorder()
    daemon = Daemon(
        layout(),
        [],
        [lambda context: NotifierOutlet(lambda on_action: recorder, context)],
        settings=Settings(extra_rules=(rules,)),
    )
    assert keys(list(daemon.rescan().findings)) >= {("heater", "acme-heater")}

    write(inventory, '[items.heater]\nname = "Heater\n')  # unterminated string
    rule_file.write_text(rule_text("acme-heater", RULE.format(model="HX-1")).replace("kind = ", "kinde = "))
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            result = daemon.rescan()
    assert keys(list(result.findings)) >= {("heater", "acme-heater")}
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([w for w in warnings if "the inventory cannot be used" in w]) == 1
    assert len([w for w in warnings if "rule problems" in w]) == 1
    assert f"{inventory}:2: invalid TOML" in " ".join(warnings)
    assert len(recorder.sent) == 1

    write(inventory, '[items.heater]\nname = "Heater"\nbrand = "Acme"\nmodel = "HX2"\n')
    rule_file.write_text(rule_text("acme-heater", RULE.format(model="HX-2")))
    assert keys(list(daemon.rescan().findings)) >= {("heater", "acme-heater")}
