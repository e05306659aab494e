"""Fixtures for end-to-end tests of `recall-agent run` and `recall-agent notifier` as subprocesses.

The private session bus, dunst and the Notify recorder come from tests/notify/dunst.py; the helpers that
start, poke and stop the agent are in agents.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("daemon.agents", "daemon.expect")

from conftest import skip_or_fail  # noqa: E402
from daemon.agents import Agent, AgentFactory  # noqa: E402
from net.netns import Lan, missing_requirements  # noqa: E402
from notify.dunst import Dunst, NotifyCalls, connect, dunst_factory, notify_calls, session_bus  # noqa: E402

__all__ = ["Dunst", "NotifyCalls", "connect", "dunst_factory", "notify_calls", "session_bus"]


@pytest.fixture
def agents(tmp_path: Path) -> Iterator[AgentFactory]:
    """Starts agent processes; every one still running at the end of the test is killed."""
    started: list[Agent] = []
    workdir = tmp_path / "elsewhere"
    workdir.mkdir(exist_ok=True)

    def start(
        args: list[str],
        *,
        env: dict[str, str] | None = None,
        prefix: tuple[str, ...] = (),
        state_dir: Path | None = None,
    ) -> Agent:
        agent = Agent.start(args, workdir=workdir, logs=tmp_path / "logs", env=env, prefix=prefix, state_dir=state_dir)
        started.append(agent)
        return agent

    try:
        yield start
    finally:
        for agent in started:
            agent.kill()


@pytest.fixture
def dunst(dunst_factory: Callable[[str], Dunst]) -> Dunst:
    """dunst reading markup, the way desktops run it."""
    return dunst_factory("full")


@pytest.fixture
def lan() -> Iterator[Lan]:
    """Two namespaces joined by a veth pair, for daemon tests that discover over mDNS."""
    reason = missing_requirements()
    if reason:
        skip_or_fail(reason)
    with Lan.create() as created:
        yield created
