"""`recall-agent run` under a Type=notify unit: READY after the first scan, WATCHDOG while alive, STOPPING."""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon.agents import Agent, AgentFactory, agent_env

WATCHDOG_USEC = 300_000  # the agent must ping every 0.15 s


class NotifySocket:
    """The service manager's side: a unix datagram socket that collects what the agent says."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.messages: list[str] = []

    def receive_until(self, wanted: str, timeout: float, agent: Agent) -> None:
        deadline = time.monotonic() + timeout
        while wanted not in self.messages:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {wanted!r} in {timeout} s; got {self.messages}\n{agent.stderr()}")
            self.receive(min(left, 0.2))

    def receive(self, timeout: float) -> None:
        self.sock.settimeout(timeout)
        with contextlib.suppress(TimeoutError):  # nothing came: the caller decides whether to wait on
            self.messages.append(self.sock.recv(4096).decode())

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.receive(left)


@pytest.fixture
def notify_socket() -> Iterator[NotifySocket]:
    with tempfile.TemporaryDirectory(prefix="ra-sd-") as folder:  # short: a socket path has 108 bytes at most
        listener = NotifySocket(Path(folder) / "notify")
        try:
            yield listener
        finally:
            listener.sock.close()


def test_ready_after_the_first_scan_then_watchdog_pings_and_stopping_on_sigterm(
    agents: AgentFactory, notify_socket: NotifySocket
) -> None:
    env = agent_env(NOTIFY_SOCKET=str(notify_socket.path), WATCHDOG_USEC=str(WATCHDOG_USEC))
    agent = agents(["run", "--no-network", "--no-usb", "--debounce", "0.3"], env=env)
    notify_socket.receive_until("READY=1", timeout=15, agent=agent)
    assert agent.findings.exists()  # the scan had published its findings before READY
    ready = notify_socket.messages.index("READY=1")
    assert any(m.startswith("STATUS=0 findings; last scan ") for m in notify_socket.messages[:ready])
    notify_socket.drain(1.0)
    after_ready = notify_socket.messages[ready + 1 :]
    assert after_ready.count("WATCHDOG=1") >= 4  # about 6 in one second at one ping per 0.15 s
    agent.rescan()
    assert agent.terminate() == 0
    notify_socket.drain(0.3)
    assert notify_socket.messages.count("READY=1") == 1  # a rescan is not a new start
    assert notify_socket.messages[-1] == "STOPPING=1"
    assert "STOPPING=1" not in notify_socket.messages[:-1]


def test_the_watchdog_is_pinged_only_by_the_process_systemd_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.daemon import sdnotify

    monkeypatch.setenv("WATCHDOG_USEC", "120000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert sdnotify.watchdog_interval() == 60.0
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert sdnotify.watchdog_interval() == 60.0
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid() + 1))  # a parent's watchdog, inherited: not ours
    assert sdnotify.watchdog_interval() is None
    monkeypatch.setenv("WATCHDOG_USEC", "soon")
    monkeypatch.delenv("WATCHDOG_PID")
    assert sdnotify.watchdog_interval() is None
