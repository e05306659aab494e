"""Each atheris harness's target over the seed corpus committed beside it (and any crash files found since)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hostile.fuzz import fuzz_cpsc, fuzz_inventory, fuzz_rules

FUZZ = Path(__file__).parent / "fuzz"
TARGETS: dict[str, Callable[[bytes], None]] = {
    "seeds_rules": fuzz_rules.target,
    "seeds_inventory": fuzz_inventory.target,
    "seeds_cpsc": fuzz_cpsc.target,
}
SEEDS = sorted((folder, path.name) for folder in TARGETS for path in (FUZZ / folder).iterdir())


@pytest.mark.parametrize(("folder", "name"), SEEDS)
def test_seed(folder: str, name: str) -> None:
    TARGETS[folder]((FUZZ / folder / name).read_bytes())
