"""Real peers for the household tests: mosquitto, and Home Assistant in a loopback-only network namespace.

Home Assistant runs from a venv of its own (built once by build-homeassistant.sh, cached by version outside
the checkout) inside a namespace that has only ``lo``, so nothing it tries can leave the machine. The test
reaches it from a thread that joined that namespace (``in_netns``); agents run inside it with
``ns.exec_args``.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from net.netns import Netns

T = TypeVar("T")
HA_VERSION = "2024.3.3"
HERE = Path(__file__).resolve().parent
CLONE_NEWNET = 0x40000000


def ha_venv() -> Path:
    return Path(os.environ.get("RECALL_AGENT_HA_VENV", f"/var/cache/recall-agent-tests/homeassistant-{HA_VERSION}"))


def ha_missing() -> str:
    """Why Home Assistant cannot run here, or ""."""
    if os.geteuid() != 0:
        return "Home Assistant tests need root (to create a network namespace)"
    if not (ha_venv() / ".recall-agent-complete").exists():
        return f"no Home Assistant venv at {ha_venv()} (tests/household/build-homeassistant.sh builds it)"
    return ""


def mosquitto_missing() -> str:
    return "" if shutil.which("mosquitto") else "mosquitto is not installed (see tests/system-packages.txt)"


def in_netns(ns: Netns | None, work: Callable[[], T]) -> T:
    """Run ``work`` on a thread inside ``ns`` (sockets it opens stay there); in this namespace for None."""
    if ns is None:
        return work()
    box: dict[str, Any] = {}

    def body() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(f"/run/netns/{ns.name}", os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns failed")
        finally:
            os.close(fd)
        try:
            box["value"] = work()
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {port}:\n{log.read_text(errors='replace')[-3000:]}") from None
            time.sleep(0.05)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


class Mosquitto:
    """mosquitto in the foreground on 127.0.0.1 (of ``ns``), anonymous or with one user and password."""

    def __init__(self, folder: Path, ns: Netns | None = None, *, user: tuple[str, str] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port() if ns is None else 1883
        lines = [f"listener {self.port} 127.0.0.1", "persistence false", "log_dest stderr", "log_type all"]
        if user:
            passwd = folder / "passwd"
            subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwd), *user], check=True, capture_output=True)
            lines += ["allow_anonymous false", f"password_file {passwd}"]
            if os.geteuid() == 0:  # else it drops to the mosquitto user, who cannot enter the test's folder
                lines.append("user root")
        else:
            lines.append("allow_anonymous true")
        conf = folder / "mosquitto.conf"
        conf.write_text("\n".join(lines) + "\n")
        self.log = folder / "mosquitto.log"
        args = ["mosquitto", "-c", str(conf)]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(ns.exec_args(args) if ns else args, stdout=out, stderr=subprocess.STDOUT)
        in_netns(ns, lambda: wait_port(self.port, self.proc, self.log))

    def close(self) -> None:
        stop(self.proc)


CONFIGURATION = """\
homeassistant:
  name: Test home
  latitude: 52.37
  longitude: 4.89
  elevation: 0
  unit_system: metric
  time_zone: UTC
  currency: EUR
  country: NL
  internal_url: "http://127.0.0.1:{port}"
http:
  server_host: 127.0.0.1
  server_port: {port}
config:
logger:
  default: warning
"""


def _storage(key: str, data: Any, version: int = 1) -> str:
    return json.dumps({"version": version, "minor_version": 1, "key": key, "data": data})


class HomeAssistant:
    """Home Assistant with an MQTT config entry for the broker on ``mqtt_port``, onboarded on start."""

    def __init__(self, folder: Path, ns: Netns, mqtt_port: int) -> None:
        self.ns = ns
        self.port = 8123
        self.base = f"http://127.0.0.1:{self.port}"
        storage = folder / ".storage"
        storage.mkdir(parents=True)
        (folder / "configuration.yaml").write_text(CONFIGURATION.format(port=self.port))
        done = {"done": ["core_config", "analytics", "integration"]}  # never the step that calls out
        (storage / "onboarding").write_text(_storage("onboarding", done, version=4))
        entry = {
            "entry_id": "0123456789abcdef0123456789abcdef",
            "version": 1,
            "minor_version": 1,
            "domain": "mqtt",
            "title": "127.0.0.1",
            "data": {"broker": "127.0.0.1", "port": mqtt_port, "discovery": True},
            "options": {},
            "pref_disable_new_entities": False,
            "pref_disable_polling": False,
            "source": "user",
            "unique_id": None,
            "disabled_by": None,
        }
        (storage / "core.config_entries").write_text(_storage("core.config_entries", {"entries": [entry]}))
        self.log = folder / "home-assistant.log"
        args = [str(ha_venv() / "bin" / "hass"), "-c", str(folder), "--log-no-color", "--skip-pip"]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(ns.exec_args(args), stdout=out, stderr=subprocess.STDOUT)
        in_netns(ns, lambda: wait_port(self.port, self.proc, self.log, timeout=90))
        self.token = self._onboard()

    def http(self, method: str, path: str, body: Any = None, *, form: bool = False, token: str = "") -> Any:
        """One request from inside the namespace; the decoded JSON answer."""
        data = None
        headers = {"Authorization": f"Bearer {token or self.token}"} if (token or hasattr(self, "token")) else {}
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310

        def send() -> Any:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our own http:// server
                return json.loads(answer.read() or b"null")

        return in_netns(self.ns, send)

    def _onboard(self) -> str:
        """Create the owner as a person does on first visit, then a long-lived token as on the profile page."""
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = self.http(
                    "POST",
                    "/api/onboarding/users",
                    {
                        "client_id": self.base + "/",
                        "name": "Test",
                        "username": "test",
                        "password": "test-pass-1",
                        "language": "en",
                    },
                )
                break
            except urllib.error.HTTPError as e:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"onboarding failed: {e}\n{self.log.read_text()[-3000:]}") from e
                time.sleep(0.3)
        tokens = self.http(
            "POST",
            "/auth/token",
            {"grant_type": "authorization_code", "code": answer["auth_code"], "client_id": self.base + "/"},
            form=True,
        )
        with self.ws(tokens["access_token"]) as ha:
            return str(ha.call("auth/long_lived_access_token", client_name="recall-agent", lifespan=30))

    def ws(self, token: str = "") -> Any:
        """An authenticated WebSocket connection (opened inside the namespace, usable from any thread)."""
        from agent.sources.homeassistant.ws import Connection

        return in_netns(self.ns, lambda: Connection(self.base, token or self.token, timeout=20))

    def close(self) -> None:
        stop(self.proc)
