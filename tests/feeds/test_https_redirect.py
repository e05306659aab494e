"""A feed served over HTTPS that redirects to plain http is refused, not followed quietly."""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import skip_or_fail

from agent.feeds import FeedError
from agent.feeds.http import http_get


class _Plain(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *_: object) -> None:
        pass


def _serve(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def plain() -> Iterator[ThreadingHTTPServer]:
    yield from _serve(ThreadingHTTPServer(("127.0.0.1", 0), _Plain))


@pytest.fixture
def tls(tmp_path: Path, plain: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadingHTTPServer]:
    """An HTTPS server on 127.0.0.1 with a certificate made now and trusted through SSL_CERT_FILE."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            capture_output=True, check=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as e:
        skip_or_fail(f"needs openssl to make a test certificate: {e}")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    target = f"http://127.0.0.1:{plain.server_address[1]}/feed"

    class Redirect(_Plain):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield from _serve(server)


def test_an_https_feed_redirected_to_http_is_refused(tls: ThreadingHTTPServer, plain: ThreadingHTTPServer) -> None:
    url = f"https://127.0.0.1:{tls.server_address[1]}/feed"
    with pytest.raises(FeedError, match=r"redirected to http://127\.0\.0\.1:\d+/feed; refusing to follow"):
        http_get(url, attempts=1)


def test_the_same_server_over_plain_loopback_http_is_fine(plain: ThreadingHTTPServer) -> None:
    assert http_get(f"http://127.0.0.1:{plain.server_address[1]}/feed", attempts=1) == b"[]"
