"""The quiet end of a one-shot browse: the rule on a fake clock, then MdnsSource over a fake Zeroconf.

The fake browser calls the listener at set times after it starts, as answers from responders would;
the fake resolve answers at once, late, or never. The real end-to-end run against avahi-daemon in
network namespaces is in tests/net/test_mdns_quiet_peers.py.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
import zeroconf
from zeroconf import ServiceInfo, ServiceListener

from agent.sources.mdns import browse, source
from agent.sources.mdns.convert import ENUMERATION, facts_from_service_info
from agent.sources.mdns.net import InterfacePlan
from agent.sources.mdns.quiet import FIRST_QUERY_DELAY, LATE_ANSWER, QUIET, RESOLVE_PATIENCE, Quiet
from agent.sources.mdns.source import RESOLVE_GRACE, MdnsSource

SETTLE = FIRST_QUERY_DELAY + LATE_ANSWER
EPS = 1e-9  # sums of seconds in another order differ in the last bit


def test_fast_answers_end_the_browse_once_a_late_responder_had_its_time() -> None:
    quiet = Quiet(start=100.0, window=3.0)
    quiet.asked(100.0)
    quiet.heard(100.15)
    quiet.heard(100.3)
    assert not quiet.over(100.0 + LATE_ANSWER - 0.01, resolving=0)
    assert quiet.over(100.0 + LATE_ANSWER + EPS, resolving=0)
    assert quiet.ends_at() == pytest.approx(100.0 + LATE_ANSWER)


def test_an_answer_late_in_the_browse_keeps_it_open_for_the_answers_that_follow() -> None:
    quiet = Quiet(start=0.0, window=4.0)
    quiet.asked(0.0)
    late = LATE_ANSWER + 0.05  # heard after the first answers have had their time
    quiet.heard(late)
    assert not quiet.over(late + QUIET - 0.01, resolving=0)
    assert quiet.over(late + QUIET + EPS, resolving=0)


def test_a_type_learnt_late_gets_its_own_first_query_and_late_answers() -> None:
    quiet = Quiet(start=0.0, window=5.0)
    quiet.asked(0.0)
    quiet.heard(0.2)
    quiet.asked(0.8)  # the enumeration named a type; a new browser asks for it
    assert not quiet.over(0.8 + LATE_ANSWER - 0.01, resolving=0)
    assert quiet.over(0.8 + LATE_ANSWER + EPS, resolving=0)


def test_a_resolve_still_waiting_keeps_the_browse_open_until_the_window() -> None:
    quiet = Quiet(start=0.0, window=3.0)
    assert not quiet.over(2.99, resolving=1)
    assert quiet.over(3.0, resolving=1)


def test_the_window_bounds_a_network_that_never_goes_quiet() -> None:
    quiet = Quiet(start=0.0, window=2.0)
    now = 0.0
    while not quiet.over(now, resolving=0):
        quiet.heard(now)
        now = round(now + 0.1, 3)
    assert now == 2.0
    assert Quiet(start=0.0, window=0.5).ends_at() == 0.5


# MdnsSource over a fake Zeroconf: responders are (seconds after the browser starts, instance name).

Answers = dict[str, list[tuple[float, str]]]


class FakeBrowser:
    answers: ClassVar[Answers] = {}
    started: ClassVar[list[float]] = []

    def __init__(self, zc: object, types: str | list[str], listener: ServiceListener) -> None:
        self.timers: list[threading.Timer] = []
        FakeBrowser.started.append(time.monotonic())
        for type_ in [types] if isinstance(types, str) else types:
            for delay, name in self.answers.get(type_, []):
                full = name if name.endswith(".local.") else f"{name}.{type_}"
                timer = threading.Timer(delay, listener.add_service, (zc, type_, full))
                timer.start()
                self.timers.append(timer)

    def cancel(self) -> None:
        for timer in self.timers:
            timer.cancel()


def resolved(type_: str, name: str) -> ServiceInfo:
    host = name.split(".", maxsplit=1)[0].replace(" ", "-").lower()
    address = socket.inet_aton(f"192.0.2.{sum(name.encode()) % 250 + 1}")
    return ServiceInfo(type_, name, port=80, properties={b"md": b"X"}, server=f"{host}.local.", addresses=[address])


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[Answers]:
    answers: Answers = {}
    FakeBrowser.answers, FakeBrowser.started = answers, []
    monkeypatch.setattr(browse, "ServiceBrowser", FakeBrowser)

    def resolve(
        zc: object, type_: str, name: str, until: float, ask: Callable[[str, str], None] | None = None
    ) -> concurrent.futures.Future[ServiceInfo | None]:
        if ask is not None:
            ask(type_, name)
        future: concurrent.futures.Future[ServiceInfo | None] = concurrent.futures.Future()
        if name.startswith("Lost"):  # a request that never ends: its Zeroconf was closed under it
            return future
        if name.startswith("Mute"):  # announced, never answers its resolve
            answer, delay = None, max(until - time.monotonic(), 0.0)
        else:
            answer, delay = resolved(type_, name), 1.0 if name.startswith("Slow") else 0.0
        threading.Timer(delay, _settle, (future, answer)).start()
        return future

    monkeypatch.setattr(browse, "_resolve", resolve)
    yield answers


def _settle(future: concurrent.futures.Future[ServiceInfo | None], answer: ServiceInfo | None) -> None:
    """The fake request ends, unless the browse cancelled it."""
    with contextlib.suppress(concurrent.futures.InvalidStateError):
        future.set_result(answer)


def scan(window: float) -> tuple[float, list[str], Any]:
    """Seconds the scan took, the instance names of the devices found, and the result."""
    started = time.monotonic()
    result = MdnsSource(window=window, zeroconf=object()).collect()  # type: ignore[arg-type]
    names = sorted(o.mdns.instance for o in result.observations if o.mdns is not None)
    return time.monotonic() - started, names, result


HAP = "_hap._tcp.local."


def test_fast_responders_end_the_scan_long_before_the_window(network: Answers) -> None:
    network[HAP] = [(0.05, "Heater A"), (0.1, "Heater B")]
    elapsed, names, _ = scan(window=5.0)
    assert names == ["Heater A", "Heater B"]
    assert SETTLE <= elapsed < SETTLE + 0.4


def test_a_responder_a_second_late_is_still_found(network: Answers) -> None:
    network[HAP] = [(0.05, "Heater A"), (1.0, "Heater Late")]
    elapsed, names, _ = scan(window=5.0)
    assert names == ["Heater A", "Heater Late"]
    ends = max(SETTLE, 1.0 + QUIET)  # the first answers' time, or quiet after the late answer
    assert ends <= elapsed < ends + 0.4


def test_a_slow_resolve_is_waited_for(network: Answers) -> None:
    network[HAP] = [(0.9, "Slow Heater")]
    elapsed, names, _ = scan(window=5.0)
    assert names == ["Slow Heater"]
    assert 0.9 + 1.0 + QUIET <= elapsed < 0.9 + 1.0 + QUIET + 0.4


def test_a_service_that_never_resolves_is_kept_by_name_within_the_resolve_patience(network: Answers) -> None:
    network[HAP] = [(0.05, "Heater A"), (0.1, "Mute Heater")]
    elapsed, names, result = scan(window=5.0)
    assert names == ["Heater A", "Mute Heater"]
    assert "1 announced services did not answer in time" in result.warnings
    assert 0.1 + RESOLVE_PATIENCE <= elapsed < 0.1 + RESOLVE_PATIENCE + QUIET + 0.4


def test_stop_ends_a_browse_in_progress_and_cancels_the_resolve_still_waiting(network: Answers) -> None:
    network[HAP] = [(0.05, "Heater A"), (0.1, "Mute Heater")]
    source = MdnsSource(window=30.0, zeroconf=object())  # type: ignore[arg-type]
    requests: list[concurrent.futures.Future[ServiceInfo | None]] = []
    fake = browse._resolve

    def resolve(*args: Any) -> concurrent.futures.Future[ServiceInfo | None]:
        requests.append(fake(*args))
        return requests[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(browse, "_resolve", resolve)
        threading.Timer(0.4, source.stop).start()  # as the daemon's SIGTERM handler does
        started = time.monotonic()
        result = source.collect()
        elapsed = time.monotonic() - started
    assert sorted(o.mdns.instance for o in result.observations if o.mdns) == ["Heater A", "Mute Heater"]
    assert 0.4 <= elapsed < 0.4 + 0.5  # not the quiet end (SETTLE) nor the mute one's patience
    assert [f.cancelled() for f in requests] == [False, True]
    again = time.monotonic()
    assert source.collect().skipped == "stopping"
    assert time.monotonic() - again < 0.1


def test_a_request_that_never_ends_is_given_up_after_the_resolve_time(network: Answers) -> None:
    network[HAP] = [(0.05, "Lost Heater")]
    elapsed, names, _ = scan(window=0.5)
    assert names == ["Lost Heater"]  # kept by its name, as a service that never answered
    given_up = 0.5 + RESOLVE_GRACE + browse._STRAGGLERS
    assert given_up <= elapsed < given_up + 0.4


def test_the_window_is_the_bound_and_later_answers_are_not_waited_for(network: Answers) -> None:
    network[HAP] = [(0.05, "Heater A"), (1.5, "Heater Too Late")]
    elapsed, names, _ = scan(window=1.0)
    assert names == ["Heater A"]
    assert 1.0 <= elapsed < 1.3


def test_a_type_the_enumeration_names_is_browsed_and_waited_for(network: Answers) -> None:
    network[ENUMERATION] = [(0.6, "_vendor._tcp.local.")]
    network["_vendor._tcp.local."] = [(0.3, "Gadget")]
    elapsed, names, _ = scan(window=5.0)
    assert names == ["Gadget"]
    assert len(FakeBrowser.started) == 3
    assert FakeBrowser.started[2] - FakeBrowser.started[0] >= 0.6
    assert elapsed >= 0.6 + SETTLE


class FakeOneShot:
    """Records the one-shot questions a scan asks; answers come from the fake browser as before."""

    def __init__(self) -> None:
        self.types: list[tuple[float, str]] = []
        self.services: list[str] = []

    def ask_types(self, types: list[str]) -> None:
        self.types += [(time.monotonic(), t) for t in types]

    def ask_service(self, type_: str, name: str) -> None:
        self.services.append(name)


def test_one_shot_questions_start_the_late_answer_clock_when_they_go_out(network: Answers) -> None:
    network[HAP] = [(0.05, "Heater A")]
    network[ENUMERATION] = [(0.3, "_vendor._tcp.local.")]
    oneshot = FakeOneShot()
    asked = time.monotonic()  # the caller asked the first questions before opening Zeroconf
    time.sleep(0.2)
    services, _ = browse.Scan(object(), 5.0, None, oneshot, start=asked).run()  # type: ignore[arg-type]
    learnt = next(when for when, t in oneshot.types if t == "_vendor._tcp.local.")
    assert [t for _, t in oneshot.types] == ["_vendor._tcp.local."]  # asked at once, not by the browser later
    assert oneshot.services == ["Heater A._hap._tcp.local."]
    assert [s.instance for s in services] == ["Heater A"]
    assert learnt + LATE_ANSWER <= time.monotonic() < learnt + LATE_ANSWER + FIRST_QUERY_DELAY


def test_each_service_is_read_as_its_resolve_ends_not_when_the_browse_is_over(
    network: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    network[HAP] = [(0.05, "Heater A"), (0.9, "Slow Heater")]
    read_at: dict[str, float] = {}
    convert = facts_from_service_info

    def noted(info: Any) -> Any:
        read_at[info.name.split(".")[0]] = time.monotonic()
        return convert(info)

    monkeypatch.setattr(browse, "facts_from_service_info", noted)
    started = time.monotonic()
    elapsed, names, _ = scan(window=5.0)
    assert names == ["Heater A", "Slow Heater"]
    assert read_at["Heater A"] - started < 0.5  # the browse itself runs until 0.9 + 1.0 + QUIET
    assert read_at["Slow Heater"] - started < elapsed - QUIET + 0.1


def test_services_read_as_they_resolve_are_those_read_all_at_once_at_the_end(
    network: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same services, in the same order, with the same warnings, as reading every finished resolve once
    the browse is over (as the scan did before), over answers, a mute service and a malformed answer."""
    network[HAP] = [(0.05, "Heater A"), (0.1, "Mute Heater"), (0.2, "Broken Heater"), (0.3, "Slow Heater")]
    network["_ipp._tcp.local."] = [(0.15, "Printer B")]
    convert = facts_from_service_info

    def strict(info: Any) -> Any:
        if info.name.startswith("Broken"):
            raise ValueError("a malformed answer")
        return convert(info)

    monkeypatch.setattr(browse, "facts_from_service_info", strict)
    run = browse.Scan(object(), 5.0, None)  # type: ignore[arg-type]
    services, warnings = run.run()
    batch: list[Any] = []
    expected_warnings: list[str] = []
    for (type_, name), future in run.pending.items():
        try:
            info = future.result() if future.done() and not future.cancelled() else None
            batch.append(browse._unresolved_facts(type_, name) if info is None else strict(info))
        except Exception as e:
            expected_warnings.append(f"could not read service {name!r}: {type(e).__name__}")
    expected_warnings.append("1 announced services did not answer in time")
    assert [s.instance for s in services] == ["Heater A", "Mute Heater", "Printer B", "Slow Heater"]
    assert services == batch
    assert warnings == expected_warnings


