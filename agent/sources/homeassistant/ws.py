"""A small synchronous client of Home Assistant's WebSocket API: authenticate with a token, send commands.

The registries (devices, areas, entities) are only on the WebSocket API; the REST API has none.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MAX_MESSAGE = 32 * 1024 * 1024  # a large household's device registry fits many times over


class HomeAssistantError(Exception):
    """Home Assistant refused a request or answered something unexpected; the message says what."""


def websocket_url(base: str) -> str:
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/api/websocket", "", ""))


class Connection:
    """One authenticated WebSocket session; use it as a context manager."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0, ca_file: Path | None = None) -> None:
        from websockets.sync.client import connect

        context = None
        if urlsplit(base_url).scheme == "https":
            context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        self.timeout = timeout
        self._next = 0
        self._ws = connect(
            websocket_url(base_url), open_timeout=timeout, close_timeout=2, max_size=MAX_MESSAGE, ssl=context
        ).__enter__()  # this object is the context manager; entering says so to every websockets release
        try:
            self._authenticate(token)
        except BaseException:
            self._ws.close()
            raise

    def _receive(self) -> dict[str, Any]:
        raw = self._ws.recv(timeout=self.timeout)
        message = json.loads(raw)
        if not isinstance(message, dict):
            raise HomeAssistantError("answered something that is not a JSON object")
        return message

    def _authenticate(self, token: str) -> None:
        hello = self._receive()
        if hello.get("type") != "auth_required":
            raise HomeAssistantError(f"did not ask for authentication (said {hello.get('type')!r})")
        self._ws.send(json.dumps({"type": "auth", "access_token": token}))
        answer = self._receive()
        if answer.get("type") == "auth_invalid":
            raise HomeAssistantError(f"refused the access token: {answer.get('message', 'invalid')}")
        if answer.get("type") != "auth_ok":
            raise HomeAssistantError(f"did not accept the login (said {answer.get('type')!r})")

    def call(self, kind: str, **fields: Any) -> Any:
        """Send one command and return its result; HomeAssistantError when it fails."""
        self._next += 1
        ident = self._next
        self._ws.send(json.dumps({"id": ident, "type": kind, **fields}))
        while True:
            message = self._receive()
            if message.get("id") != ident or message.get("type") != "result":
                continue  # events of earlier subscriptions, or pongs
            if not message.get("success"):
                error = message.get("error") or {}
                raise HomeAssistantError(f"{kind} failed: {error.get('message', error.get('code', 'unknown error'))}")
            return message.get("result")

    def close(self) -> None:
        self._ws.close()

    def abort(self) -> None:
        """End the connection now from any thread or a signal handler: a ``call`` waiting for its answer
        fails at once instead of at its timeout. Only a system call, so it takes no lock."""
        with contextlib.suppress(OSError):  # already closed
            self._ws.socket.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
