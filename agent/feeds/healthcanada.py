"""Health Canada's recalls open data (one JSON file of every notice) converted to rule documents.

Fields used: NID, Title, URL, Organization, Product, Issue, Category, "Last updated". Only consumer
product notices become rules (food, vehicle and health product notices cannot match a device). The
file gives no recall date and no remedy, so ``published`` is the "Last updated" date and the remedy
points to the notice. The whole file is downloaded each time and replaces the previous cache.
Published under the Open Government Licence - Canada.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from agent import datetimes as dt
from agent.feeds import FeedError, extract, interface, read_capped, text, vocab
from agent.feeds.http import Fetch
from agent.feeds.interface import Feed, Meta, Record
from agent.feeds.result import UpdateResult
from agent.rules.parse import prose_in_brand

FEED = "Health Canada"
ISSUER = "Health Canada"
URL = "https://recalls-rappels.canada.ca/sites/default/files/opendata-donneesouvertes/HCRSAMOpenData.json"
SITE = "https://recalls-rappels.canada.ca"
MAX_BYTES = 100_000_000
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%B %d, %Y")
_BEFORE_VERB = re.compile(r"^(.*?)\s+(?:recalled|recall|sold|due to|may|pose|can)\b", re.IGNORECASE)


def parse(raw: bytes, source: str = "Health Canada data") -> list[Mapping[str, Any]]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeedError(f"{source}: not valid JSON ({e})") from e
    if isinstance(data, dict):  # tolerate a wrapper object around the list
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FeedError(f"{source}: expected a JSON list of notices")
    return data


def is_consumer_product(record: Mapping[str, Any]) -> bool:
    return "consumer" in _text(record.get("Category")).lower()


def rule_from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    nid = re.sub(r"[^a-z0-9]+", "-", _text(record.get("NID")).lower()).strip("-")
    title = _text(record.get("Title"))
    published = notice_date(record.get("Last updated"))
    if not nid or not title or published is None:
        raise FeedError(f"Health Canada notice {nid or '?'}: missing NID, Title or 'Last updated'")
    product, issue = _text(record.get("Product")), _text(record.get("Issue"))
    url = _text(record.get("URL"))
    models = extract.model_numbers(f"{title}\n{product}")
    entry: dict[str, Any] = {"name": product or title, "brands": brands(title, product)}
    if models:
        entry["models"] = models
    entry["names"] = [product or title]
    return {
        "id": f"hc-{nid}",
        "title": title,
        "kind": "warning" if re.search(r"\b(?:warns|advisory)\b", title, re.IGNORECASE) else "recall",
        "published": published,
        "url": url if url.startswith("https://") else SITE + "/" + url.lstrip("/") if url else SITE,
        "hazard": issue or "See the notice for the hazard.",
        "hazards": vocab.hazards(issue, title),
        "remedy": "Stop using the product and follow the instructions in Health Canada's notice.",
        "check": "Compare the product, its label and its model number with the notice.",
        "certainty": "extracted",
        "category": vocab.category(title, product),
        "issuer": {"name": ISSUER, "type": "agency", "reference": _text(record.get("NID"))},
        "products": [entry],
    }


def rules_from_records(records: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The consumer-product notices converted and checked by the rule loader; the others named as skipped."""
    return interface.rules_from_records(HealthCanadaFeed(), records)


class HealthCanadaFeed(Feed):
    """Health Canada's recalls and safety alerts: one open-data file, downloaded whole, replacing the cache."""

    name, title, merge, max_bytes = "healthcanada", FEED, False, MAX_BYTES

    def __init__(self, url: str = URL) -> None:
        self.url = url

    def fetch(self, get: Fetch, meta: Mapping[str, Any], now: dt.datetime) -> tuple[list[Record], Meta]:
        return parse(get(self.url), self.url), {"data_as_of": now.isoformat(), "source": self.url}

    def read(self, path: Path, meta: Mapping[str, Any], now: dt.datetime) -> tuple[list[Record], Meta]:
        records = parse(read_capped(path, MAX_BYTES), str(path))
        when = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0)
        return records, {"data_as_of": when.isoformat(), "source": str(path.name), "imported_at": now}

    def convert(self, record: Record) -> dict[str, Any]:
        return rule_from_record(record)

    def wanted(self, record: Record) -> bool:
        return is_consumer_product(record)


def update(
    cache_dir: Path, *, fetch: Fetch | None = None, url: str = URL, now: dt.datetime | None = None
) -> UpdateResult:
    """Download the whole file and replace the cache; on any failure keep the cache and warn."""
    return interface.update(HealthCanadaFeed(url), cache_dir, fetch=fetch, now=now)


def import_file(path: Path, cache_dir: Path, *, now: dt.datetime | None = None) -> UpdateResult:
    """Replace the cache with the notices of a saved copy of the file; FeedError if it cannot be used."""
    return interface.import_file(HealthCanadaFeed(), path, cache_dir, now=now)


def brands(title: str, product: str) -> list[str]:
    """Firm or brand names at the start of a title such as "Mastercraft and Matrix garage heaters recalled"."""
    match = _BEFORE_VERB.match(title)
    head = re.split(r"\s*\(", match[1] if match else title)[0]  # "(models H7130, ...)" is not a brand
    if product and head.lower().endswith(product.lower()):
        head = head[: -len(product)]
    else:
        head = re.sub(r"(?:\s+[a-z][\w-]*)+$", "", head)  # drop the trailing lower-case product words
    names = [n.strip(" ,") for n in re.split(r",\s*|\s+and\s+|\s+&\s+", head)]
    found = [n for n in names if n and n[0].isupper() and not prose_in_brand(n)]
    return found or [title.split(maxsplit=1)[0]]


def notice_date(value: object) -> dt.date | None:
    text = _text(value)
    for candidate in (text, text[:19], text[:10]):
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
    return None


def _text(value: object) -> str:
    return text.one_line(str(value)) if value is not None else ""