class SilentOneShot:
    """One-shot sockets that send nothing: the fake browser above plays the answers."""

    def __init__(self, plan: InterfacePlan) -> None:
        self.plan = plan

    def ask_types(self, types: list[str]) -> None: ...

    def ask_service(self, type_: str, name: str) -> None: ...

    def attach(self, zc: object) -> None: ...

    def close(self) -> None: ...


class OfflineZeroconf:
    loop = None

    def __init__(self, interfaces: list[str | int]) -> None: ...

    def close(self) -> None: ...


def test_what_a_background_browse_found_so_far_ends_as_what_collect_returns(
    network: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    network[HAP] = [(0.05, "Heater A"), (0.5, "Heater B")]
    plan = InterfacePlan(names=("eth9",), bind=("192.0.2.7",), networks=("192.0.2.0/24",))
    monkeypatch.setattr(source, "current_interfaces", lambda wanted: plan)
    monkeypatch.setattr(source, "OneShot", SilentOneShot)
    monkeypatch.setattr(zeroconf, "Zeroconf", OfflineZeroconf)
    mdns = MdnsSource(window=5.0)
    assert mdns.start()
    seen, found = 0, []
    while (news := mdns.so_far(seen, 0.05)) is not None:
        if news.version != seen:
            seen, observations = mdns.found_so_far()
            found.append(observations)
            assert seen >= news.version and news.ends_at >= time.monotonic() - 0.1
    result = mdns.collect()
    assert found[-1] == result.observations
    assert [sorted(o.mdns.instance for o in f if o.mdns) for f in found if f][:1] == [["Heater A"]]
    assert sorted(o.mdns.instance for o in result.observations if o.mdns) == ["Heater A", "Heater B"]
    assert mdns.so_far(seen, 0.01) is None
