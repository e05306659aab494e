"""A local rule that reuses a shipped rule's id replaces it: `rules check` and the scan say so."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from helpers import rule_text

SHIPPED = "samsung-2016-galaxy-note7"
PRODUCT = '[[products]]\nname = "Kettle"\nbrands = ["Example"]\nmodels = ["KT-1"]\n'


def test_a_user_rule_with_a_shipped_id_is_named_by_rules_check_and_the_scan(
    isolated_home: Path, cli: Callable[..., Run]
) -> None:
    folder = isolated_home / "config" / "recall-agent" / "rules"
    folder.mkdir(parents=True)
    mine = folder / "mine.toml"
    mine.write_text(rule_text(SHIPPED, PRODUCT))
    check = cli("rules", "check")
    assert check.code == 0, check.err
    [line] = [x for x in check.out.splitlines() if x.startswith("warning:")]
    assert line.startswith(f"warning: {mine}: rule {SHIPPED}: replaces the shipped rule with the same id (")
    assert line.endswith(f"{SHIPPED}.toml); give it another id to keep both")
    report = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    assert report["summary"]["replaced_shipped_rules"] == 1
    assert report["replaced_shipped_rules"] == [line.removeprefix("warning: ")]
    text = cli("scan", "--source", "inventory").out
    assert "1 shipped rule replaced by a local rule of the same id" in " ".join(text.split())


def test_no_local_rules_means_nothing_replaced(cli: Callable[..., Run]) -> None:
    report = json.loads(cli("scan", "--source", "inventory", "--format", "json").out)
    assert (report["summary"]["replaced_shipped_rules"], report["replaced_shipped_rules"]) == (0, [])
    assert "warning:" not in cli("rules", "check").out


def test_an_unchanged_copy_of_a_shipped_rule_replaces_nothing(isolated_home: Path, cli: Callable[..., Run]) -> None:
    from agent.paths import shipped_rules_dir

    folder = isolated_home / "config" / "recall-agent" / "rules"
    folder.mkdir(parents=True)
    copy = folder / f"{SHIPPED}.toml"
    copy.write_bytes(Path(shipped_rules_dir(), f"{SHIPPED}.toml").read_bytes())
    assert "warning:" not in cli("rules", "check").out
    copy.write_text(copy.read_text() + "\n# edited\n")
    assert f"warning: {copy}: rule {SHIPPED}: replaces the shipped rule" in cli("rules", "check").out


def test_a_scan_reads_the_shipped_rules_through_their_own_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.paths import shipped_rules_dir
    from agent.rules import load
    from agent.rules.overrides import SHIPPED_CACHE, replaced_shipped

    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "mine.toml").write_text(rule_text(SHIPPED, PRODUCT))
    ruleset = load.load_rules([(shipped_rules_dir(), "shipped"), (folder, "user")])
    from_files = replaced_shipped(ruleset)
    assert len(from_files) == 1
    cache = tmp_path / "cache"
    assert replaced_shipped(ruleset, cache) == from_files
    assert (cache / SHIPPED_CACHE).is_file()

    def parse(*_: object) -> None:
        raise AssertionError("a rule file was parsed although its cache is current")

    monkeypatch.setattr(load, "load_file", parse)
    assert replaced_shipped(ruleset, cache) == from_files
