"""A private session bus, a real notification server (dunst under Xvfb) and a recorder of every Notify call.

Fixtures for the notifier tests and the daemon tests (their conftest files import them from here).
Each test gets its own dbus-daemon with a configuration of its own (no service activation, so nothing
but the server started here can answer), its own X display and its own dunst.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import skip_or_fail
from jeepney import DBusAddress, Message, MessageType, new_signal
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import HeaderFields, Parser

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

# dunst shows a context menu by running "dmenu" with one line per action on stdin and reading the chosen
# line back. This stand-in records the menu and picks the line holding the label written to ./choice.
PICKER = """#!/bin/sh
here=$(dirname "$0")
cat > "$here/menu.txt"
grep -F -m1 -- "$(cat "$here/choice")" "$here/menu.txt"
"""


# Debian's packaged configuration: what a person who installs dunst sees (its icon theme, colours, sizes).
DEBIAN_DUNSTRC = Path("/etc/xdg/dunst/dunstrc")


def dunst_config(markup: str, picker: Path) -> str:
    """Debian's default dunstrc with only ``markup`` and the menu program changed; a minimal one elsewhere."""
    overrides = {"markup": markup, "dmenu": f'"{picker}"'}
    if not DEBIAN_DUNSTRC.is_file():
        return "[global]\n" + "".join(f"    {key} = {value}\n" for key, value in overrides.items())
    text = DEBIAN_DUNSTRC.read_text()
    for key, value in overrides.items():
        text, count = re.subn(rf"(?m)^(\s*){key}\s*=.*$", rf"\g<1>{key} = {_literal(value)}", text)
        assert count == 1, f"{DEBIAN_DUNSTRC} sets {key} {count} times"
    return text


def _literal(value: str) -> str:
    return value.replace("\\", "\\\\")  # a replacement template reads backslashes


def need(*tools: str) -> None:
    """Skip when a tool is missing, except under CI=true, where a missing tool is a failure."""
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing:
        return
    skip_or_fail(f"needs {', '.join(missing)} (Debian packages in tests/system-packages.txt)")


