"""Booting a real systemd for the tests: the cached Debian 12 root, wheels for its Python, the results.

The root and the dependency wheels are built once into a cache outside the checkout
($RECALL_AGENT_TEST_CACHE, default /var/cache/recall-agent-tests) and reused; only the project's own wheel
is built for every run, from the tree under test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from conftest import skip_or_fail

HERE = Path(__file__).parent
CHECKOUT = HERE.parents[1]
CACHE = Path(os.environ.get("RECALL_AGENT_TEST_CACHE", "/var/cache/recall-agent-tests"))


@dataclass
class Timings:
    """How long each stage took, printed with the test's output (pytest -s or -rA shows it)."""

    stages: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.stages[name] = round(seconds, 1)
        print(f"time {name}: {seconds:.1f} s")


def need(*programs: str) -> None:
    if os.geteuid() != 0:
        skip_or_fail("booting a real systemd needs root")
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        skip_or_fail(f"needs {', '.join(missing)} (see tests/system-packages.txt)")


def _build(*args: str) -> Path:
    done = subprocess.run(
        ["bash", str(HERE / "image.sh"), *args], capture_output=True, text=True, timeout=1800, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"building the guest image failed:\n{done.stderr[-3000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def image(timings: Timings) -> Path:
    """The cached guest root, built by tests/realsystemd/image.sh when it is missing."""
    started = time.monotonic()
    root = _build()
    timings.add("root (built or reused)", time.monotonic() - started)
    return root


def disk_image(timings: Timings) -> tuple[Path, Path, Path]:
    """The cached qemu disk image made from the root (the dependencies installed in /opt/recall-agent),
    with the root's kernel and initrd."""
    started = time.monotonic()
    disk = _build("--disk", str(dependency_wheels()))
    root = image(timings)
    timings.add("disk image (built or reused)", time.monotonic() - started)
    return disk, root / ".vmlinuz", root / ".initrd.img"


def _dependencies_key() -> str:
    text = (CHECKOUT / "pyproject.toml").read_text(encoding="utf-8")
    deps = text[text.index("dependencies = [") : text.index("]", text.index("dependencies = ["))]
    return hashlib.sha256(f"{sys.version_info[:2]}\n{deps}".encode()).hexdigest()[:12]


def wheels(into: Path, timings: Timings) -> Path:
    """A folder with the project's wheel (built now) and its dependencies' wheels (cached) for the guest.

    The guest's Python is Debian 12's 3.11, so the wheels are built by a Python 3.11 on the host.
    """
    if sys.version_info[:2] != (3, 11):
        skip_or_fail(
            f"the guest runs Python 3.11; these tests need a Python 3.11 to build its wheels, not {sys.version}"
        )
    started = time.monotonic()
    deps = dependency_wheels()
    into.mkdir(parents=True, exist_ok=True)
    for wheel in deps.glob("*.whl"):
        shutil.copy(wheel, into / wheel.name)
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", str(into), str(CHECKOUT)], check=True, timeout=300
    )
    timings.add("wheels", time.monotonic() - started)
    return into


PIP = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]


def dependency_wheels() -> Path:
    """The cached wheels of the project's dependencies, built once per set of dependencies."""
    if sys.version_info[:2] != (3, 11):
        skip_or_fail(
            f"the guest runs Python 3.11; these tests need a Python 3.11 to build its wheels, not {sys.version}"
        )
    deps = CACHE / f"wheels-{_dependencies_key()}"
    if not (deps / ".complete").exists():
        shutil.rmtree(deps, ignore_errors=True)
        subprocess.run([*PIP, "wheel", "--no-build-isolation", "-w", str(deps), str(CHECKOUT)], check=True, timeout=900)
        for own in deps.glob("recall_agent-*.whl"):
            own.unlink()
        (deps / ".complete").touch()
    return deps


def results(folder: Path) -> tuple[dict[str, str], dict[str, float]]:
    """The guest's check results: name -> "" when it passed, else why; and its "time" lines in seconds."""
    checks: dict[str, str] = {}
    times: dict[str, float] = {}
    path = folder / "checks"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.startswith("ok "):
            checks[line[3:]] = ""
        elif line.startswith("not ok "):
            name, _, why = line[7:].partition(": ")
            checks[name] = why or "failed"
        elif line.startswith("time "):
            _, name, ms = line.split()
            times[name] = int(ms) / 1000
    return checks, times
