"""Updating the CPSC cache from recorded responses served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.feeds import FeedError, cache
from agent.feeds import meta as feed_meta
from agent.feeds import result as result_module
from agent.feeds.http import USER_AGENT, check_url, http_get
from agent.feeds.result import UpdateResult
from agent.feeds.update import import_file, update, windows
from feeds.feedkit import DATA, FeedServer, Reply, assert_loadable, cpsc_record

NOW = dt.datetime(2024, 6, 20, 12, 0, tzinfo=dt.timezone.utc)
SINCE = dt.date(2024, 6, 1)
Fetch = Callable[[str], bytes]


def run(
    tmp_path: Path, server: FeedServer, fetch: Fetch, now: dt.datetime = NOW, since: dt.date | None = SINCE
) -> tuple[Path, UpdateResult]:
    cache_dir = tmp_path / "feeds" / "cpsc"
    return cache_dir, update(cache_dir, since, fetch=fetch, base_url=server.url, now=now)


def good_cache(tmp_path: Path, server: FeedServer, fetch: Fetch) -> Path:
    server.records(cpsc_record("24-101", published="2024-06-05"))
    cache_dir, result = run(tmp_path, server, fetch)
    assert result.ok
    return cache_dir


def test_normal_response_becomes_loadable_rules(tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch) -> None:
    feed_server.records(cpsc_record("24-101", published="2024-06-05"), cpsc_record("24-102", published="2024-06-10"))
    cache_dir, result = run(tmp_path, feed_server, fast_fetch)
    assert result == UpdateResult(feed="CPSC", ok=True, added=2, changed=0, total=2, data_as_of=NOW)
    assert assert_loadable(cache_dir) == 2
    meta = json.loads((cache_dir / "feed.json").read_text())
    assert meta["data_as_of"] == NOW.isoformat() and meta["cursor"] == "2024-06-20" and meta["rules"] == 2
    query = feed_server.requests[0]["query"]
    assert query == {"format": ["json"], "LastPublishDateStart": ["2024-06-01"], "LastPublishDateEnd": ["2024-06-20"]}


def test_request_is_honest_and_asks_for_gzip(tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch) -> None:
    feed_server.reply(Reply(json.dumps([cpsc_record("24-101", published="2024-06-05")]).encode(), gzip=True))
    _, result = run(tmp_path, feed_server, fast_fetch)
    headers = feed_server.requests[0]["headers"]
    assert headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("recall-agent/")
    assert headers["Accept-Encoding"] == "gzip"
    assert result.total == 1


def test_empty_response_is_a_successful_update(tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch) -> None:
    feed_server.reply(Reply(b"[]"))
    cache_dir, result = run(tmp_path, feed_server, fast_fetch)
    assert result.ok and result.total == 0
    assert feed_meta.read_meta(cache_dir)["data_as_of"] == NOW.isoformat()


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(b'[{"RecallID":0,"Title":"Error retrieving Recalls: timeout"}]'), "the API reported an error"),
        (Reply(b'[{"RecallID": 7938, "Title": "Aria'), "not valid JSON"),
        (Reply(b'{"message": "not a list"}'), "expected a JSON list"),
        (Reply(b"[]", claim_length=5000), "interrupted"),
        (Reply(b"", status=404), "HTTP 404"),
        (Reply(json.dumps([cpsc_record("12-001", published="2012-03-04")]).encode()), "outside the requested window"),
    ],
    ids=["error-as-200", "truncated-json", "not-a-list", "connection-drops", "not-found", "misspelled-parameter"],
)
def test_a_bad_response_never_replaces_a_good_cache(
    tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch, reply: Reply, reason: str
) -> None:
    cache_dir = good_cache(tmp_path, feed_server, fast_fetch)
    before = {p.name: p.read_text() for p in cache_dir.iterdir()}
    feed_server.reply(reply, reply)
    later = NOW + dt.timedelta(days=3)
    _, result = run(tmp_path, feed_server, fast_fetch, now=later)
    assert not result.ok
    warning = result.warning
    assert reason in warning and "keeping the cached CPSC rules from 2024-06-20 (3 days old)" in warning
    assert {p.name: p.read_text() for p in cache_dir.iterdir()} == before
    assert [p.name for p in cache_dir.parent.iterdir() if p.name.startswith(".cpsc.")] in ([], [".cpsc.lock"])


def test_slow_server_times_out_and_the_update_still_succeeds_softly(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.reply(Reply(b"[]", delay=1.5))
    cache_dir, result = run(tmp_path, feed_server, lambda url: http_get(url, timeout=0.3, attempts=1))
    assert not result.ok
    assert "no CPSC rules are cached yet" in result.warning
    assert not cache_dir.exists()


@pytest.mark.parametrize(
    "reply", [Reply(b"[]" + b" " * 300_000), Reply(b"[", stream=2_000_000)], ids=["declared-length", "streamed"]
)
def test_a_huge_response_is_refused_without_reading_it_whole(
    tmp_path: Path, feed_server: FeedServer, reply: Reply
) -> None:
    feed_server.reply(reply)
    _, result = run(tmp_path, feed_server, lambda url: http_get(url, timeout=5, attempts=1, max_bytes=100_000))
    assert "over the 100000-byte limit" in result.warning


def test_a_gzip_bomb_is_refused(feed_server: FeedServer) -> None:
    feed_server.reply(Reply(b"[" + b" " * 3_000_000 + b"]", gzip=True))
    with pytest.raises(FeedError, match="over the 100000-byte limit"):
        http_get(feed_server.url, timeout=5, attempts=1, max_bytes=100_000)


def test_server_errors_are_retried_with_backoff(feed_server: FeedServer) -> None:
    feed_server.reply(Reply(b"busy", status=503), Reply(b"[]"))
    waits: list[float] = []
    assert http_get(feed_server.url, attempts=3, backoff=0.5, sleep=waits.append) == b"[]"
    assert waits == [0.5]


def test_update_after_update_only_adds_and_changes(tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch) -> None:
    feed_server.records(cpsc_record("24-101", published="2024-06-05"), cpsc_record("24-102", published="2024-06-10"))
    cache_dir, _ = run(tmp_path, feed_server, fast_fetch)
    changed = cpsc_record("24-102", published="2024-06-21", model_line="PB9990")
    feed_server.records(changed, cpsc_record("24-103", published="2024-06-22"))
    later = NOW + dt.timedelta(days=2)
    _, result = run(tmp_path, feed_server, fast_fetch, now=later, since=None)
    assert (result.added, result.changed, result.total) == (1, 1, 3)
    assert feed_server.requests[1]["query"]["LastPublishDateStart"] == ["2024-06-20"]
    assert 'models = ["PB9990"]' in (cache_dir / "cpsc-24-102.toml").read_text()
    assert assert_loadable(cache_dir) == 3


@pytest.mark.parametrize("listable", [True, False])
def test_added_and_changed_are_counted_whether_the_old_cache_can_be_listed_or_not(
    tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch, monkeypatch: pytest.MonkeyPatch, listable: bool
) -> None:
    assert result_module._listed(tmp_path / "no-cache-yet") == frozenset()  # a first import: every rule is new
    feed_server.records(cpsc_record("24-101", published="2024-06-05"), cpsc_record("24-102", published="2024-06-10"))
    cache_dir, _ = run(tmp_path, feed_server, fast_fetch)
    assert result_module._listed(cache_dir) == frozenset({"cpsc-24-101.toml", "cpsc-24-102.toml", "feed.json"})
    if not listable:  # as for a folder that may be searched but not read: each old file is tried on its own
        monkeypatch.setattr(result_module, "_listed", lambda cache_dir: None)
    changed = cpsc_record("24-102", published="2024-06-21", model_line="PB9990")
    feed_server.records(changed, cpsc_record("24-103", published="2024-06-22"))
    _, result = run(tmp_path, feed_server, fast_fetch, now=NOW + dt.timedelta(days=2), since=None)
    assert result.ok, result.warning
    assert (result.added, result.changed, result.total) == (1, 1, 3)


def test_offline_warns_with_the_age_of_the_cache(tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch) -> None:
    cache_dir = good_cache(tmp_path, feed_server, fast_fetch)
    result = update(
        cache_dir,
        fetch=fast_fetch,
        base_url="http://127.0.0.1:9/RestWebServices/Recall",
        now=NOW + dt.timedelta(days=40),
    )
    assert not result.ok and result.data_as_of == NOW
    assert "cannot reach the server" in result.warning and "(40 days old)" in result.warning
    assert assert_loadable(cache_dir) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://www.saferproducts.gov/RestWebServices/Recall",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "http://10.0.0.1/feed",
    ],
)
def test_only_https_or_loopback_is_allowed(url: str) -> None:
    with pytest.raises(FeedError, match="refusing to download a feed over anything but HTTPS"):
        check_url(url)


def test_update_refuses_a_plain_http_base_url_before_any_request(tmp_path: Path) -> None:
    def no_network(url: str) -> bytes:
        raise AssertionError("must not fetch")

    result = update(tmp_path / "cpsc", SINCE, fetch=no_network, base_url="http://example.org/Recall", now=NOW)
    assert not result.ok and "HTTPS" in result.warning


def test_https_and_loopback_pass() -> None:
    check_url("https://www.saferproducts.gov/RestWebServices/Recall?format=json")
    check_url("http://localhost:8080/x")


def test_first_update_covers_history_in_yearly_windows() -> None:
    spans = list(windows(dt.date(2022, 1, 1), dt.date(2024, 6, 20)))
    assert spans[0] == (dt.date(2022, 1, 1), dt.date(2023, 1, 1))
    assert spans[-1][1] == dt.date(2024, 6, 20) and len(spans) == 3
    assert all(b + dt.timedelta(days=1) == c for (_, b), (c, _) in itertools.pairwise(spans))


def test_import_file_adds_a_saved_response(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cpsc"
    result = import_file(DATA / "cpsc-recall-7938.json", cache_dir, now=NOW)
    assert result.ok and result.added == 1 and result.data_as_of == dt.datetime(2016, 12, 20, tzinfo=dt.timezone.utc)
    assert assert_loadable(cache_dir) == 1
    assert feed_meta.read_meta(cache_dir)["cursor"] == "2016-12-20"


def test_import_file_refuses_an_error_response(tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text('[{"RecallID":0,"Title":"Error retrieving Recalls: bad parameter"}]')
    with pytest.raises(FeedError, match=r"saved\.json: the API reported an error"):
        import_file(saved, tmp_path / "cpsc")
    assert not (tmp_path / "cpsc").exists()


def test_an_interrupted_swap_is_recovered(tmp_path: Path, feed_server: FeedServer, fast_fetch: Fetch) -> None:
    cache_dir = good_cache(tmp_path, feed_server, fast_fetch)
    cache_dir.rename(cache_dir.parent / ".cpsc.old-crash")
    (cache_dir.parent / ".cpsc.new-crash").mkdir()
    cache.recover(cache_dir)
    assert assert_loadable(cache_dir) == 1
    assert sorted(p.name for p in cache_dir.parent.iterdir()) in (["cpsc"], [".cpsc.lock", "cpsc"])
