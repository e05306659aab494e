"""Every link a shipped rule gives a person is a page to read: never an API query or a data file."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from agent.paths import shipped_rules_dir
from agent.rules.load import load_rules
from agent.rules.schema import Rule

RULES = load_rules([(shipped_rules_dir(), "shipped")]).rules
API_HOSTS = {"www.saferproducts.gov", "saferproducts.gov", "api.cpsc.gov"}
API_PARAMETERS = {"format", "recallnumber", "recalldatestart", "recalldateend", "productname", "api_key"}
DATA_SUFFIXES = (".json", ".xml", ".csv", ".rss", ".atom")


def not_readable(url: str) -> str:
    """Why ``url`` is not a page a person can read; empty when it is one."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "not an https page"
    if parts.netloc.lower() in API_HOSTS or "restwebservices" in parts.path.lower() or "/api/" in parts.path.lower():
        return "an API address"
    if API_PARAMETERS.intersection(k.lower() for k in parse_qs(parts.query)):
        return "an API query"
    if parts.path.lower().endswith(DATA_SUFFIXES):
        return "a data file"
    return ""


def links(rule: Rule) -> list[tuple[str, str]]:
    found = [("url", rule.url)] + [(f"also ({ref.issuer})", ref.url) for ref in rule.also if ref.url]
    return found + [(f"serial checker of {p.name}", p.serial_lookup) for p in rule.products if p.serial_lookup]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://www.saferproducts.gov/RestWebServices/Recall?format=json&RecallNumber=25466", "an API address"),
        ("https://example.org/recalls?format=json&RecallNumber=1", "an API query"),
        ("https://example.org/export/recalls.json", "a data file"),
        ("ftp://example.org/recall", "not an https page"),
        ("https://www.cpsc.gov/Recalls/2016/Samsung-Recalls-Galaxy-Note7-Smartphones", ""),
    ],
)
def test_the_check_tells_pages_from_api_queries(url: str, why: str) -> None:
    assert not_readable(url) == why


def test_there_are_shipped_rules_to_check() -> None:
    assert len(RULES) >= 30


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_link_of_a_shipped_rule_is_a_page_a_person_can_read(rule: Rule) -> None:
    problems = [f"{where}: {url} is {why}" for where, url in links(rule) if (why := not_readable(url))]
    assert problems == []


def test_agency_links_name_the_recall_itself_where_its_page_is_known() -> None:
    """A notice page on cpsc.gov is one recall's page, not the site's front page."""
    for rule in RULES:
        parts = urlsplit(rule.url)
        if parts.netloc == "www.cpsc.gov" and parts.path != "/Recalls":
            section, year, slug = parts.path.strip("/").split("/")
            assert section in ("Recalls", "Warnings") and year.isdigit() and len(slug) > 20, rule.url
