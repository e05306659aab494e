"""How old the recall data is: `rules status`, the scan summary's age and stale warning, `--version`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run

Cli = Callable[..., Run]
RECORD = Path(__file__).parents[1] / "feeds" / "data" / "cpsc-recall-7938.json"


def _feed_meta(home: Path) -> Path:
    return home / "cache" / "recall-agent" / "feeds" / "cpsc" / "feed.json"


def test_rules_status_lists_every_source(cli: Cli, isolated_home: Path) -> None:
    shipped = len(json.loads(cli("rules", "list", "--format", "json").out))
    before = cli("rules", "status")
    assert before.code == 0
    rows = [line.split() for line in before.out.splitlines()]
    assert rows[0] == ["SOURCE", "RULES", "DATA", "AS", "OF", "LAST", "UPDATE"]
    assert rows[1][:2] == ["shipped", str(shipped)] and "(newest notice)" in before.out
    assert rows[2] == ["cpsc", "0", "never"] and rows[3] == ["healthcanada", "0", "never"]
    assert cli("rules", "import", "cpsc", str(RECORD)).code == 0
    after = json.loads(cli("rules", "status", "--format", "json").out)
    cpsc = next(s for s in after["sources"] if s["name"] == "cpsc")
    assert cpsc["rules"] == 1 and cpsc["data_as_of"].startswith("2016-12-20") and cpsc["updated"]
    assert after["stale"] is True and after["age_days"] > 3000


def test_scan_summary_carries_the_age_and_warns_when_stale(
    cli: Cli, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("inventory", "add", "Kettle")
    assert cli("rules", "import", "cpsc", str(RECORD)).code == 0
    stale = " ".join(cli("scan", "--source", "inventory").out.split())
    assert "Recall data: data as of 2016-12-20" in stale
    assert "older than 30 days; run `recall-agent rules update`" in stale
    assert "older than" not in cli("scan", "--source", "inventory", "--stale-after", "100000").out
    monkeypatch.setenv("RECALL_AGENT_STALE_DAYS", "100000")
    assert "older than" not in cli("scan", "--source", "inventory").out
    monkeypatch.delenv("RECALL_AGENT_STALE_DAYS")
    meta_path = _feed_meta(isolated_home)
    meta = json.loads(meta_path.read_text())
    meta["data_as_of"] = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2, hours=1)).isoformat()
    meta_path.write_text(json.dumps(meta))
    fresh = " ".join(cli("scan", "--source", "inventory").out.split())
    assert "(2 days old)" in fresh and "older than" not in fresh
    report = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    assert report["rules_status"]["age_days"] == 2 and report["rules_status"]["stale"] is False


def test_version_says_how_old_the_rules_are(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == 0
    first, second = result.out.splitlines()
    assert first.startswith("recall-agent ")
    assert "rules; Recall data: shipped rules only, newest notice 20" in second
