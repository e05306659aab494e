"""Alerts over Apprise for a machine without a desktop, against a receiver of its json:// scheme on 127.0.0.1:
once per (item, recall) across restarts, again as a reminder of a likely finding, retried after a failure."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from daemon.agents import stamp
from helpers import rule_text

from .agentproc import RECALLED_PLUG, private_file, run_cli
from .daemons import RunningAgent

LIKELY_KETTLE = """
[[products]]
name = "Globex K2 Kettle"
brands = ["Globex"]
models = ["K2"]
[products.serial]
prefixes = ["K2B"]
"""
INVENTORY = """
[items.plug]
name = "Hall plug"
brand = "Acme"
model = "SP-100"

[items.kettle]
name = "Kettle"
brand = "Globex"
model = "K2"
"""


class Receiver:
    """An HTTP endpoint that records what Apprise posts; answers 500 to the first ``failures`` posts."""

    def __init__(self, failures: int = 0) -> None:
        self.posts: list[dict[str, Any]] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                failed = receiver.failures > 0
                receiver.failures -= failed
                if not failed:
                    receiver.posts.append(body)
                self.send_response(500 if failed else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def titles(self) -> list[str]:
        return [str(p["title"]) for p in self.posts]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


def headless_home(tmp_path: Path, url: str, *, agent: str = "") -> Path:
    home = tmp_path / "headless"
    config = home / "config" / "recall-agent"
    write(home / "data" / "recall-agent" / "inventory.toml", INVENTORY)
    write(config / "rules" / "acme.toml", rule_text("acme-2024-sp-100", RECALLED_PLUG))
    write(config / "rules" / "globex.toml", rule_text("globex-2024-k2", LIKELY_KETTLE))
    private_file(config / "apprise.urls", f"# the phone\n{url}\n")
    private_file(
        config / "config.toml",
        f'[agent]\noutlets = ["apprise"]\n{agent}\n[apprise]\nurls_file = "apprise.urls"\ntitle_prefix = "attic-pi"\n',
    )
    return home


def wait(check: Any, what: str, timeout: float = 30, log: Any = str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}\n{log()[-3000:]}")
        time.sleep(0.1)


def published_again(home: Path, times: int, agent: RunningAgent) -> None:
    """Until findings.json has been published ``times`` more times. The agent's scans run one after
    another, each posting its alerts after publishing, so a scan's alerts are in once the next one has
    published: after two, every scan that began before this call has posted what it had to post."""
    published = home / "state" / "recall-agent" / "findings.json"
    seen = {stamp(published)}

    def more() -> bool:
        seen.add(stamp(published))
        return len(seen) > times

    wait(more, f"{times} more publications of the findings", log=agent.output)


def test_each_finding_reaches_the_phone_once_across_restarts(receiver: Receiver, tmp_path: Path) -> None:
    home = headless_home(tmp_path, receiver.url)
    agent = RunningAgent(home, [])
    wait(lambda: len(receiver.posts) >= 2, "two alerts", log=agent.output)
    agent.stop()
    titles = sorted(receiver.titles())
    assert titles == [
        "attic-pi: Check your Kettle (K2): may be recalled",
        "attic-pi: Recalled: Hall plug (fire hazard)",
    ]
    plug = next(p for p in receiver.posts if "Hall plug" in p["title"])
    assert "recall-agent ack plug acme-2024-sp-100 --as returned" in plug["message"]
    assert "https://example.org/notice/acme-2024-sp-100" in plug["message"]
    assert plug["type"] == "warning"

    again = RunningAgent(home, ["--interval", "1"])  # restarted, and rescanning every second
    published = home / "state" / "recall-agent" / "findings.json"
    stamps: set[int] = set()

    def rescans() -> bool:
        if published.exists():
            stamps.add(published.stat().st_mtime_ns)
        return len(stamps) >= 4

    wait(rescans, "three more rescans", log=again.output)
    again.stop()
    assert len(receiver.posts) == 2, receiver.titles()


def test_an_unhandled_likely_finding_is_repeated_after_the_reminder_time(receiver: Receiver, tmp_path: Path) -> None:
    home = headless_home(tmp_path, receiver.url, agent="remind_days = 0.00003\ninterval = 1\n")  # about 2.6 s
    agent = RunningAgent(home, [])
    try:
        wait(
            lambda: receiver.titles().count("attic-pi: Check your Kettle (K2): may be recalled") >= 2,
            "a reminder",
            log=agent.output,
        )
        assert receiver.titles().count("attic-pi: Recalled: Hall plug (fire hazard)") == 1  # confirmed: told once
        inventory, rules = home / "data" / "recall-agent" / "inventory.toml", home / "config" / "recall-agent" / "rules"
        done = run_cli(
            None,
            "ack",
            "kettle",
            "globex-2024-k2",
            "--as",
            "checked",
            "--inventory",
            str(inventory),
            "--rules",
            str(rules),
        )
        assert done.code == 0, done.err
        published_again(home, 2, agent)  # every scan that read the inventory before the ack has posted
        told = len(receiver.posts)
        time.sleep(5)  # the kettle's reminder would be due again by now (about 2.6 s)
        published_again(home, 2, agent)  # and scans after that have had their say
        assert len(receiver.posts) == told, "a handled finding is not repeated"
    finally:
        agent.stop()


def test_a_failed_delivery_is_tried_again(tmp_path: Path) -> None:
    receiver = Receiver(failures=2)
    try:
        home = headless_home(tmp_path, receiver.url, agent="interval = 1\n")
        agent = RunningAgent(home, [])
        wait(lambda: len(receiver.posts) >= 2, "both alerts after the failures", log=agent.output)
        agent.stop()
        assert sorted(receiver.titles()) == sorted(set(receiver.titles()))
        assert "Apprise could not deliver" in agent.output()
    finally:
        receiver.close()


def test_scan_sends_what_the_configuration_names_once(receiver: Receiver, tmp_path: Path) -> None:
    home = headless_home(tmp_path, receiver.url)
    env_args = [
        "--config",
        str(home / "config" / "recall-agent" / "config.toml"),
        "--inventory",
        str(home / "data" / "recall-agent" / "inventory.toml"),
    ]
    rules = ["--rules", str(home / "config" / "recall-agent" / "rules")]
    first = run_cli(None, "scan", "--no-network", "--source", "inventory", "--format", "json", *env_args, *rules)
    assert first.code == 1 and json.loads(first.out)["findings"]
    assert len(receiver.posts) == 2
    run_cli(None, "scan", "--no-network", "--source", "inventory", *env_args, *rules)
    assert len(receiver.posts) == 2
