"""Fixtures for tests that run real mDNS peers in network namespaces (see netns.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import skip_or_fail

from .netns import Lan, missing_requirements


def require(reason: str) -> None:
    """Skip with the reason on a developer's machine; in CI (CI=true) a missing requirement fails."""
    if reason:
        skip_or_fail(reason)


@pytest.fixture(scope="session")
def netns_ok() -> None:
    require(missing_requirements())


@pytest.fixture(scope="session")
def avahi_ok(netns_ok: None) -> None:
    require(missing_requirements(avahi=True))


@pytest.fixture
def lan(netns_ok: None) -> Iterator[Lan]:
    """A scanning namespace of its own; add peers with ``lan.add_peer(role)``."""
    with Lan.create() as created:
        yield created
