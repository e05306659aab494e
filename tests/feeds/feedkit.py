"""A recorded-response server on 127.0.0.1 and helpers for feed tests. The real services are never contacted."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from agent.feeds.http import http_get
from agent.rules.load import load_file

DATA = Path(__file__).parent / "data"
LABELLED = Path(__file__).parent / "labelled"


@dataclass
class Reply:
    body: bytes = b"[]"
    status: int = 200
    delay: float = 0.0
    gzip: bool = False
    claim_length: int | None = None  # a Content-Length larger than the body: the connection drops early
    stream: int = 0  # send this many extra bytes of padding in chunks, without a Content-Length


@dataclass
class FeedServer:
    url: str
    replies: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def records(self, *records: dict[str, Any]) -> None:
        self.reply(Reply(json.dumps(list(records)).encode()))


class _Handler(BaseHTTPRequestHandler):
    server_state: FeedServer

    def do_GET(self) -> None:
        state = self.server_state
        parts = urlsplit(self.path)
        state.requests.append({"path": parts.path, "query": parse_qs(parts.query), "headers": dict(self.headers)})
        reply = state.replies.pop(0) if state.replies else Reply()
        time.sleep(reply.delay)
        body = gzip.compress(reply.body) if reply.gzip else reply.body
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        if reply.gzip:
            self.send_header("Content-Encoding", "gzip")
        if not reply.stream:
            self.send_header("Content-Length", str(reply.claim_length or len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
            for _ in range(reply.stream // 65536):
                self.wfile.write(b" " * 65536)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    state = FeedServer(url=f"http://127.0.0.1:{httpd.server_address[1]}/RestWebServices/Recall")
    _Handler.server_state = state
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def fast_fetch() -> Callable[[str], bytes]:
    """The production downloader with test-sized timeouts and no waiting between attempts."""
    return partial(http_get, timeout=2.0, attempts=2, backoff=0.0)


def cpsc_record(
    number: str, *, published: str, description: str = "", title: str = "", model_line: str = ""
) -> dict[str, Any]:
    """A small CPSC-shaped record for server replies."""
    return {
        "RecallID": int(number.replace("-", "")),
        "RecallNumber": number,
        "RecallDate": published,
        "LastPublishDate": f"{published}T00:00:00",
        "URL": f"https://www.cpsc.gov/Recalls/x/{number}",
        "Title": title or f"Example Co. Recalls Power Banks {number} Due to Fire Hazard",
        "Description": description
        or "This recall involves power banks with model number "
        f"{model_line or 'PB' + number[-3:] + '0'}. The model number is printed on the back.",
        "Products": [{"Name": "Example power banks", "NumberOfUnits": "About 1,000"}],
        "Hazards": [{"Name": "The battery can overheat, posing fire and burn hazards.", "HazardType": ""}],
        "Remedies": [{"Name": "Stop using it and contact Example Co. for a refund."}],
        "Importers": [{"Name": "Example Co., of Dover, Del."}],
    }


def assert_loadable(cache_dir: Path) -> int:
    """Every rule file in ``cache_dir`` passes the core's rule loader; return how many there are."""
    files = sorted(cache_dir.glob("*.toml"))
    for path in files:
        rule, problems = load_file(path, "feed")
        assert problems == [], problems
        assert rule is not None and rule.certainty == "extracted"
    return len(files)
