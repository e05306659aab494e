"""A stopping service does not wait for a slow Home Assistant: the read in progress ends when the service is
told to stop, instead of at the source's timeout. Home Assistant here is a WebSocket server on loopback that
logs the client in and then never answers, as a busy one does."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.server import ServerConnection, serve

from agent.config.schema import HomeAssistantSettings
from agent.daemon.runner import Daemon, Settings
from agent.paths import layout
from agent.sources.base import SourceResult
from agent.sources.homeassistant.source import HomeAssistantSource

PATIENT = 60.0  # the source's timeout: far longer than any test may take


class SilentHomeAssistant:
    """Accepts the token, hears the commands and answers none of them."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.server = serve(self._session, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.socket.getsockname()[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _session(self, ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "auth_required"}))
        ws.recv()
        ws.send(json.dumps({"type": "auth_ok"}))
        for _ in ws:
            self.asked.set()

    def close(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=10)


@pytest.fixture
def silent() -> Iterator[SilentHomeAssistant]:
    ha = SilentHomeAssistant()
    yield ha
    ha.close()


def source_for(url: str, tmp_path: Path) -> HomeAssistantSource:
    token = secrets.token_hex(8)  # the server takes any
    return HomeAssistantSource(
        HomeAssistantSettings(url=url, token=token, token_file=tmp_path / "token", timeout=PATIENT)
    )


def test_stop_ends_a_read_waiting_for_home_assistant(silent: SilentHomeAssistant, tmp_path: Path) -> None:
    source = source_for(silent.url, tmp_path)
    results: list[SourceResult] = []
    reader = threading.Thread(target=lambda: results.append(source.collect()), daemon=True)
    reader.start()
    assert silent.asked.wait(20), "the source never asked for the device registry"
    source.stop()
    reader.join(timeout=20)
    assert not reader.is_alive(), "collect waited for Home Assistant after stop"
    [result] = results
    assert result.skipped == f"not read: the service stopped while reading {silent.url}"
    assert source.collect().skipped == "not read: the service is stopping"  # later reads do not start


def test_a_stopping_daemon_does_not_wait_for_home_assistant(silent: SilentHomeAssistant, tmp_path: Path) -> None:
    source = source_for(silent.url, tmp_path)
    daemon = Daemon(layout(), [source], [], settings=Settings())
    runner = threading.Thread(target=daemon.run, daemon=True)
    runner.start()
    assert silent.asked.wait(20), "the daemon's first scan never reached Home Assistant"
    daemon.stop()  # what the SIGTERM handler calls
    runner.join(timeout=20)
    assert not runner.is_alive(), "the daemon waited for Home Assistant's answer after stop"
