"""Model-number and criteria extraction: a table of cases and a few labelled notices checked exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent.feeds import cpsc, criteria, date_codes
from agent.feeds.extract import model_numbers
from agent.feeds.model_codes import retailer_ids
from feeds.feedkit import LABELLED


@pytest.mark.parametrize(
    ("text", "models"),
    [
        ("Label on the bottom: Model: A1112.", ["A1112"]),
        (
            "model numbers H7130 (including the H7130101 variation), H7131 and H7132",
            ["H7130", "H7130101", "H7131", "H7132"],
        ),
        ("identified by their model number, CYAP05 050100U, and", ["CYAP05 050100U"]),
        ("Model: A1642/A1647/A1652", ["A1642", "A1647", "A1652"]),
        ("Samsung Galaxy Note 7, SM-N930F and SM-N930P", ["SM-N930F", "SM-N930P"]),
        ("the Baseus 65W 30000mAh (BS-30KP365) power bank", ["BS-30KP365"]),
        ("with model number 1013 on the label", ["1013"]),
        ("part numbers, printed on a white sticker below the bar code: 42T4695 and 42T4711", ["42T4695", "42T4711"]),
        ("model BI\u2011B41 power banks", ["BI-B41"]),
    ],
)
def test_model_codes_are_found(text: str, models: list[str]) -> None:
    assert model_numbers(text) == models


@pytest.mark.parametrize(
    "text",
    [
        "Sold from 2019 through 2021 for $25. Call 888-299-8672. Recall number 21-028.",
        "A 10000mAh battery, 5V 2A input, 65W and 20W output, USB-C port, 5.7-inch screen, PowerCore 10K.",
        'On the top are the letters "OUT DC5V" and "IN DC5V".',
        "Serial numbers: 000G21, 000H21 and 000I21. Bar codes starting with 6BZLU or 6CGFK.",
        "Product ID number B00LRK8EVO is printed on the back.",
        "The 2nd Generation Galaxy Note7 meets UL 1278 and ASTM F963; codes D4 1910 and D4 2003.",
        "Sold in packs of 3, 2-in-1 design, 9-cell battery, CR2032 coin cell.",
    ],
)
def test_numbers_that_are_not_models_are_left_alone(text: str) -> None:
    assert model_numbers(text) == []


def test_amazon_ids_go_to_retailer_ids() -> None:
    assert retailer_ids("Product ID number B00LRK8EVO, B00LRK8HJ8 or B00ZQ4JQAA") == [
        "B00LRK8EVO",
        "B00LRK8HJ8",
        "B00ZQ4JQAA",
    ]


def labelled(name: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((LABELLED / f"{name}.json").read_text(encoding="utf-8"))[0]
    return record


def test_belkin_wiz003_model_and_serial_ranges() -> None:
    record = labelled("belkin-wiz003-2021")
    assert model_numbers(cpsc.record_prose(record)) == ["WIZ003"]
    serial = criteria.serial(record["Description"])
    assert serial["ranges"][0] == ["35B01DO6029400", "35B01DO6033704"] and len(serial["ranges"]) == 6


def test_iniu_model_and_exact_serials() -> None:
    record = labelled("iniu-2025")
    assert model_numbers(cpsc.record_prose(record)) == ["BI-B41"]
    assert criteria.serial(record["Description"]) == {"exact": ["000G21", "000H21", "000I21", "000L21"]}


def test_philips_models_and_production_window() -> None:
    record = labelled("philips-avent-2023")
    assert model_numbers(cpsc.record_prose(record)) == ["SCD630", "SCD843"]
    assert date_codes.manufactured(record["Description"]) == {"from": "2016-03", "to": "2019-12"}


def test_dewalt_codes_with_no_code_included_and_no_model() -> None:
    record = labelled("dewalt-earphones-2021")
    assert model_numbers(cpsc.record_prose(record)) == []
    codes, no_code = date_codes.codes(record["Description"])
    assert codes[:2] == ["D4 1910", "D4 1912"] and len(codes) == 11 and no_code


def test_baseus_serial_suffixes_and_belkin_prefix() -> None:
    baseus = criteria.serial(labelled("baseus-30kp365-2025")["Description"])
    assert baseus["suffixes"] == [str(d) for d in range(10)] + ["D"]
    assert criteria.serial(labelled("belkin-bpd005-2024")["Description"]) == {"prefixes": ["57V"]}


def test_tora_serial_range_in_prose() -> None:
    assert criteria.serial(labelled("tora-2023")["Description"]) == {"ranges": [["1350", "1549"]]}
