"""One-shot questions without a network: the packets they make, and which answers are let in.

No socket that reaches a network is opened here (the plan has no interface to bind); the real exchange
with avahi-daemon and python-zeroconf is in tests/net/test_mdns_oneshot_peers.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from zeroconf._dns import DNSPointer
from zeroconf._protocol.incoming import DNSIncoming
from zeroconf._protocol.outgoing import DNSOutgoing

from agent.sources.mdns.net import InterfacePlan
from agent.sources.mdns.oneshot import PORT, TYPE_PTR, TYPE_SRV, TYPE_TXT, OneShot, query

ON_LINK = "10.77.0.1"
HAP = "_hap._tcp.local."


class FakeLoop:
    def call_soon_threadsafe(self, callback: Callable[[Any], None], message: Any) -> None:
        callback(message)


class FakeZeroconf:
    """Just what OneShot hands answers to: an event loop and a record manager."""

    def __init__(self) -> None:
        self.loop = FakeLoop()
        self.done = False
        self.record_manager = self
        self.answers: list[list[str]] = []

    def async_updates_from_response(self, message: DNSIncoming) -> None:
        self.answers.append([getattr(r, "alias", r.name) for r in message.answers()])


@pytest.fixture
def oneshot() -> Iterator[OneShot]:
    asker = OneShot(InterfacePlan(networks=("10.77.0.0/24", "fd77:0::/64")))
    yield asker
    asker.close()


def answer(id_: int, alias: str = f"Heater A.{HAP}") -> bytes:
    out = DNSOutgoing(0x8400, multicast=False, id_=id_)
    out.add_answer_at_time(DNSPointer(HAP, TYPE_PTR, 1, 10, alias), 0)
    return out.packets()[0]


def test_a_query_asks_each_question_once_from_labels_that_may_hold_dots() -> None:
    packet = query(
        4242, [(["Dr. Who's Printer", "_ipp", "_tcp", "local"], TYPE_SRV), (["_ipp", "_tcp", "local"], TYPE_PTR)]
    )
    assert packet is not None
    parsed = DNSIncoming(packet)
    assert parsed.valid and parsed.is_query() and parsed.id == 4242
    assert [(q.name, q.type) for q in parsed.questions] == [
        ("Dr. Who's Printer._ipp._tcp.local.", TYPE_SRV),
        ("_ipp._tcp.local.", TYPE_PTR),
    ]
    assert not any(q.unicast for q in parsed.questions)  # a legacy question has no QU bit
    assert parsed.answers() == []  # a legacy query carries no known answers (avahi drops those that do)


@pytest.mark.parametrize("labels", [["x" * 64, "local"], ["a" * 60] * 5, [], ["", "local"]])
def test_a_name_dns_cannot_carry_is_not_asked(labels: list[str]) -> None:
    assert query(1, [(labels, TYPE_TXT)]) is None


def test_answers_kept_until_zeroconf_is_attached_then_handed_over(oneshot: OneShot) -> None:
    zc = FakeZeroconf()
    id_ = oneshot._id
    oneshot._take(answer(id_), (ON_LINK, PORT))
    assert zc.answers == []
    oneshot.attach(zc)  # type: ignore[arg-type]
    assert zc.answers == [[f"Heater A.{HAP}"]]
    oneshot._take(answer(id_, f"Heater B.{HAP}"), ("fe80::1%eth0", PORT, 0, 2))
    assert zc.answers[-1] == [f"Heater B.{HAP}"]
    assert oneshot.responders == {ON_LINK, "fe80::1"}


@pytest.mark.parametrize(
    ("source", "wrong_id"),
    [
        ((ON_LINK, 40000), False),  # not from a responder's port
        (("192.0.2.9", PORT), False),  # not on a chosen interface's subnet
        (("2001:db8::1", PORT, 0, 2), False),
        ((ON_LINK, PORT), True),  # not an answer to the questions asked here
    ],
)
def test_answers_from_elsewhere_are_ignored(oneshot: OneShot, source: Any, wrong_id: bool) -> None:
    zc = FakeZeroconf()
    oneshot.attach(zc)  # type: ignore[arg-type]
    oneshot._take(answer(oneshot._id ^ 1 if wrong_id else oneshot._id), source)
    assert zc.answers == []
    assert oneshot.responders == set()


def test_a_question_is_not_an_answer(oneshot: OneShot) -> None:
    zc = FakeZeroconf()
    oneshot.attach(zc)  # type: ignore[arg-type]
    packet = query(oneshot._id, [(["_hap", "_tcp", "local"], TYPE_PTR)])
    assert packet is not None
    oneshot._take(packet, (ON_LINK, PORT))
    assert zc.answers == []
