"""The system service under a real systemd: a Debian 12 guest booted with systemd-nspawn.

The guest has no network (--private-network) and a throw-away overlay over the cached root. Its test unit
installs recall-agent from the wheel into /opt, runs `service install --system` and the admin commands,
and writes one line per check into a bound folder, then powers the guest off.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from realsystemd.guests import CHECKOUT, HERE, Timings, image, need, results, wheels

pytestmark = pytest.mark.slow

CHECKS = [
    "installed",
    "install_system",
    "ready",
    "status_from_daemon",
    "stays_up",
    "security_score",
    "inventory_add",
    "finding_published",
    "finding_in_journal",
    "owned_after_inventory_add",
    "findings_public",
    "ack",
    "ack_seen_by_service",
    "owned_after_ack",
    "rules_import",
    "owned_after_rules_import",
    "no_permission_errors",
    "service_still_up",
    "install_scan",
    "scan_timer_enabled",
    "scan_timer_active",
    "scan_unit_succeeds",
    "scan_unit_reads_everything",
    "owned_after_scan_unit",
    "notifier_enabled",
    "user_manager",
    "notifier_runs",
    "notifier_reads_findings",
    "watchdog_restarts",
    "watchdog_in_journal",
    "uninstall_system",
    "uninstall_scan",
    "units_gone",
    "service_stopped",
    "state_kept",
]
TEST_UNIT = """\
[Unit]
Description=recall-agent checks under a real systemd
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/bin/bash /checks/service-checks.sh
ExecStopPost=/usr/bin/systemctl --no-block poweroff
TimeoutStartSec=15min
"""


def test_the_system_service_under_a_real_systemd(tmp_path: Path) -> None:
    need("systemd-nspawn", "mmdebstrap")
    timings = Timings()
    root = image(timings)
    wheel_dir = wheels(tmp_path / "wheels", timings)
    out = tmp_path / "results"
    out.mkdir()
    unit = tmp_path / "recall-agent-test.service"
    unit.write_text(TEST_UNIT, encoding="utf-8")
    command = [
        "systemd-nspawn",
        "--quiet",
        f"--directory={root}",
        "--volatile=overlay",
        "--boot",
        "--private-network",
        "--register=no",
        "--keep-unit",
        "--console=pipe",
        "--system-call-filter=bpf",
        f"--machine=recall-agent-test-{os.getpid()}",
        f"--bind-ro={wheel_dir}:/wheels",
        f"--bind-ro={HERE / 'guest'}:/checks",
        f"--bind-ro={CHECKOUT / 'tests' / 'feeds' / 'data'}:/data",
        f"--bind={out}:/results",
        f"--bind-ro={unit}:/etc/systemd/system/recall-agent-test.service",
        "systemd.wants=recall-agent-test.service",
    ]
    env = {**os.environ, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY": "1"}
    started = time.monotonic()
    with (tmp_path / "console.log").open("wb") as console:
        guest = subprocess.run(command, env=env, stdout=console, stderr=subprocess.STDOUT, timeout=900, check=False)
    timings.add("nspawn boot, checks and power-off", time.monotonic() - started)
    checks, times = results(out)
    for name, seconds in times.items():
        print(f"guest time {name}: {seconds:.1f} s")
    journal = out / "journal.txt"
    context = f"guest exited {guest.returncode}; console {tmp_path / 'console.log'}; journal {journal}"
    failed = {name: why for name, why in checks.items() if why}
    assert not failed, f"{failed}\n{context}"
    assert [c for c in CHECKS if c not in checks] == [], context
    assert "done" in (out / "checks").read_text(encoding="utf-8")
