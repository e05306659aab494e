"""CPSC Recalls API records (the JSON list the API returns) converted to rule documents (rules/README.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from agent import datetimes as dt
from agent import normalize
from agent.feeds import FeedError, brands, date_codes, extract, model_codes, text, ties, vocab
from agent.feeds.firms import firm_names
from agent.textsafe import terminal

ISSUER = "U.S. Consumer Product Safety Commission"
_RULE_ID = re.compile(r"^cpsc-[a-z0-9][a-z0-9-]{0,75}$")  # within the rule loader's 81 characters
_MODEL_IN_NAME = re.compile(r",?\s*(?:models?|model numbers?)\b.*$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_ORDER = (
    "name",
    "brands",
    "models",
    "names",
    "upcs",
    "retailer_ids",
    "units",
    "codes",
    "no_code_included",
    "serial",
    "manufactured",
)


def check_response(data: object, source: str = "CPSC response") -> list[Mapping[str, Any]]:
    """The records of an API response; FeedError if it is not a list of records or is an error record."""
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FeedError(f"{source}: expected a JSON list of recall records")
    for record in data:
        if record.get("RecallID") in (0, "0") and str(record.get("Title", "")).startswith("Error"):
            raise FeedError(f"{source}: the API reported an error: {str(record.get('Title'))[:200]}")
    return data


def parse_response(raw: bytes, source: str = "CPSC response") -> list[Mapping[str, Any]]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeedError(f"{source}: not valid JSON ({e})") from e
    return check_response(data, source)


def api_date(value: object) -> dt.date | None:
    """ "2016-12-20T00:00:00" and "2016-12-20" both give 2016-12-20; None when missing or unreadable."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def rule_from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """One rule document for one API record; FeedError if the record lacks what every rule needs."""
    number = _text(record.get("RecallNumber")) or _text(record.get("RecallID"))
    title = _text(record.get("Title"))
    published = api_date(record.get("RecallDate"))
    if not number or not title or published is None:
        raise FeedError(f"CPSC record {terminal(number, 40) or '?'}: missing RecallNumber, Title or RecallDate")
    rule_id = "cpsc-" + re.sub(r"[^a-z0-9]+", "-", number.lower()).strip("-")
    if not _RULE_ID.match(rule_id):
        raise FeedError(f"CPSC record {terminal(number, 40)}: the recall number cannot make a rule id")
    description = _prose(record.get("Description"))
    hazard_texts = [_text(h.get("Name")) for h in _items(record, "Hazards")]
    hazard_types = [_text(h.get("HazardType")) for h in _items(record, "Hazards")]
    names = _product_names(record)
    rule: dict[str, Any] = {
        "id": rule_id,
        "title": title,
        "kind": "warning" if re.match(r"CPSC\s+(?:Warns|Urges)", title) else "recall",
        "published": published,
        "url": _url(record.get("URL")),
        "hazard": " ".join(t for t in hazard_texts if t) or "See the notice for the hazard.",
        "hazards": vocab.hazards(*hazard_texts, *hazard_types, title),
        "remedy": _remedy(record),
        "check": " ".join(date_codes.where_to_look(description)) or "Compare the product with the notice's photos.",
        "certainty": "extracted",
        "category": vocab.category(title, *names, extract.sentences(description)[:1][0] if description else ""),
        "issuer": {"name": ISSUER, "type": "agency", "reference": _text(record.get("RecallNumber"))},
        "products": _products(record, title, description, names),
    }
    if not rule["products"][0]["brands"]:  # every product of a rule names its brand
        raise FeedError(f"CPSC record {terminal(number, 40)}: no brand name can be read from it")
    return rule


def _url(value: object) -> str:
    """The notice's address when it is an http(s) one (the rule loader takes no other), else CPSC's list."""
    url = _text(value)
    return url if url.startswith(("https://", "http://")) and " " not in url else "https://www.cpsc.gov/Recalls"


def rules_from_records(records: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Convert every record; a record that cannot be converted is skipped and named in the second list."""
    rules: list[dict[str, Any]] = []
    skipped: list[str] = []
    for record in records:
        try:
            rules.append(rule_from_record(record))
        except FeedError as e:
            skipped.append(str(e))
    return rules, skipped


