"""A scan reads the sources that do not run in the background while those that do (the network) wait, and
drafts its inventory merge from what they found so far once that has settled near their end."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from agent.inventory import merge, store
from agent.model import Observation, UsbFacts
from agent.rules.load import RuleSet
from agent.scan import NEAR_END, collect, scan
from agent.sources.base import DeviceSource, SoFar, SourceResult


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


def device(name: str) -> Observation:
    return Observation(
        source="usb",
        identity=f"usb:0627:0001:s:{name}",
        locator="1-1",
        usb=UsbFacts(vendor_id="0627", product_id="0001", product="Keyboard", serial=name),
    )


class Growing(DeviceSource):
    """A background source that finds A at once, B at ``late`` seconds, and is done at ``done``."""

    name = "mdns"

    def __init__(self, late: float = 0.3, done: float = 0.9) -> None:
        self.began = time.monotonic()
        self.late, self.done = late, done

    def start(self) -> bool:
        return True

    def _now(self) -> tuple[int, tuple[Observation, ...]]:
        if time.monotonic() - self.began < self.late:
            return 1, (device("A"),)
        return 2, (device("A"), device("B"))

    def so_far(self, seen: int, timeout: float) -> SoFar | None:
        until = time.monotonic() + timeout
        while time.monotonic() < until and time.monotonic() - self.began < self.done and self._now()[0] == seen:
            time.sleep(0.005)
        if time.monotonic() - self.began >= self.done:
            return None
        return SoFar(version=self._now()[0], ends_at=self.began + self.done)

    def found_so_far(self) -> tuple[int, tuple[Observation, ...]]:
        return self._now()

    def collect(self) -> SourceResult:
        time.sleep(max(self.began + self.done - time.monotonic(), 0.0))
        return SourceResult(source=self.name, observations=self._now()[1])


class Seen(DeviceSource):
    name = "usb"

    def __init__(self, *found: Observation) -> None:
        self.found = found

    def collect(self) -> SourceResult:
        return SourceResult(source=self.name, observations=self.found)


def test_while_the_background_runs_what_was_found_so_far_is_handed_ahead_once_settled() -> None:
    handed: list[tuple[float, list[Observation]]] = []
    growing = Growing()
    results = collect([Seen(device("U")), growing], ahead=lambda o: handed.append((time.monotonic(), o)))
    final = [o for r in results for o in r.observations]
    assert [o.identity[-1] for o in final] == ["U", "A", "B"]
    assert handed and handed[-1][1] == final  # in the sources' order, the foreground's first
    assert all(when < growing.began + growing.done for when, _ in handed)
    assert all(when >= growing.began + growing.done - NEAR_END for when, _ in handed)  # not long before the end
    assert len(handed) == 1  # A alone was news long before the end: never handed


def test_news_after_a_hand_is_handed_again() -> None:
    handed: list[list[Observation]] = []
    collect([Growing(late=0.7, done=1.1)], ahead=handed.append)
    assert [[o.identity[-1] for o in h] for h in handed] == [["A"], ["A", "B"]]


def test_a_scan_writes_the_merge_it_drafted_while_the_network_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, drafted = tmp_path / "a.toml", tmp_path / "b.toml"
    now = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.timezone.utc)
    scan(plain, RuleSet((), (), 0), [Seen(device("U"), device("A"), device("B"))], now=now)
    edits: list[Path] = []
    editing = store.editing

    def noted(path: Path, prepared: Any = None) -> Any:
        edits.append(path)
        return editing(path, prepared)

    monkeypatch.setattr(merge, "editing", noted)
    result = scan(drafted, RuleSet((), (), 0), [Seen(device("U")), Growing()], now=now)
    assert edits == []  # the draft was written as it was
    assert drafted.read_bytes() == plain.read_bytes()
    assert len(result.added) == 3


def test_no_second_hand_that_could_not_end_before_the_background_does() -> None:
    handed: list[list[Observation]] = []

    def slow(found: list[Observation]) -> None:
        handed.append(found)
        time.sleep(0.15)  # a draft of a large inventory

    collect([Growing(late=0.85, done=1.0)], ahead=slow)
    assert [[o.identity[-1] for o in h] for h in handed] == [["A"]]  # B came less than 0.15 s before the end
