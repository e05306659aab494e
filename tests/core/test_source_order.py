"""A scan reads the sources that do not run in the background while those that do (the network) wait."""

from __future__ import annotations

import threading

from agent.scan import collect
from agent.sources.base import DeviceSource, SourceResult


class Recorded(DeviceSource):
    """Notes when its collect ran; ``background`` ones wait in collect for ``release``."""

    def __init__(self, name: str, log: list[str], *, background: bool, release: threading.Event) -> None:
        self.name, self.log, self.background, self.release = name, log, background, release

    def start(self) -> bool:
        return self.background

    def collect(self) -> SourceResult:
        self.log.append(self.name)
        if self.background:
            self.release.wait(10)
        else:
            self.release.set()  # the network's answers are in once the others have been read
        return SourceResult(source=self.name)


def test_background_sources_are_waited_for_after_the_others_and_results_keep_the_sources_order() -> None:
    log: list[str] = []
    release = threading.Event()
    sources = [
        Recorded("usb", log, background=False, release=threading.Event()),
        Recorded("mdns", log, background=True, release=release),
        Recorded("homeassistant", log, background=False, release=release),
    ]
    results = collect(sources)
    assert log == ["usb", "homeassistant", "mdns"]
    assert [r.source for r in results] == ["usb", "mdns", "homeassistant"]


def test_a_source_that_fails_to_start_is_read_in_the_foreground() -> None:
    class Broken(Recorded):
        def start(self) -> bool:
            raise RuntimeError("no thread")

    log: list[str] = []
    sources: list[Recorded] = [Broken("first", log, background=False, release=threading.Event())]
    sources.append(Recorded("second", log, background=False, release=threading.Event()))
    assert [r.source for r in collect(sources)] == ["first", "second"]
    assert log == ["first", "second"]
