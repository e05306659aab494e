"""USB hot-plug under a real systemd and a real kernel: a qemu (TCG) guest with an emulated xHCI controller.

The guest has no network (-nic none). Its root disk is the cached image, opened copy-on-write so the cache
never changes; a second small disk carries the wheels, the checks script and a system rule naming the
USB ids of QEMU's emulated tablet, and takes the results. When the service is up the guest asks for the
tablet on its second serial port; the host plugs it in over QMP and reads the results back with debugfs.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from realsystemd.guests import HERE, Timings, disk_image, need, results, wheels

pytestmark = pytest.mark.slow

CHECKS = [
    "installed",
    "no_tablet_before_plug",
    "rule_loaded",
    "install_system",
    "ready",
    "first_scan_done",
    "nothing_found_before_plug",
    "tablet_plugged",
    "service_finds_tablet",
    "finding_in_journal",
    "watched_by_uevents",
    "tablet_in_inventory",
    "service_still_up",
    "sandbox_kept",
    "no_errors",
]
RULE = """\
id = "qemu-tablet-test-recall"
title = "QEMU USB Tablet test recall"
kind = "recall"
published = 2024-06-06
url = "https://example.org/notice/qemu-tablet"
hazard = "A test hazard: the emulated tablet is recalled for this test only."
hazards = ["fire"]
remedy = "Unplug it."
check = "Look at the device's USB ids."
certainty = "exact"

[issuer]
name = "Example Agency"
type = "agency"

[[products]]
name = "QEMU USB Tablet"
brands = ["QEMU"]

[[products.usb]]
vendor_id = "0627"
product_id = "0001"
product = "QEMU USB Tablet"
"""


class Qmp:
    """A minimal QMP client: one command at a time, answers read line by line."""

    def __init__(self, path: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.file = self.sock.makefile("rw", encoding="utf-8")
        self._answer()  # the greeting
        self.command("qmp_capabilities")

    def _answer(self) -> dict[str, object]:
        while True:
            message: dict[str, object] = json.loads(self.file.readline())
            if "event" not in message:
                return message

    def command(self, name: str, **arguments: object) -> dict[str, object]:
        self.file.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
        self.file.flush()
        answer = self._answer()
        assert "error" not in answer, answer
        return answer

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def data_disk(tmp_path: Path, timings: Timings) -> Path:
    staging = tmp_path / "data"
    wheels(staging / "wheels", timings)
    shutil.copy(HERE / "guest" / "usb-checks.sh", staging / "checks.sh")
    (staging / "rule.toml").write_text(RULE, encoding="utf-8")
    image = tmp_path / "data.img"
    subprocess.run(["mkfs.ext4", "-q", "-L", "test", "-d", str(staging), str(image), "256M"], check=True)
    return image


def wait_for(path: Path, text: str, guest: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and guest.poll() is None:
        if path.exists() and text in path.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.5)
    return False


def test_the_service_finds_a_hot_plugged_usb_device_through_uevents(tmp_path: Path) -> None:
    need("qemu-system-x86_64", "mmdebstrap", "mkfs.ext4", "debugfs")
    timings = Timings()
    disk, kernel, initrd = disk_image(timings)
    data = data_disk(tmp_path, timings)
    console, signal, qmp_path = tmp_path / "console.log", tmp_path / "signal.log", tmp_path / "qmp.sock"
    command = [
        "qemu-system-x86_64",
        "-accel",
        "tcg",
        "-m",
        "1024",
        "-smp",
        "2",
        "-display",
        "none",
        "-monitor",
        "none",
        "-no-reboot",
        "-nic",
        "none",
        "-kernel",
        str(kernel),
        "-initrd",
        str(initrd),
        "-append",
        "root=/dev/vda rw console=ttyS0 systemd.wants=recall-agent-qemu-test.service",
        "-drive",
        f"file={disk},if=virtio,format=raw,snapshot=on",
        "-drive",
        f"file={data},if=virtio,format=raw",
        "-device",
        "qemu-xhci,id=xhci",
        "-serial",
        f"file:{console}",
        "-serial",
        f"file:{signal}",
        "-qmp",
        f"unix:{qmp_path},server=on,wait=off",
    ]
    started = time.monotonic()
    guest = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        qmp = Qmp(qmp_path)
        asked = wait_for(signal, "plug", guest, timeout=900)
        timings.add("qemu boot, install and service start", time.monotonic() - started)
        if asked:
            qmp.command("device_add", driver="usb-tablet", id="tablet", bus="xhci.0")
        qmp.close()
        guest.wait(timeout=600)
    finally:
        if guest.poll() is None:
            guest.kill()
            guest.wait()
    timings.add("qemu test in all", time.monotonic() - started)
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["debugfs", "-R", f"rdump /results {out}", str(data)], capture_output=True, check=True)
    checks, times = results(out / "results")
    for name, seconds in times.items():
        print(f"guest time {name}: {seconds:.1f} s")
    context = f"qemu exited {guest.returncode}; console {console}; results {out / 'results'}"
    assert asked, f"the guest never asked for the device\n{context}"
    failed = {name: why for name, why in checks.items() if why}
    assert not failed, f"{failed}\n{context}"
    assert [c for c in CHECKS if c not in checks] == [], context
