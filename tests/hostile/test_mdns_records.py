"""Whatever a device on the network announces becomes MdnsFacts with safe, bounded strings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hostile.hostile_support import HOSTILE, TEXT, assert_safe
from hypothesis import given
from hypothesis import strategies as st

from agent.model import MdnsFacts
from agent.sources.mdns.convert import MAX_ADDRESSES, facts_from_service_info
from agent.sources.mdns.text import MAX_KEY, MAX_KEYS, MAX_VALUE, clean_properties

RAW = st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))
NAMES = st.one_of(
    TEXT,
    st.text(max_size=300),
    st.sampled_from(["_ipp._tcp.local.", "Kettle._hap._tcp.local."]),
    TEXT.map(lambda a: a + "._ipp._tcp.local."),
)


@dataclass
class Service:
    """A resolved service as zeroconf's ServiceInfo presents it."""

    type: str
    name: str
    server: str | None
    properties: Mapping[bytes, bytes | None]
    addresses: list[str] = field(default_factory=list)

    def parsed_addresses(self) -> list[str]:
        return self.addresses


def assert_facts_safe(facts: MdnsFacts) -> None:
    for text in (facts.instance, facts.hostname, facts.manufacturer, facts.model, *facts.services):
        assert_safe(text, MAX_VALUE)
    assert len(facts.txt) <= MAX_KEYS
    for key, value in facts.txt:
        assert_safe(key, MAX_KEY)
        assert key and key == key.lower() and "=" not in key
        assert_safe(value, MAX_VALUE)
    assert len(facts.addresses) <= MAX_ADDRESSES


@HOSTILE
@given(st.dictionaries(RAW, st.none() | RAW, max_size=80))
def test_txt_properties(properties: dict[bytes, bytes | None]) -> None:
    pairs, dropped = clean_properties(properties)
    assert len(pairs) <= MAX_KEYS
    assert dropped <= max(0, len(properties) - len(pairs))
    for key, value in pairs:
        assert_safe(key, MAX_KEY)
        assert_safe(value, MAX_VALUE)


@HOSTILE
@given(
    NAMES,
    NAMES,
    st.none() | NAMES,
    st.dictionaries(RAW, st.none() | RAW, max_size=20),
    st.lists(TEXT | st.ip_addresses().map(str), max_size=30),
)
def test_resolved_services(
    type_: str, name: str, server: str | None, properties: dict[bytes, bytes | None], addresses: list[str]
) -> None:
    assert_facts_safe(facts_from_service_info(Service(type_, name, server, properties, addresses)))


def test_a_huge_txt_value_costs_nothing() -> None:
    """A 100 MB value is looked at only up to a few kilobytes and kept to MAX_VALUE characters."""
    huge = b"A" * 100_000_000
    facts = facts_from_service_info(Service("_ipp._tcp.local.", "P._ipp._tcp.local.", "p.local.", {b"ty": huge}))
    assert facts.txt == (("ty", "A" * MAX_VALUE),)


def test_names_that_lengthen_when_lower_cased_stay_within_the_cap() -> None:
    facts = facts_from_service_info(Service("_ipp._tcp.local.", "P._ipp._tcp.local.", "İ" * 400 + ".local.", {}))
    assert_safe(facts.hostname, MAX_VALUE)
