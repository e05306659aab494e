"""Downloading a feed: HTTPS only, timeouts, retries with backoff, gzip, a size cap, an honest User-Agent.

Plain http is allowed for loopback addresses only, so tests can serve recorded responses locally.
Nothing but the request line and these headers leaves the machine.
"""

from __future__ import annotations

import http.client
import logging
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from urllib.parse import urlsplit

from agent import __version__
from agent.feeds import FeedError

log = logging.getLogger(__name__)

USER_AGENT = f"recall-agent/{__version__}"  # the project's name and version; no home page to name yet
MAX_BYTES = 32_000_000
TIMEOUT = 30.0
ATTEMPTS = 3
BACKOFF = 2.0
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_CHUNK = 65536

Fetch = Callable[[str], bytes]


def check_url(url: str) -> None:
    """FeedError unless ``url`` is https, or plain http to a loopback address."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return
    raise FeedError(f"{url}: refusing to download a feed over anything but HTTPS")


def http_get(
    url: str,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """The body of ``url``; retries timeouts, connection errors, 429 and 5xx, then raises FeedError."""
    check_url(url)
    for attempt in range(1, attempts + 1):
        try:
            return _get_once(url, timeout, max_bytes)
        except _Retryable as e:
            if attempt == attempts:
                raise FeedError(f"{url}: {e} (gave up after {attempts} attempts)") from e
            delay = backoff * 2 ** (attempt - 1)
            log.debug("%s: %s; retrying in %.1f s", url, e, delay)
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


class _Retryable(Exception):
    pass


def _get_once(url: str, timeout: float, max_bytes: int) -> bytes:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by check_url
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - checked above
            if urlsplit(response.geturl()).scheme != urlsplit(url).scheme:
                raise FeedError(f"{url}: redirected to {response.geturl()}; refusing to follow")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FeedError(f"{url}: response of {int(length)} bytes is over the {max_bytes}-byte limit")
            gzipped = response.headers.get("Content-Encoding", "").lower() == "gzip"
            body, raw_size = _read_capped(response, max_bytes, gzipped, url)
            if length and length.isdigit() and raw_size != int(length):
                raise _Retryable(f"download interrupted after {raw_size} of {length} bytes")
            return body
    except urllib.error.HTTPError as e:
        if e.code == 429 or e.code >= 500:
            raise _Retryable(f"HTTP {e.code}") from e
        raise FeedError(f"{url}: HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        reason = getattr(e, "reason", e)
        raise _Retryable(f"cannot reach the server ({reason})") from e
    except (OSError, http.client.HTTPException) as e:  # a connection dropped mid-body
        raise _Retryable(f"download interrupted ({e})") from e


def _read_capped(response: object, max_bytes: int, gzipped: bool, url: str) -> tuple[bytes, int]:
    """Read at most ``max_bytes`` (after decompression) without holding more; return the body and the bytes read."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    parts: list[bytes] = []
    size = raw_size = 0
    read = response.read  # type: ignore[attr-defined]
    while chunk := read(_CHUNK):
        raw_size += len(chunk)
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as e:
                raise FeedError(f"{url}: broken gzip data ({e})") from e
        size += len(chunk)
        if size > max_bytes:
            raise FeedError(f"{url}: response is over the {max_bytes}-byte limit; refusing it")
        parts.append(chunk)
    if inflate is not None and not inflate.eof:
        raise FeedError(f"{url}: gzip data ends early (truncated download)")
    return b"".join(parts), raw_size
