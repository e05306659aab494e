"""The command line end to end, through a subprocess, from a folder that is not the checkout."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run, write
from helpers import rule_text

Cli = Callable[..., Run]


def test_the_seed_flow(cli: Cli) -> None:
    added = cli("inventory", "add", "Anker 321 Power Bank", "--brand", "Anker", "--model", "A1112")
    assert added.code == 0, added.err
    result = cli("scan", "--source", "inventory")
    assert result.code == 1, result.err
    first = result.out.splitlines()[0]
    assert first == "RECALLED: Anker 321 Power Bank  [item anker-321-power-bank]"
    text = " ".join(result.out.split())
    assert "confirmed: brand Anker and model A1112 are listed" in text
    assert "Hazard" in text and "fire" in text.lower()
    assert "What to do" in text
    assert "Read https://" in text


def test_json_report_and_acknowledging(cli: Cli) -> None:
    cli("inventory", "add", "Power bank", "--brand", "Anker", "--model", "a-1112", "--id", "pb")
    cli("inventory", "add", "Kettle", "--brand", "Acme", "--model", "K1")
    report = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    assert report["format"] == 1 and report["exit_code"] == 1
    (finding,) = [f for f in report["findings"] if f["rule"]["id"] == "anker-2024-321-power-bank"]
    assert finding["item"]["id"] == "pb"
    assert finding["confidence"] == "confirmed"
    assert finding["notify"] is True and finding["handled"] is None
    acked = cli("ack", "pb", "anker-2024-321-power-bank", "--as", "disposed", "--reason", "took it to recycling")
    assert acked.code == 0, acked.err
    after = cli("scan", "--source", "inventory", "--format", "json")
    assert after.code == 0
    (finding,) = [f for f in json.loads(after.out)["findings"] if f["rule"]["id"] == "anker-2024-321-power-bank"]
    assert finding["handled"]["status"] == "disposed" and finding["notify"] is False
    assert "HANDLED: Power bank" in cli("scan", "--source", "inventory").out


def test_nothing_recalled_exits_zero(cli: Cli) -> None:
    cli("inventory", "add", "Kettle", "--brand", "Acme", "--model", "K1")
    result = cli("scan", "--source", "inventory")
    assert result.code == 0
    assert "No recalled items found." in result.out


def test_inventory_list_show_edit_remove(cli: Cli) -> None:
    cli("inventory", "add", "Kettle", "--brand", "Acme", "--purchased", "2024-01")
    listed = cli("inventory", "list")
    assert listed.out.splitlines()[1].split() == ["kettle", "Kettle", "Acme", "manual"]
    assert cli("inventory", "edit", "kettle", "--model", "K-2").code == 0
    shown = json.loads(cli("inventory", "show", "kettle", "--format", "json").out)
    assert {k: v for k, v in shown.items() if v not in ("", None, [])} == {
        "id": "kettle",
        "name": "Kettle",
        "name_given": "Kettle",
        "source": "manual",
        "brand": "Acme",
        "model": "K-2",
        "purchased": "2024-01",
    }
    assert shown["serial"] == "" and shown["usb"] is None and shown["handled"] == []
    assert cli("inventory", "remove", "kettle").code == 0
    assert json.loads(cli("inventory", "list", "--format", "json").out)["items"] == []


def test_errors_are_one_line_with_exit_code_2(cli: Cli, inventory_path: Path) -> None:
    missing = cli("inventory", "show", "nope")
    assert missing.code == 2
    assert (
        missing.err.strip() == f"recall-agent: error: {inventory_path}: no item with id 'nope' (see "
        "`recall-agent inventory list`)"
    )
    bad_date = cli("inventory", "add", "Lamp", "--purchased", "yesterday")
    assert bad_date.code == 2 and "Traceback" not in bad_date.err
    assert (
        bad_date.err.strip() == "recall-agent: error: --purchased: expected a date like 2023-04-17 or 2023-04, "
        "got 'yesterday'"
    )
    write(inventory_path, '[items.a]\nname = "A\n')
    broken = cli("scan", "--source", "inventory")
    assert broken.code == 2
    assert broken.err.strip() == f"recall-agent: error: {inventory_path}:2: invalid TOML: illegal character '\\n'"
    usage = cli("scan", "--format", "xml")
    assert usage.code == 2 and "invalid choice" in usage.err


def test_inventory_option_and_environment_variable(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "elsewhere.toml"
    assert cli("inventory", "add", "Lamp", "--inventory", str(chosen)).code == 0
    assert "[items.lamp]" in chosen.read_text()
    monkeypatch.setenv("RECALL_AGENT_INVENTORY", str(tmp_path / "env.toml"))
    assert cli("inventory", "add", "Fan").code == 0
    assert "[items.fan]" in (tmp_path / "env.toml").read_text()


def test_rules_commands(cli: Cli, tmp_path: Path) -> None:
    listed = cli("rules", "list")
    assert listed.code == 0 and "anker-2024-321-power-bank" in listed.out
    shown = cli("rules", "show", "anker-2024-321-power-bank")
    assert "models: A1112" in shown.out
    good = write(
        tmp_path / "mine" / "good.toml",
        rule_text("my-rule", '[[products]]\nname = "X"\nbrands = ["B"]\nmodels = ["M1"]\n'),
    )
    assert cli("rules", "check", str(good)).code == 0
    bad = write(tmp_path / "mine" / "bad.toml", "id = 'x'\n")
    checked = cli("rules", "check", str(tmp_path / "mine"))
    assert checked.code == 1
    assert f"{bad}: rule x: missing required field 'title'" in checked.out.splitlines()
    extra = cli("rules", "list", "--rules", str(good))
    assert "my-rule" in extra.out


def test_user_rules_folder_is_loaded(cli: Cli, isolated_home: Path) -> None:
    write(
        isolated_home / "config" / "recall-agent" / "rules" / "r.toml",
        rule_text("user-rule", '[[products]]\nname = "Heater"\nbrands = ["Acme"]\nmodels = ["HX-1"]\n'),
    )
    cli("inventory", "add", "Heater", "--brand", "ACME", "--model", "hx1")
    result = cli("scan", "--source", "inventory", "--format", "json")
    assert [f["rule"]["id"] for f in json.loads(result.out)["findings"]] == ["user-rule"]


def test_python_dash_m_and_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("recall-agent ")


def test_rules_import(cli: Cli, tmp_path: Path) -> None:
    record = Path(__file__).parents[1] / "feeds" / "data" / "cpsc-recall-7938.json"
    imported = cli("rules", "import", "cpsc", str(record))
    assert imported.code == 0, imported.err
    assert imported.out.startswith("CPSC: 1 new, 0 changed, 1 rules; data as of ")
    shown = cli("rules", "show", "cpsc-17057")
    assert shown.code == 0 and "10AW1G-AQU2U" in shown.out
    broken = write(tmp_path / "broken.json", '[{"RecallID": 0, "Title": "Error retrieving Recalls: boom"}]')
    refused = cli("rules", "import", "cpsc", str(broken))
    assert refused.code == 2 and refused.err.startswith("recall-agent: error: ") and "Traceback" not in refused.err
