"""Health Canada's open data through the same machinery. The fixture is constructed (see its file name)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.feeds import FeedError, healthcanada
from feeds.feedkit import DATA, FeedServer, Reply, assert_loadable

FIXTURE = DATA / "healthcanada-constructed.json"
NOW = dt.datetime(2024, 11, 10, tzinfo=dt.timezone.utc)


def test_consumer_product_notices_become_rules_and_the_rest_is_left_out() -> None:
    rules, skipped = healthcanada.rules_from_records(healthcanada.parse(FIXTURE.read_bytes()))
    assert [r["id"] for r in rules] == ["hc-69211", "hc-77410"]
    assert skipped == ["Health Canada notice ?: missing NID, Title or 'Last updated'"]
    heaters, govee = rules
    assert heaters["products"][0]["brands"] == ["Mastercraft", "Profusion Heat", "Prestige", "Matrix"]
    assert heaters["hazards"] == ["fire"] and heaters["category"] == "electronics"
    assert heaters["issuer"] == {"name": "Health Canada", "type": "agency", "reference": "69211"}
    assert govee["products"][0]["models"] == ["H7130", "H7131", "H7132", "H7133", "H7134", "H7135"]
    assert govee["url"].startswith("https://recalls-rappels.canada.ca/en/alert-recall/")
    assert govee["published"] == dt.date(2024, 11, 7) and govee["hazards"] == ["fire", "burn"]


def test_update_replaces_the_cache_with_loadable_rules(
    tmp_path: Path, feed_server: FeedServer, fast_fetch: Callable[[str], bytes]
) -> None:
    feed_server.reply(Reply(FIXTURE.read_bytes(), gzip=True))
    result = healthcanada.update(tmp_path / "hc", fetch=fast_fetch, url=feed_server.url, now=NOW)
    assert result.ok and result.total == 2 and result.data_as_of == NOW
    assert assert_loadable(tmp_path / "hc") == 2


def test_a_failed_download_keeps_the_previous_rules(
    tmp_path: Path, feed_server: FeedServer, fast_fetch: Callable[[str], bytes]
) -> None:
    feed_server.reply(Reply(FIXTURE.read_bytes()), Reply(b'[{"NID": ', status=200))
    healthcanada.update(tmp_path / "hc", fetch=fast_fetch, url=feed_server.url, now=NOW)
    result = healthcanada.update(tmp_path / "hc", fetch=fast_fetch, url=feed_server.url, now=NOW + dt.timedelta(days=2))
    assert not result.ok and "(2 days old)" in result.warning
    assert assert_loadable(tmp_path / "hc") == 2


def test_import_file_and_a_broken_file(tmp_path: Path) -> None:
    assert healthcanada.import_file(FIXTURE, tmp_path / "hc").total == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"notices": "none"}')
    with pytest.raises(FeedError, match="expected a JSON list of notices"):
        healthcanada.import_file(broken, tmp_path / "hc")


def test_a_notice_whose_rule_the_loader_would_refuse_is_skipped_with_the_loaders_reason() -> None:
    """Health Canada's converter has no id check of its own: the rule loader's validation catches it."""
    from agent.feeds.healthcanada import rules_from_records

    record = {
        "NID": "RA-" + "9" * 90,  # an id past the loader's 81 characters
        "Title": "Acme kettles recalled due to burn hazard",
        "Product": "Acme kettle",
        "Issue": "Burn hazard",
        "Category": "Consumer products",
        "Last updated": "2024-05-01",
        "URL": "https://recalls-rappels.canada.ca/en/alert-recall/acme-kettles",
    }
    rules, skipped = rules_from_records([record])
    assert rules == []
    assert len(skipped) == 1 and "field 'id'" in skipped[0]