def record_prose(record: Mapping[str, Any]) -> str:
    """Every text of a record that can name a model: title, description, product fields, image captions."""
    captions = [_text(i.get("Caption")) for i in _items(record, "Images")]
    product_fields = [_text(p.get(k)) for p in _items(record, "Products") for k in ("Name", "Model", "Description")]
    texts = [_text(record.get("Title")), _prose(record.get("Description")), *product_fields, *captions]
    return "\n".join(t for t in texts if t)


def products_from_record(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The product tables of a record's rule, without the checks a whole rule needs (dates, ids)."""
    title = _text(record.get("Title"))
    return _products(record, title, _prose(record.get("Description")), _product_names(record))


def _products(record: Mapping[str, Any], title: str, description: str, names: list[str]) -> list[dict[str, Any]]:
    """One product per group of models sharing the same stated criteria (agent/feeds/ties.py), else one."""
    prose = record_prose(record)
    product: dict[str, Any] = {
        "name": names[0] if names else title,
        "brands": _brands(record, title, description, names),
    }
    # A brand guess with digits ("MP2") may be the model itself; a brand without digits is never a model.
    models = extract.model_numbers(
        prose, exclude=[b for b in product["brands"] if not _DIGIT.search(b)], brands=product["brands"]
    )
    model_keys = {model_codes.key(m) for m in models}
    product["brands"] = [b for b in product["brands"] if model_codes.key(b) not in model_keys] or product["brands"]
    product["names"] = [_MODEL_IN_NAME.sub("", n) or n for n in names] or [title]
    upcs = list(dict.fromkeys([_text(u.get("UPC")) for u in _items(record, "ProductUPCs")] + date_codes.upcs(prose)))
    upcs = [u for u in upcs if normalize.digits(u)]  # the rule loader refuses a UPC without digits
    if upcs:
        product["upcs"] = upcs
    asins = model_codes.retailer_ids(prose)
    if asins:
        product["retailer_ids"] = asins
    units = _units(record)
    out: list[dict[str, Any]] = []
    for group, stated in ties.groups(description, models):
        count = {"units": units} if units and not out else {}  # the notice's count, once
        one = {**product, **({"models": group} if group else {}), **count, **stated}
        out.append({k: one[k] for k in _ORDER if k in one})
    return out


def _brands(record: Mapping[str, Any], title: str, description: str, names: list[str]) -> list[str]:
    """Printed brands first (prose, title, product name, first sentence), then the firms."""
    common = brands.lower_words(description, *names)
    title_brands, title_firms = brands.from_title(title, common)
    weak = [*title_brands, *(b for n in names for b in brands.leading(n, common))]
    weak += brands.from_first_sentence(description, common)
    firms = [n for f in title_firms for n in firm_names(f)]
    for key in ("Manufacturers", "Importers", "Distributors"):
        firms += [n for f in _items(record, key) for n in firm_names(_text(f.get("Name")))]
    shown = brands.printed(description, common)
    printed_words = {w.casefold() for name in shown for w in name.split()}  # "3M PELTOR is stamped": a brand
    guesses = [w for w in weak if w.casefold() not in printed_words and len(w) >= 3]  # "RZR XP": XP stays
    lines = brands.lines(guesses, [*shown, *weak], "\n".join([title, description, *names]))
    found = brands.merge(shown, [w for w in weak if w not in lines], firms)
    from agent.rules.parse import prose_in_brand  # the loader's own test: write only brands it accepts

    return [b for b in found or title.split(maxsplit=1)[:1] if not prose_in_brand(b)]


def _product_names(record: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(n for n in (_text(p.get("Name")) for p in _items(record, "Products")) if n))


def _remedy(record: Mapping[str, Any]) -> str:
    remedies = [_text(r.get("Name")) for r in _items(record, "Remedies")]
    options = [_text(o.get("Option")) for o in _items(record, "RemedyOptions")]
    text = " ".join(r for r in remedies if r)
    if text:
        return text
    if any(options):
        return "Remedy offered: " + ", ".join(o for o in options if o) + ". See the notice for how to get it."
    return "See the notice for what to do."


def _units(record: Mapping[str, Any]) -> int:
    return sum(text.unit_count(_text(p.get("NumberOfUnits"))) for p in _items(record, "Products"))


def _items(record: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = record.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    """A short field as one clean line."""
    if value is None or isinstance(value, bool):
        return ""
    return text.one_line(str(value))


def _prose(value: object) -> str:
    """A long field with its text cleaned and its line breaks kept (they separate sentences)."""
    if value is None or isinstance(value, bool):
        return ""
    return text.clean(str(value)).strip()
