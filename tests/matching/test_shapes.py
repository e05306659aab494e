"""How typed items meet the shipped rules: identifiers in any field, names, brand tolerance, one finding per recall."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import rule

from agent.confidence import Confidence
from agent.matching.finding import Finding
from agent.matching.matcher import RuleIndex
from agent.model import Item, UsbFacts
from agent.record import replace
from agent.rules.load import load_rules

TODAY = dt.date(2026, 11, 25)
SHIPPED = load_rules([(Path(__file__).resolve().parents[2] / "rules", "shipped")])
INDEX = RuleIndex(SHIPPED.rules)


def findings(**fields: str) -> list[Finding]:
    item = Item(id="x", **fields)  # type: ignore[arg-type]  # only the text fields are passed
    return INDEX.match([item], TODAY)


def top(**fields: str) -> tuple[str, Confidence] | None:
    found = findings(**fields)
    return (found[0].rule.id, found[0].confidence) if found else None


def test_shipped_rules_load_without_problems() -> None:
    assert not SHIPPED.problems


@pytest.mark.parametrize(
    ("fields", "rule_id", "model"),
    [
        ({"name": "Anker 321 Power Bank", "brand": "Anker"}, "anker-2024-321-power-bank", "A1112"),
        ({"name": "Galaxy Note7", "brand": "Samsung"}, "samsung-2016-galaxy-note7", "SM-N930"),
        ({"name": "Fitbit Ionic", "brand": "Fitbit"}, "fitbit-2022-ionic-smartwatch", "FB503"),
        ({"name": "Samsung Galaxy Note 7 phone"}, "samsung-2016-galaxy-note7", "SM-N930"),
        ({"name": "anker 321 powerbank"}, "anker-2024-321-power-bank", "A1112"),
        ({"name": "Ionic smartwatch", "brand": "Fitbit"}, "fitbit-2022-ionic-smartwatch", "FB503"),
    ],
)
def test_distinctive_names_without_model_notify_and_say_which_model(
    fields: dict[str, str], rule_id: str, model: str
) -> None:
    found = findings(**fields)
    assert found and found[0].rule.id == rule_id
    assert found[0].confidence is Confidence.LIKELY and found[0].serious
    assert any(model in line for line in found[0].to_check)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"name": "anker a1112"}, "name"),
        ({"name": "Anker A1112 power bank (blue one)"}, "name"),
        ({"name": "Power bank", "brand": "Anker", "upc": "A1112"}, "UPC field"),
        ({"name": "Power bank A 1112", "brand": "Anker"}, "name"),
    ],
)
def test_a_model_found_in_another_field_counts_and_says_where(fields: dict[str, str], where: str) -> None:
    found = findings(**fields)
    assert found and found[0].rule.id == "anker-2024-321-power-bank" and found[0].serious
    assert where in found[0].evidence[0]


def test_an_amazon_product_id_typed_into_the_model_field_counts() -> None:
    assert top(name="AmazonBasics portable charger", model="B00LRK8EVO") == (
        "amazon-2018-amazonbasics-power-banks",
        Confidence.CONFIRMED,
    )


@pytest.mark.parametrize(
    ("brand", "model", "rule_id"),
    [
        ("Ankr", "A1112", "anker-2024-321-power-bank"),
        ("Anekr", "A1112", "anker-2024-321-power-bank"),
        ("Google", "FB503", "fitbit-2022-ionic-smartwatch"),
        ("Goveee", "H7131", "govee-2024-smart-space-heaters"),
    ],
)
def test_brand_typos_and_parents_are_likely_and_say_check_the_brand(brand: str, model: str, rule_id: str) -> None:
    found = findings(name="thing", brand=brand, model=model)
    assert found and found[0].rule.id == rule_id and found[0].confidence is Confidence.LIKELY
    assert found[0].to_check[0].startswith("the brand on the label")


@pytest.mark.parametrize(
    ("brand", "model"),
    [("Soundcore", "A3102"), ("GoveeLife", "H7130"), ("Google Fitbit", "FB503"), ("Anker Innovations Ltd.", "A1366")],
)
def test_sub_brands_and_legal_names_are_the_brand(brand: str, model: str) -> None:
    found = findings(brand=brand, model=model)
    assert found and found[0].serious
    assert not any(line.startswith("the brand") for line in found[0].to_check)


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "Power bank", "brand": "Baseus", "model": "A1112"},  # same code under another real brand
        {"name": "Power bank", "brand": "Anker", "model": "A1113"},  # one character off
        {"name": "Power bank", "brand": "Anker", "model": "A11120"},  # one extra digit
        {"name": "Anker 737 Power Bank", "brand": "Anker", "model": "A1289"},  # another model of the brand
        {"name": "Anker 321 Power Bank", "brand": "Anker", "model": "A1263B"},  # a known model beats the name
        {"name": "Anker 321 USB-C charger", "brand": "Anker"},  # the same number on another kind of thing
        {"name": "Galaxy Note 8", "brand": "Samsung", "model": "SM-N950U"},
        {"name": "Galaxy S7", "brand": "Samsung"},
        {"name": "Fitbit Charge 5", "brand": "Fitbit", "model": "FB421"},
        {"name": "ionic hair dryer"},
        {"name": "Conair Ionic hair dryer", "brand": "Conair"},
        {"name": "Govee LED strip lights", "brand": "Govee", "model": "H6159"},
        {"name": "CP2102 USB serial adapter"},
    ],
)
def test_decoys_stay_quiet(fields: dict[str, str]) -> None:
    assert not [f for f in findings(**fields) if f.serious]


def test_generic_words_alone_give_nothing_and_one_more_word_only_a_possible_hint() -> None:
    assert findings(name="Anker power bank", brand="Anker") == []  # every Anker power bank would be listed
    found = findings(name="Baseus magnetic power bank", brand="Baseus")
    assert found and all(f.confidence is Confidence.POSSIBLE for f in found)
    assert all("magnetic" in f.evidence[0] and "the model decides" in f.evidence[0] for f in found)


FEED_COPY = """
[[products]]
name = "Govee smart electric space heaters"
brands = ["Govee"]
models = ["H7130", "H7131"]
"""


def test_one_recall_gives_one_finding_and_the_shipped_rule_wins() -> None:
    feed = rule(FEED_COPY, rule_id="cpsc-25036", certainty="extracted")
    feed = replace(feed, issuer="U.S. Consumer Product Safety Commission", reference="25036", origin="feed")
    index = RuleIndex((*SHIPPED.rules, feed))
    found = index.match([Item(id="h", name="heater", brand="Govee", model="H7131")], TODAY)
    assert [f.rule.id for f in found] == ["govee-2024-smart-space-heaters"]
    assert [r.id for r in index.superseded] == ["cpsc-25036"]


BRIDGE = """
[[products]]
name = "Home Assistant SkyConnect"
brands = ["Nabu Casa"]
[[products.usb]]
vendor_id = "10c4"
product_id = "ea60"
{extra}
"""


@pytest.mark.parametrize(
    ("extra", "product", "expected"),
    [
        ("", "CP2102 USB to UART Bridge Controller", Confidence.POSSIBLE),
        ('product = "*SkyConnect*"', "SkyConnect v1.0", Confidence.CONFIRMED),
        ('product = "*SkyConnect*"', "CP2102 USB to UART Bridge Controller", None),
    ],
)
def test_generic_bridge_chips_are_data_and_a_rules_own_glob_beats_them(
    extra: str, product: str, expected: Confidence | None
) -> None:
    the_rule = rule(BRIDGE.format(extra=extra))
    usb = UsbFacts(vendor_id="10c4", product_id="ea60", product=product)
    found = RuleIndex([the_rule]).match([Item(id="u", usb=usb)], TODAY)
    assert (found[0].confidence if found else None) is expected


NO_MODELS = """
[[products]]
name = "Jobsite Pro wireless earphones"
brands = ["DEWALT"]
names = ["Jobsite Pro wireless earphones"]
codes = ["D4 1910", "D4 2003"]
no_code_included = true
"""


@pytest.mark.parametrize(
    ("fields", "expected", "says"),
    [
        ({"name": "earphones", "brand": "DeWalt", "code": "D4 2003"}, Confidence.CONFIRMED, "code D4 2003 is listed"),
        ({"name": "DeWalt Jobsite Pro earphones", "brand": "DeWalt"}, Confidence.LIKELY, "batch or date code"),
        ({"name": "earphones", "brand": "DeWalt", "code": "D4 2204"}, None, ""),
        ({"name": "earphones", "brand": "DeWalt"}, None, ""),  # brand and kind alone hint at nothing
        ({"name": "headphones", "brand": "DeWalt"}, None, ""),
        ({"name": "wireless earphones", "brand": "DeWalt"}, Confidence.POSSIBLE, "the label decides"),
        ({"name": "drill", "brand": "DeWalt"}, None, ""),  # a brand alone says nothing
        ({"name": "earphones", "brand": "Sony", "code": "D4 2003"}, None, ""),
    ],
)
def test_rules_without_models_use_brand_and_criterion(
    fields: dict[str, str], expected: Confidence | None, says: str
) -> None:
    found = RuleIndex([rule(NO_MODELS)]).match([Item(id="e", **fields)], TODAY)  # type: ignore[arg-type]
    assert (found[0].confidence if found else None) is expected
    if found:
        assert says in " ".join(found[0].evidence + found[0].to_check)


def test_no_finding_contradicts_itself() -> None:
    """A possible finding never says a criterion is met; a likely one never lists as unknown what it knows."""
    items = [
        Item(id="a", name="Anker power bank", brand="Anker", serial="AD1234567890123456"),
        Item(id="b", name="Belkin charger", brand="Belkin", serial="35B01DO6030000"),
        Item(id="c", name="DeWalt earphones", brand="DeWalt", code="D4 2003"),
    ]
    for finding in INDEX.match(items, TODAY):
        if finding.confidence is Confidence.POSSIBLE:
            assert not finding.to_check and len(finding.evidence) == 1
            assert "affected" not in finding.evidence[0] and "listed" not in finding.evidence[0]
        for line in finding.to_check:
            assert line not in finding.evidence
