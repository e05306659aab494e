"""SIGTERM during a rescan: the daemon tells its sources to stop, so a source that waits on something slow
(an mDNS browse waits for late answers up to its window) ends now and the service exits promptly."""

from __future__ import annotations

import threading

from daemon.agents import until

from agent.daemon.runner import Daemon, Settings
from agent.paths import layout
from agent.sources.base import DeviceSource, SourceResult

SLOW = 60.0  # seconds the source would wait when nobody tells it to stop


class SlowSource(DeviceSource):
    """Waits in ``collect`` as a browse waits for late answers, until its window or until stopped."""

    name = "slow"

    def __init__(self) -> None:
        self.collecting = threading.Event()
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()

    def collect(self) -> SourceResult:
        self.collecting.set()
        self.stopped.wait(SLOW)
        return SourceResult(source=self.name)


def test_stop_during_a_scan_ends_the_source_wait_and_the_loop() -> None:
    source = SlowSource()
    daemon = Daemon(layout(), [source], [], settings=Settings())
    runner = threading.Thread(target=daemon.run, daemon=True)
    runner.start()
    until(source.collecting.is_set, "the first scan reaching the source")
    daemon.stop()  # what the SIGTERM handler calls
    runner.join(timeout=10)
    assert not runner.is_alive(), "the loop waited for the source's whole wait after stop"
    assert source.stopped.is_set()
