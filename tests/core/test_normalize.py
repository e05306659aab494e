from __future__ import annotations

import pytest

from agent import normalize
from agent.dates import PartialDate, parse_partial_date, within
from agent.matching import brands


@pytest.mark.parametrize("text", ["A1112", "a-1112", "A 1112", "a1112", " A.1112 ", "Ａ１１１２"])
def test_model_code_spellings_are_the_same(text: str) -> None:
    assert normalize.model_code(text) == "A1112"


@pytest.mark.parametrize("text", ["A11120", "A1113", "A111", "1112"])
def test_model_code_neighbours_differ(text: str) -> None:
    assert normalize.model_code(text) != "A1112"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Anker", "anker"),
        ("Anker Innovations", "anker"),
        ("ANKER INNOVATIONS LIMITED", "anker"),
        ("Anker Innovations Ltd.", "anker"),
        ("AnkerWork", "anker"),
        ("Soundcore", "anker"),
        ("Amazon Basics", "amazon"),
        ("AmazonBasics", "amazon"),
        ("GoveeLife", "govee"),
        ("Govee", "govee"),
        ("Belkin International, Inc.", "belkin"),
        ("Samsung Electronics Co., Ltd.", "samsung"),
    ],
)
def test_brand_aliases(text: str, key: str) -> None:
    assert brands.key(text) == key


def test_different_brands_stay_different() -> None:
    assert brands.key("Ankor") != brands.key("Anker")
    assert brands.key("Baseus") != brands.key("Belkin")


def test_names_ignore_case_and_spacing() -> None:
    assert normalize.words("  Anker   321 POWER-bank ") == ("anker", "321", "power", "bank")


@pytest.mark.parametrize(
    ("text", "digits"),
    [("0 12345 67890 5", "12345678905"), ("012345678905", "12345678905"), ("00012345678905", "12345678905")],
)
def test_upc_forms_compare_equal(text: str, digits: str) -> None:
    assert normalize.digits(text) == digits


@pytest.mark.parametrize(
    ("value", "expected"), [("291A", "291a"), ("0x291a", "291a"), ("ea60", "ea60"), ("1", "0001"), (0x291A, "291a")]
)
def test_hex_ids(value: object, expected: str) -> None:
    assert normalize.hex_id(value) == expected


@pytest.mark.parametrize("value", ["291g", "12345", "", -1, 70000, True, 1.5])
def test_bad_hex_ids(value: object) -> None:
    with pytest.raises(ValueError, match="16-bit"):
        normalize.hex_id(value)


def test_partial_dates() -> None:
    assert parse_partial_date("2023-04") == PartialDate(2023, 4)
    assert str(parse_partial_date("2023-4-7")) == "2023-04-07"
    with pytest.raises(ValueError, match="not a real date"):
        parse_partial_date("2023-02-30")
    with pytest.raises(ValueError, match="expected a date"):
        parse_partial_date("April 2023")


def test_window_edges() -> None:
    start, end = PartialDate(2023, 3), PartialDate(2023, 4)
    assert within(PartialDate(2023, 3, 31), start, end) is True
    assert within(PartialDate(2023, 5, 1), start, end) is False
    assert within(PartialDate(2023, 4), PartialDate(2023, 4, 15), None) is None
    assert within(PartialDate(2016, 1, 1), PartialDate(2016, 1, 1), PartialDate(2019, 10, 30)) is True
