"""Without root or a peer, namespace tests skip on a developer's machine and fail in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import require
from .netns import missing_requirements


def test_nothing_missing_means_no_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require("")


def test_missing_requirement_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="need root"):
        require("tests need root")


def test_missing_requirement_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"need root.*CI=true"):
        require("tests need root")


def test_a_missing_avahi_daemon_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = missing_requirements(avahi=True)
    if os.geteuid() != 0:
        assert "root" in reason
    else:
        assert reason == "missing tools: ip, unshare, mount, avahi-daemon (see tests/system-packages.txt)"
