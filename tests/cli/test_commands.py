"""Next steps in the report, ack's refusals, --fail-on, --quiet, --output and a missing inventory."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from conftest import Run

Cli = Callable[..., Run]
POWER_BANK = "anker-2024-321-power-bank"
STAND = "belkin-2021-wiz003-wireless-charger-stand"
CHECKER = "anker-2025-powercore-10000-a1263"


def _commands(text: str) -> list[str]:
    joined = re.sub(r" \\\n\s*", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("recall-agent ")]


def test_every_finding_says_what_to_do_next(cli: Cli) -> None:
    cli("inventory", "add", "Power bank", "--brand", "Anker", "--model", "A1112", "--id", "pb")
    cli("inventory", "add", "Stand", "--brand", "Belkin", "--model", "WIZ003", "--id", "stand")
    cli("inventory", "add", "PowerCore", "--brand", "Anker", "--model", "A1263", "--id", "core")
    report = cli("scan", "--source", "inventory").out
    commands = _commands(report)
    assert f"recall-agent ack pb {POWER_BANK} --as returned" in commands
    assert f"recall-agent ack pb {POWER_BANK} --as checked" not in commands  # confirmed: not "not affected"
    assert "recall-agent inventory edit stand --serial SERIAL" in commands
    assert f"recall-agent ack stand {STAND} --as checked" in commands
    assert "recall-agent inventory edit core --manufactured YYYY-MM-DD" in commands
    assert f"recall-agent ack core {CHECKER} --as checked" in commands
    assert "Only the maker's checker can tell" in " ".join(report.split())
    assert f"Rule        {POWER_BANK}" in report
    # The commands really work: filling in the serial settles the stand.
    assert cli("inventory", "edit", "stand", "--serial", "35B01DO6029401").code == 0
    after = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    (stand,) = [f for f in after["findings"] if f["item"]["id"] == "stand"]
    assert stand["confidence"] == "confirmed"
    assert cli("ack", "core", CHECKER, "--as", "checked").code == 0
    handled = cli("scan", "--source", "inventory").out
    assert f"recall-agent ack core {CHECKER} --forget" in _commands(handled)


def test_ack_refuses_what_cannot_be_true(cli: Cli, inventory_path: Path) -> None:
    cli("inventory", "add", "Power bank", "--brand", "Anker", "--model", "A1112", "--id", "pb")
    cli("inventory", "add", "Stand", "--brand", "Belkin", "--model", "WIZ003", "--id", "stand")
    before = inventory_path.read_text()
    cases = {
        ("ack", "stand", POWER_BANK, "--as", "returned"): f"rule {POWER_BANK} does not apply to stand",
        ("ack", "pb", POWER_BANK, "--forget", "--as", "disposed"): "--forget removes the record",
        ("ack", "stand", STAND, "--as", "ignored", "--until", "2020-01"): "--until 2020-01: that date has passed",
        ("ack", "pb", POWER_BANK, "--as", "checked"): "pb is confirmed affected",
        ("ack", "pb", POWER_BANK, "--forget"): "nothing to forget",
        ("ack", "pb", "no-such-rule", "--as", "returned"): "no rule with id 'no-such-rule'",
    }
    for args, message in cases.items():
        result = cli(*args)
        assert result.code == 2, args
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert message in result.err, (args, result.err)
    assert inventory_path.read_text() == before
    assert cli("ack", "stand", STAND, "--as", "ignored", "--until", "2999-01").code == 0


def test_ack_keeps_a_blank_line_before_the_next_table(cli: Cli, inventory_path: Path) -> None:
    cli("inventory", "add", "Power bank", "--brand", "Anker", "--model", "A1112", "--id", "pb")
    cli("inventory", "add", "Kettle", "--id", "kettle")
    assert cli("ack", "pb", POWER_BANK, "--as", "disposed").code == 0
    text = inventory_path.read_text()
    assert "\n\n[items.kettle]" in text


def test_fail_on_quiet_and_output(cli: Cli, tmp_path: Path) -> None:
    cli("inventory", "add", "Stand", "--brand", "Belkin", "--model", "WIZ003", "--id", "stand")
    cli("inventory", "add", "Kettle", "--brand", "Acme", "--model", "K1")
    assert cli("scan", "--source", "inventory").code == 1
    assert cli("scan", "--source", "inventory", "--fail-on", "confirmed").code == 0
    assert cli("scan", "--source", "inventory", "--fail-on", "possible").code == 1
    quiet = cli("scan", "--source", "inventory", "--quiet")
    assert quiet.code == 1 and quiet.out.startswith("CHECK THE LABEL: Stand") and "Inventory:" not in quiet.out
    silent = cli("scan", "--source", "inventory", "--quiet", "--fail-on", "confirmed")
    assert silent.code == 0 and silent.out == "" and silent.err == ""
    target = tmp_path / "report.json"
    written = cli("scan", "--source", "inventory", "--format", "json", "--output", str(target))
    assert written.out == "" and written.code == 1
    document = json.loads(target.read_text())
    assert document["summary"]["likely"] == 1 and document["exit_code"] == 1
    assert target.stat().st_mode & 0o777 == 0o600
    text_target = tmp_path / "report.txt"
    cli("scan", "--source", "inventory", "--output", str(text_target), "--color", "always")
    assert "\x1b[1;33mCHECK THE LABEL" in text_target.read_text()


def test_the_report_names_its_inventory_and_a_missing_one(cli: Cli, tmp_path: Path, inventory_path: Path) -> None:
    typo = tmp_path / "inventroy.toml"
    # every source that needs no network, on an empty USB tree: no packet leaves this machine
    missing = cli("--inventory", str(typo), "scan", "--no-network", "--sysfs-root", str(tmp_path))
    assert missing.code == 2 and "No recalled items found" not in missing.out
    assert missing.err.strip() == (
        f"recall-agent: error: {typo}: no such inventory file (check the name; "
        "`recall-agent inventory add` creates one)"
    )
    assert not typo.exists()
    found_nothing = cli("--inventory", str(typo), "scan", "--source", "usb", "--sysfs-root", str(tmp_path))
    assert found_nothing.code == 2 and "no such inventory file" in found_nothing.err and not typo.exists()
    tree = Path(__file__).parents[1] / "data" / "sysfs" / "many" / "sys"
    started = cli("--inventory", str(tmp_path / "new.toml"), "scan", "--source", "usb", "--sysfs-root", str(tree))
    assert started.code in (0, 1), started.out + started.err
    assert (tmp_path / "new.toml").exists()  # a new inventory of what was found
    fresh = cli("scan", "--source", "inventory")
    assert fresh.code == 0 and "No recalled items found" not in fresh.out
    assert f"No inventory at {inventory_path}: no items were checked" in " ".join(fresh.out.split())
    assert json.loads(cli("scan", "--source", "inventory", "--format", "json").out)["inventory_exists"] is False
    cli("inventory", "add", "Kettle")
    named = cli("scan", "--source", "inventory")
    words = " ".join(named.out.split())
    assert f"Inventory: {inventory_path}" in words and "No recalled items found." in words
    assert "1 item against" in words
    document = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    assert document["inventory"] == str(inventory_path) and document["inventory_exists"] is True


def test_json_carries_rule_certainty_category_and_every_item_field(cli: Cli) -> None:
    cli("inventory", "add", "Power bank", "--brand", "Anker", "--model", "A1112", "--id", "pb")
    cli("ack", "pb", POWER_BANK, "--as", "disposed", "--reason", "recycled")
    report = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    (finding,) = report["findings"]
    assert finding["rule"]["certainty"] == "exact" and "category" in finding["rule"]
    assert report["summary"] == {
        "items": 1,
        "rules": report["rules"],
        "findings": 1,
        "confirmed": 0,
        "likely": 0,
        "possible": 0,
        "handled": 1,
        "added": 0,
        "skipped": 0,
        "rule_problems": 0,
        "replaced_shipped_rules": 0,
    }
    listed = json.loads(cli("inventory", "list", "--format", "json").out)
    assert listed["format"] == 1
    (item,) = listed["items"]
    assert item["handled"][0]["status"] == "disposed" and item["handled"][0]["reason"] == "recycled"
    shown = cli("inventory", "show", "pb").out
    assert "[" not in shown and "handled anker-2024-321-power-bank: disposed on" in shown
