"""A rule folder that appears while the daemon runs (a feed `rules import` added) is read without a restart."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from daemon.agents import AgentFactory, agent_env, cli, until

pytestmark = pytest.mark.slow

RULE = (Path(__file__).parents[1] / "hostile" / "fuzz" / "seeds_rules" / "valid.toml").read_text(encoding="utf-8")


def test_a_feed_folder_added_while_running_is_read_without_a_restart(agents: AgentFactory) -> None:
    cli("inventory", "add", "Kettle", "--brand", "Example", "--model", "KT-100", "--id", "kettle")
    agent = agents(["run", "--no-usb", "--no-network", "--notify", "log", "--debounce", "0.3"], env=agent_env())
    agent.wait_for_scan()
    assert json.loads(agent.findings.read_text())["findings"] == []
    feed = Path(os.environ["XDG_CACHE_HOME"]) / "recall-agent" / "feeds" / "example"
    feed.mkdir(parents=True)
    (feed / "kettle-2024.toml").write_text(RULE, encoding="utf-8")

    def found() -> bool:
        report = json.loads(agent.findings.read_text())
        return [f["rule"]["id"] for f in report["findings"]] == ["kettle-2024"]

    until(found, "the new feed's rule to be matched", timeout=20)
    assert agent.terminate() == 0
