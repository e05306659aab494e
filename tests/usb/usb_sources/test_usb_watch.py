"""Change detection: uevents over a socket the test drives, polling over a recorded tree, the real kernel."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import skip_or_fail

from agent.sources.usb.watch import NetlinkWatcher, PollingWatcher, open_uevent_socket, open_watcher, parse_uevent

from .trees import SysfsTree

MakeTree = Callable[[str], SysfsTree]


def uevent(action: str, devpath: str, **fields: str) -> bytes:
    pairs = {"ACTION": action, "DEVPATH": devpath, **fields, "SEQNUM": "1234"}
    return f"{action}@{devpath}\0".encode() + b"".join(f"{k}={v}\0".encode() for k, v in pairs.items())


USB_ADD = uevent(
    "add",
    "/devices/pci0000:00/0000:00:04.0/usb1/1-2/1-2.3",
    SUBSYSTEM="usb",
    DEVTYPE="usb_device",
    PRODUCT="46f4/1/0",
    BUSNUM="001",
    DEVNUM="005",
)
USB_BIND = uevent("bind", "/devices/pci0000:00/0000:00:04.0/usb1/1-2/1-2.3", SUBSYSTEM="usb", DRIVER="usb")
BLOCK_ADD = uevent("add", "/devices/virtual/block/loop0", SUBSYSTEM="block")


@pytest.fixture
def uevents() -> Iterator[tuple[NetlinkWatcher, socket.socket]]:
    """A NetlinkWatcher reading one end of a datagram socketpair; the test writes kernel messages to the other."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    watcher = NetlinkWatcher(sock=ours)
    yield watcher, theirs
    watcher.close()
    theirs.close()


def test_parse_uevent() -> None:
    fields = parse_uevent(USB_ADD)
    assert fields["ACTION"] == "add"
    assert fields["SUBSYSTEM"] == "usb"
    assert fields["DEVTYPE"] == "usb_device"
    assert fields["DEVPATH"].endswith("/1-2/1-2.3")
    assert parse_uevent(b"change@/x\0NOEQUALS\0A=b=c\0") == {"A": "b=c"}


def test_add_and_remove_of_usb_devices_count(uevents: tuple[NetlinkWatcher, socket.socket]) -> None:
    watcher, kernel = uevents
    assert watcher.wait(0.01) is False
    kernel.send(USB_ADD)
    assert watcher.wait(1) is True
    kernel.send(USB_ADD.replace(b"add", b"remove"))
    assert watcher.wait(1) is True
    assert watcher.wait(0.01) is False


def test_other_events_do_not(uevents: tuple[NetlinkWatcher, socket.socket]) -> None:
    watcher, kernel = uevents
    kernel.send(USB_BIND)
    kernel.send(BLOCK_ADD)
    start = time.monotonic()
    assert watcher.wait(0.2) is False
    assert time.monotonic() - start >= 0.19


def test_a_burst_is_one_wake_up(uevents: tuple[NetlinkWatcher, socket.socket]) -> None:
    watcher, kernel = uevents
    for _ in range(50):
        kernel.send(BLOCK_ADD)
        kernel.send(USB_BIND)
        kernel.send(USB_ADD)
    assert watcher.wait(1) is True
    assert watcher.wait(0.01) is False


def test_close_wakes_a_waiting_thread(uevents: tuple[NetlinkWatcher, socket.socket]) -> None:
    watcher, _ = uevents
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(watcher.wait(30)))
    waiter.start()
    time.sleep(0.05)
    watcher.close()
    waiter.join(2)
    assert not waiter.is_alive()
    assert results == [False]


def test_recheck_catches_what_the_socket_missed(sysfs_tree: MakeTree) -> None:
    tree = sysfs_tree("small")
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with NetlinkWatcher(sock=ours, recheck=PollingWatcher(tree.root), recheck_interval=0.05) as watcher:
        assert watcher.wait(0.2) is False
        tree.unplug("1-4")
        assert watcher.wait(2) is True
    theirs.close()


def test_polling_sees_unplug_and_plug(sysfs_tree: MakeTree) -> None:
    tree = sysfs_tree("hubs")
    with PollingWatcher(tree.root, interval=0.01) as watcher:
        assert watcher.wait(0.05) is False
        tree.unplug("1-2.5.1.1.1.1")
        assert watcher.wait(1) is True
        assert watcher.wait(0.05) is False
        tree.derive("1-2.4", "1-2.8")
        assert watcher.wait(1) is True


def test_polling_sees_a_replug_on_the_same_port(sysfs_tree: MakeTree) -> None:
    tree = sysfs_tree("small")
    watcher = PollingWatcher(tree.root, interval=0.01)
    tree.write("1-1", "devnum", b"7\n")
    assert watcher.wait(1) is True


def test_polling_without_sysfs_never_fires(tmp_path: Path) -> None:
    watcher = PollingWatcher(tmp_path / "absent", interval=0.01)
    assert watcher.wait(0.05) is False


def test_no_netlink_outside_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(socket, "AF_NETLINK", raising=False)
    with pytest.raises(OSError, match="only on Linux"):
        open_uevent_socket()


def test_open_watcher_falls_back_to_polling_without_netlink(tmp_path: Path) -> None:
    def refuse() -> socket.socket:
        raise PermissionError(13, "Permission denied")

    watcher = open_watcher(tmp_path, interval=0.5, opener=refuse)
    assert isinstance(watcher, PollingWatcher)
    assert (watcher.root, watcher.interval) == (tmp_path, 0.5)


def test_open_watcher_prefers_netlink_with_a_polling_safety_net(tmp_path: Path) -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with open_watcher(tmp_path, interval=0.5, recheck_interval=30, opener=lambda: ours) as watcher:
        assert isinstance(watcher, NetlinkWatcher)
        assert isinstance(watcher.recheck, PollingWatcher)
        assert (watcher.recheck.root, watcher.recheck_interval) == (tmp_path, 30)
    theirs.close()


TRIGGER = Path("/sys/devices/virtual/mem/null/uevent")


def test_real_kernel_uevent_reaches_the_watcher() -> None:
    try:
        sock = open_uevent_socket()
    except OSError as e:
        skip_or_fail(f"no netlink uevent socket here: {e}")
    with NetlinkWatcher(sock=sock, subsystems=("mem",), actions=("change",)) as watcher:
        try:
            TRIGGER.write_text("change", encoding="ascii")  # asks the kernel to re-announce /dev/null
        except OSError as e:
            skip_or_fail(f"cannot trigger a uevent through {TRIGGER}: {e}")
        assert watcher.wait(5) is True
    with open_watcher() as default:
        assert default.mechanism == "netlink"
