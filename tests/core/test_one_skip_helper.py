"""Every skip goes through conftest.skip_or_fail, which fails instead under CI=true: no test skips in CI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import skip_or_fail

TESTS = Path(__file__).parents[1]
BARE = re.compile(r"pytest\.skip\(|pytest\.importorskip\(|pytest\.mark\.skip(?:if)?\b")


def test_no_test_skips_on_its_own() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "conftest.py" or path.parent != TESTS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE.search(line) and path != Path(__file__)
    ]
    assert found == [], "skip through conftest.skip_or_fail instead:\n" + "\n".join(found)


def test_the_helper_skips_outside_ci_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no peer here \(CI=true"):
        skip_or_fail("no peer here")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="no peer here"):
        skip_or_fail("no peer here")
