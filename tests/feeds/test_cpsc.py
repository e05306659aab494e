"""Converting CPSC API records into rule documents the core loader accepts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from agent.feeds import FeedError, cache, cpsc, vocab
from agent.rules.load import load_file
from agent.rules.parse import prose_in_brand
from feeds.feedkit import DATA, LABELLED, assert_loadable, cpsc_record


def converted(name: str) -> dict[str, Any]:
    records = cpsc.parse_response((DATA / name).read_bytes())
    return cpsc.rule_from_record(records[0])


def test_the_programmers_guide_record_converts_field_by_field() -> None:
    rule = converted("cpsc-recall-7938.json")
    assert rule["id"] == "cpsc-17057" and rule["kind"] == "recall" and rule["certainty"] == "extracted"
    assert rule["published"] == dt.date(2016, 12, 20)
    assert rule["issuer"] == {"name": cpsc.ISSUER, "type": "agency", "reference": "17057"}
    assert rule["hazards"] == ["laceration", "fall", "injury"]
    assert rule["category"] == "children"
    assert rule["check"].startswith("The model number and date of manufacture are printed on a sticker")
    product, others = rule["products"]
    assert product["brands"] == others["brands"] == ["Qbit", "Aria Child"]
    # The table gives the production window on the aqua row only: it narrows that model, never the others.
    assert product["models"] == ["10AW1G-AQU2U"]
    assert others["models"] == ["10AW1G-RAS2U", "10AW1G-WHT2U", "10AW1G-CHA4U", "10AW1G-CIR5U"]
    assert product["manufactured"] == {"from": "2015-03-25", "to": "2016-03-09"} and "manufactured" not in others
    assert product["units"] == 29400 and product["names"] == ["Qbit strollers"]


def test_written_rules_pass_the_core_loader(tmp_path: Path) -> None:
    records = [cpsc_record("24-101", published="2024-06-05"), converted_record_without_models()]
    rules, skipped = cpsc.rules_from_records(records)
    cache.replace(tmp_path / "cpsc", rules, {"data_as_of": "2024-06-20T00:00:00+00:00"}, merge=False)
    assert skipped == [] and assert_loadable(tmp_path / "cpsc") == 2


def converted_record_without_models() -> dict[str, Any]:
    return cpsc_record(
        "24-102",
        published="2024-06-05T00:00:00",
        description="This recall involves blue table lamps with a fabric shade.",
    )


def test_a_record_without_any_model_keeps_its_product_names() -> None:
    rule = cpsc.rule_from_record(converted_record_without_models())
    product = rule["products"][0]
    assert "models" not in product and product["names"] == ["Example power banks"]
    assert rule["published"] == dt.date(2024, 6, 5)


@pytest.mark.parametrize("value", ["2016-12-20T00:00:00", "2016-12-20", "2016-12-20T08:30:00.000"])
def test_both_date_formats_are_read(value: str) -> None:
    assert cpsc.api_date(value) == dt.date(2016, 12, 20)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            [{"RecallID": 0, "Title": "Error retrieving Recalls: The parameter is incorrect"}],
            "the API reported an error",
        ),
        ({"RecallID": 1}, "expected a JSON list of recall records"),
        (["text"], "expected a JSON list of recall records"),
    ],
)
def test_error_responses_raise_a_clear_feed_error(data: object, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        cpsc.check_response(data)


def test_a_record_missing_a_date_is_skipped_and_named() -> None:
    record = cpsc_record("24-103", published="")
    rules, skipped = cpsc.rules_from_records([record])
    assert rules == [] and skipped == ["CPSC record 24-103: missing RecallNumber, Title or RecallDate"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Aria Child Recalls Strollers Due to Laceration and Fall Hazards", ["Example", "Aria Child"]),
        (
            "Anker Power Banks Recalled Due to Fire and Burn Hazards; Manufactured by Anker Innovations",
            ["Anker", "Example", "Anker Innovations"],
        ),
    ],
)
def test_brands_come_from_the_title_and_the_firms(title: str, expected: list[str]) -> None:
    record = cpsc_record("24-104", published="2024-06-05", title=title)
    assert cpsc.rule_from_record(record)["products"][0]["brands"] == expected


def test_a_brand_named_in_the_prose_is_kept() -> None:
    record = cpsc_record(
        "24-105",
        published="2024-06-05",
        title="Power Banks Recalled Due to Fire Hazard",
        description="The brand name \u201cCharmast\u201d is printed on the front.",
    )
    assert cpsc.rule_from_record(record)["products"][0]["brands"][0] == "Charmast"


def test_a_cpsc_warning_is_marked_as_a_warning() -> None:
    title = "CPSC Warns Consumers to Immediately Stop Using Example E-Bike Batteries Due to Fire Hazard"
    assert cpsc.rule_from_record(cpsc_record("25-001", published="2025-11-24", title=title))["kind"] == "warning"


@pytest.mark.parametrize(
    ("text", "hazards"),
    [
        ("The battery can overheat and ignite, posing fire and burn hazards.", ["fire", "burn"]),
        ("The plastic casing can come off, posing a shock hazard.", ["shock"]),
        ("The heater can emit carbon monoxide.", ["carbon-monoxide"]),
        ("Small parts can detach, posing a choking hazard.", ["choking"]),
        ("Something unexpected.", ["other"]),
    ],
)
def test_hazard_words_map_to_the_schema_vocabulary(text: str, hazards: list[str]) -> None:
    assert vocab.hazards(text) == hazards


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Baby monitors", "electronics"),
        ("Air fryers", "electronics"),
        ("Qbit strollers", "children"),
        ("Wooden dressers", "furniture"),
        ("Garden hose nozzles", "other"),
    ],
)
def test_categories_keep_non_electronics_apart(text: str, category: str) -> None:
    assert vocab.category(text) == category


def test_every_dated_labelled_notice_converts_to_a_loadable_rule(tmp_path: Path) -> None:
    records = [r for path in sorted(LABELLED.glob("*.json")) for r in json.loads(path.read_text(encoding="utf-8"))]
    rules, skipped = cpsc.rules_from_records(records)
    dated = [r for r in records if r["RecallDate"]]
    assert len(rules) == len(dated) and len(skipped) == len(records) - len(dated)
    cache.replace(tmp_path / "cpsc", rules, {"data_as_of": "2025-01-01T00:00:00+00:00"}, merge=False)
    assert assert_loadable(tmp_path / "cpsc") == len(dated)


@pytest.mark.parametrize(
    "brand",
    [
        "Govee smart electric space heaters (models H7130",
        "H7135)",
        "Charmast Exclusively on Amazon.com Due to Fire Hazard",
        "the heaters sold at stores nationwide",
    ],
)
def test_rules_check_reports_prose_in_a_brand_list(tmp_path: Path, brand: str) -> None:
    record = cpsc_record("24-106", published="2024-06-05")
    rule = cpsc.rule_from_record(record)
    rule["products"][0]["brands"] = ["Govee", brand]
    cache.replace(tmp_path / "cpsc", [rule], {"data_as_of": "2024-06-20T00:00:00+00:00"}, merge=False)
    (path,) = sorted((tmp_path / "cpsc").glob("*.toml"))
    loaded, problems = load_file(path, "feed")
    assert loaded is None and len(problems) == 1 and "products[0].brands[1]" in str(problems[0])
    assert repr(brand) in str(problems[0])


@pytest.mark.parametrize("brand", ["Lotsa LITES!", "woom", "Army & Air Force Exchange Service", "3M", "Hover-1"])
def test_real_brand_names_are_not_prose(brand: str) -> None:
    assert prose_in_brand(brand) == ""