def _stop(proc: subprocess.Popen[Any]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _until(check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def session_bus(tmp_path: Path) -> Iterator[str]:
    """The address of a private session bus that lives as long as the test."""
    need("dbus-daemon")
    conf = tmp_path / "bus.conf"
    conf.write_text(BUS_CONFIG.format(dir=tmp_path))
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={conf}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    try:
        assert address.startswith("unix:"), f"dbus-daemon printed {address!r}"
        yield address
    finally:
        _stop(proc)


@pytest.fixture
def connect(session_bus: str) -> Callable[[], DBusConnection]:
    return lambda: open_dbus_connection(bus=session_bus)


@dataclass
class Dunst:
    """A running dunst and what it needs to be driven from a test."""

    env: dict[str, str]
    folder: Path
    display: str = ""

    def ctl(self, *args: str) -> str:
        done = subprocess.run(["dunstctl", *args], env=self.env, capture_output=True, text=True, timeout=10, check=True)
        return done.stdout

    def choose(self, label: str) -> None:
        """Open dunst's context menu and pick the action whose label is ``label``."""
        (self.folder / "choice").write_text(label)
        self.ctl("context")

    def menu(self) -> list[str]:
        """The lines of the last context menu dunst offered."""
        return (self.folder / "menu.txt").read_text().splitlines()

    def displayed(self) -> int:
        """How many notifications are on screen now."""
        return int(self.ctl("count", "displayed").strip())

    def history(self) -> list[dict[str, Any]]:
        """The notifications dunst closed and keeps in its history, as plain values (newest first)."""
        data = json.loads(self.ctl("history"))["data"][0]
        return [{key: field["data"] for key, field in entry.items()} for entry in data]

    def screenshot(self, path: Path) -> Path:
        """What is on the screen now, with ImageMagick's ``import``, trimmed to the notifications."""
        need("import", "convert")
        raw = path.with_suffix(".full.png")
        subprocess.run(["import", "-display", self.display, "-window", "root", str(raw)], check=True, timeout=30)
        subprocess.run(
            ["convert", str(raw), "-trim", "+repage", "-bordercolor", "black", "-border", "12", str(path)],
            check=True,
            timeout=30,
        )
        raw.unlink()
        return path


@pytest.fixture
def dunst_factory(session_bus: str, tmp_path: Path) -> Iterator[Callable[[str], Dunst]]:
    """Starts Xvfb and dunst on the private bus; the argument is dunst's ``markup`` setting."""
    need("Xvfb", "dunst", "dunstctl")
    procs: list[subprocess.Popen[Any]] = []

    def start(markup: str = "full") -> Dunst:
        folder = tmp_path / "dunst"
        folder.mkdir()
        picker = folder / "picker.sh"
        picker.write_text(PICKER)
        picker.chmod(0o755)
        config = folder / "dunstrc"
        config.write_text(dunst_config(markup, picker))
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp", "-screen", "0", "800x600x24"],
            pass_fds=(write_fd,),
            stderr=subprocess.DEVNULL,
        )
        procs.append(xvfb)
        os.close(write_fd)
        with os.fdopen(read_fd) as displays:
            display = displays.readline().strip()
        assert display, "Xvfb did not report a display"
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": session_bus, "DISPLAY": f":{display}"}
        procs.append(
            subprocess.Popen(
                ["dunst", "-config", str(config)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(folder / "dunst.log").open("w"),
            )
        )
        conn = open_dbus_connection(bus=session_bus)
        try:
            _until(lambda: _has_owner(conn, "org.freedesktop.Notifications"), "dunst on the bus")
        finally:
            conn.close()
        return Dunst(env=env, folder=folder, display=f":{display}")

    yield start
    for proc in reversed(procs):
        _stop(proc)


def _has_owner(conn: DBusConnection, name: str) -> bool:
    reply = conn.bus_proxy.NameHasOwner(name)
    return bool(reply[0])


# A signal of the tests' own, recorded with the calls: once it is in the recording, so is every call the
# bus routed before it (the bus hands a monitor its messages in the order it routes them).
MARK = DBusAddress("/org/recall_agent/test", interface="org.recall_agent.Test")
MARK_MEMBER = "RecordedUpTo"


@dataclass
class NotifyCalls:
    """Every Notify and CloseNotification call on the bus, recorded by dbus-monitor and parsed with jeepney."""

    path: Path
    bus: str
    _marks: int = 0

    def messages(self) -> list[Message]:
        parser = Parser()
        parser.add_data(self.path.read_bytes())
        found = []
        while (msg := parser.get_next_message()) is not None:
            found.append(msg)
        return found

    def members(self) -> list[str]:
        return [str(m.header.fields.get(HeaderFields.member)) for m in self.messages()]

    def notifies(self) -> list[tuple[Any, ...]]:
        return [tuple(m.body) for m in self.messages() if _is_call(m, "Notify")]

    def calls(self) -> list[tuple[Any, ...]]:
        """The Notify calls that showed a finding (not the brief, transient confirmations of an answer)."""
        return [call for call in self.notifies() if "transient" not in call[6]]

    def confirmations(self) -> list[tuple[Any, ...]]:
        return [call for call in self.notifies() if "transient" in call[6]]

    def closes(self) -> list[int]:
        """The ids the client asked the server to close (CloseNotification calls)."""
        return [int(m.body[0]) for m in self.messages() if _is_call(m, "CloseNotification")]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[tuple[Any, ...]]:
        _until(lambda: len(self.calls()) >= count, f"{count} Notify call(s)", timeout)
        return self.calls()

    def recorded_up_to_now(self, timeout: float = 15.0) -> None:
        """Returns once dbus-monitor has written down every call the bus routed before this one."""
        self._marks += 1
        mark = f"mark-{self._marks}"
        conn = open_dbus_connection(bus=self.bus)
        try:
            conn.send(new_signal(MARK, MARK_MEMBER, "s", (mark,)))
            _until(lambda: any(_is_mark(m, mark) for m in self.messages()), "dbus-monitor to record the mark", timeout)
        finally:
            conn.close()


def _is_mark(msg: Message, mark: str) -> bool:
    fields = msg.header.fields
    return fields.get(HeaderFields.member) == MARK_MEMBER and tuple(msg.body) == (mark,)


def _is_call(msg: Message, member: str) -> bool:
    fields = msg.header.fields
    return (
        msg.header.message_type is MessageType.method_call
        and fields.get(HeaderFields.interface) == "org.freedesktop.Notifications"
        and fields.get(HeaderFields.member) == member
    )


@pytest.fixture
def notify_calls(session_bus: str, tmp_path: Path) -> Iterator[NotifyCalls]:
    need("dbus-monitor")
    out = tmp_path / "monitor.bin"
    matches = [
        f"type='method_call',interface='org.freedesktop.Notifications',member='{member}'"
        for member in ("Notify", "CloseNotification")
    ]
    matches.append(f"type='signal',interface='{MARK.interface}',member='{MARK_MEMBER}'")
    with out.open("wb") as sink:
        proc = subprocess.Popen(["dbus-monitor", "--address", session_bus, "--binary", *matches], stdout=sink)
    recorder = NotifyCalls(out, session_bus)
    try:  # on becoming a monitor, dbus-monitor loses its name and records that NameLost signal first
        _until(lambda: "NameLost" in recorder.members(), "dbus-monitor to start recording")
        yield recorder
    finally:
        _stop(proc)
