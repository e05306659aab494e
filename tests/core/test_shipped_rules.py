"""The shipped rules pass the linter, and the package carries them wherever it is installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import skip_or_fail

from agent.paths import shipped_rules_dir
from agent.rules.load import load_rules

CHECKOUT = Path(__file__).resolve().parents[2]


def test_rules_check_passes_on_the_shipped_rules() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "agent", "rules", "check", str(shipped_rules_dir())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_shipped_rules_are_many_real_and_sourced() -> None:
    ruleset = load_rules([(shipped_rules_dir(), "shipped")])
    assert ruleset.problems == ()
    assert len(ruleset.rules) >= 25
    for rule in ruleset.rules:
        assert rule.url.startswith("https://"), rule.id
    seed = ruleset.get("anker-2024-321-power-bank")
    assert seed is not None
    (product,) = seed.products
    assert product.model_keys == {"A1112"}
    assert (product.serial, product.manufactured, product.codes, product.colors) == (
        None,
        None,
        frozenset(),
        frozenset(),
    )


def test_the_seed_recall_covers_its_three_products() -> None:
    models = {
        m for rule in load_rules([(shipped_rules_dir(), "shipped")]).rules for p in rule.products for m in p.model_keys
    }
    assert {"A1112", "A3302", "A3102"} <= models


def test_the_wheel_carries_rules_and_runs_from_anywhere(tmp_path: Path) -> None:
    if not (CHECKOUT / "pyproject.toml").exists():
        skip_or_fail("needs the source checkout to build the wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(CHECKOUT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("recall_agent-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "agent/data/rules/anker-2024-321-power-bank.toml" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", "import agent.paths, sys; print(agent.paths.shipped_rules_dir())"],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(done.stdout.strip()) == target / "agent" / "data" / "rules"
