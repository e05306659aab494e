"""``MdnsSource.start`` asks the first one-shot questions before it returns, on the caller's thread, and
leaves the rest of the browse to a thread of its own. No socket is opened: the interfaces, the one-shot
sockets and Zeroconf are stand-ins here (the real exchange is in tests/net)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import ClassVar

import pytest
import zeroconf

from agent.sources.mdns import source
from agent.sources.mdns.convert import first_questions
from agent.sources.mdns.net import InterfacePlan
from agent.sources.mdns.source import MdnsSource

PLAN = InterfacePlan(names=("eth9",), bind=("192.0.2.7",), networks=("192.0.2.0/24",))


class FakeOneShot:
    """Notes on which thread each question was asked; opens no socket."""

    made: ClassVar[list[FakeOneShot]] = []

    def __init__(self, plan: InterfacePlan) -> None:
        self.plan = plan
        self.asked: list[tuple[str, str]] = []
        self.closed = False
        FakeOneShot.made.append(self)

    def ask_types(self, types: Iterable[str]) -> None:
        self.asked += [(threading.current_thread().name, t) for t in types]

    def close(self) -> None:
        self.closed = True


class NoZeroconf:
    def __init__(self, interfaces: list[str | int]) -> None:
        raise OSError("no sockets in this test")


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeOneShot]]:
    FakeOneShot.made = []
    monkeypatch.setattr(source, "current_interfaces", lambda wanted: PLAN)
    monkeypatch.setattr(source, "OneShot", FakeOneShot)
    monkeypatch.setattr(zeroconf, "Zeroconf", NoZeroconf)
    yield FakeOneShot.made


def test_start_asks_the_first_questions_on_the_callers_thread_before_it_returns(fakes: list[FakeOneShot]) -> None:
    mdns = MdnsSource(window=1.0)
    assert mdns.start()
    (oneshot,) = fakes
    assert oneshot.asked == [(threading.current_thread().name, t) for t in first_questions()]
    result = mdns.collect()  # the browse thread then finds no Zeroconf sockets
    assert result.skipped == "cannot open mDNS sockets on eth9: no sockets in this test"
    assert oneshot.closed


def test_a_source_without_an_interface_says_why_from_collect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        source, "current_interfaces", lambda wanted: InterfacePlan(problems=("eth9: interface is down",))
    )
    mdns = MdnsSource(window=1.0, interfaces=["eth9"])
    assert mdns.start()
    assert mdns.collect().skipped == "no interface to browse mDNS on: eth9: interface is down"


def test_sockets_that_cannot_be_opened_are_a_skipped_result(
    fakes: list[FakeOneShot], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(plan: InterfacePlan) -> FakeOneShot:
        raise PermissionError("not allowed")

    monkeypatch.setattr(source, "OneShot", refused)
    mdns = MdnsSource(window=1.0)
    assert mdns.start()
    assert mdns.collect().skipped == "cannot open mDNS sockets on eth9: not allowed"
    assert (
        MdnsSource(window=1.0).collect().skipped == "cannot open mDNS sockets on eth9: not allowed"
    )  # in the foreground too
