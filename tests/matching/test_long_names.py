"""Notice names are long and items name one unit of them: most of the name, a line beside the brand, what an
accessory serves, the kind a name ends with, words that mean the same, and a whole description."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import rule

from agent.confidence import Confidence
from agent.matching.finding import Finding
from agent.matching.matcher import RuleIndex
from agent.model import Item
from agent.rules.load import load_rules

TODAY = dt.date(2026, 11, 25)
NOTICES = {
    "stove": ("Ozark Trail Tabletop 1-Burner Butane Camping Stoves", ["Ozark Trail"], ["BG2247A1"]),
    "cargo": ("Urban Arrow FamilyNext Pro Cargo E-Bikes", ["Urban Arrow"], []),
    "lights": ("Knog Blinder 900 and Blinder 1300 Front Bicycle Lights", ["Knog", "Blinder"], []),
    "battery": ("Lithium-ion battery sold for Pixy Flying Cameras", ["Snap"], []),
    "bulbs": ("DECEMBER HOME Replacement Light Bulbs", ["December Home"], []),
    "banks": ("Charmast power banks", ["Charmast"], ["W1056"]),
}


def feed_rule(key: str) -> str:
    name, brands, models = NOTICES[key]
    quoted = ", ".join(f'"{b}"' for b in brands)
    listed = ", ".join(f'"{m}"' for m in models)
    return f'[[products]]\nname = "{name}"\nbrands = [{quoted}]\nmodels = [{listed}]\n'


INDEX = RuleIndex([rule(feed_rule(k), f"feed-{k}", certainty="extracted") for k in NOTICES])
SHIPPED = RuleIndex(load_rules([(Path(__file__).resolve().parents[2] / "rules", "shipped")]).rules)


def serious(index: RuleIndex, name: str, brand: str) -> list[Finding]:
    return [f for f in index.match([Item(id="i", name=name, brand=brand)], TODAY) if f.serious]


@pytest.mark.parametrize(
    ("name", "brand", "rule_id"),
    [
        ("Ozark Trail tabletop butane camping stove", "Ozark Trail", "feed-stove"),  # most of the name
        ("Urban Arrow FamilyNext Pro", "Urban Arrow", "feed-cargo"),
        ("Knog Blinder 1300", "Knog", "feed-lights"),  # a line the notice names beside the brand
        ("Snap Pixy flying camera battery", "Snap", "feed-battery"),  # what the accessory serves
        ("December Home candelabra bulbs", "December Home", "feed-bulbs"),  # the kind the name ends with
        ("Charmast portable charger", "Charmast", "feed-banks"),  # two words for a power bank
    ],
)
def test_an_item_naming_one_unit_of_a_long_notice_name_is_likely(name: str, brand: str, rule_id: str) -> None:
    found = serious(INDEX, name, brand)
    assert [f.rule.id for f in found] == [rule_id]
    assert found[0].confidence is Confidence.LIKELY


def test_most_of_a_name_still_says_which_model_to_check() -> None:
    found = serious(INDEX, "Ozark Trail tabletop butane camping stove", "Ozark Trail")
    assert any("BG2247A1" in line for line in found[0].to_check)


@pytest.mark.parametrize(
    ("name", "brand"),
    [
        ("Ozark Trail 2-burner butane camping stove", "Ozark Trail"),  # a number the notice never uses
        ("Ozark Trail camping chair", "Ozark Trail"),  # another kind of thing
        ("Ozark Trail stove", "Ozark Trail"),  # brand and kind only
        ("Coleman tabletop butane camping stove", "Coleman"),  # another brand
        ("Urban Arrow FamilyNext cargo bike", "Urban Arrow"),  # the notice's version word "pro" is missing
        ("Knog Blinder Mini", "Knog"),  # another version of the line
        ("Knog Blinder 600", "Knog"),
        ("Knog Blinder", "Knog"),  # the line without the notice's series number
        ("December Home string lights", "December Home"),  # the notice's kind is bulbs
        ("December Home bulb speaker", "December Home"),  # a kind the notice's name does not hold
        ("Charmast wall charger", "Charmast"),  # a charger is no power bank
        ("Snap Spectacles", "Snap"),
    ],
)
def test_other_versions_kinds_and_brands_stay_quiet(name: str, brand: str) -> None:
    assert serious(INDEX, name, brand) == []


def test_a_whole_description_names_a_curated_rules_product() -> None:
    found = serious(SHIPPED, "GoveeLife smart electric space heater", "GoveeLife")
    assert [f.rule.id for f in found] == ["govee-2024-smart-space-heaters"]
    assert any("H7130" in line for line in found[0].to_check)
    assert serious(SHIPPED, "Govee space heater", "Govee") == []  # brand and kind only


LINES = RuleIndex(
    [
        rule(
            '[[products]]\nname = "Dupray Neat Steam Cleaners"\nbrands = ["Neat", "Dupray"]\nmodels = ["DUP020WNA"]\n',
            "neat",
            "recall",
            "extracted",
        ),
        rule('[[products]]\nname = "Boyro Baby Walkers"\nbrands = ["Boyro"]\nmodels = ["US-B01"]\n', "walkers"),
        rule(
            '[[products]]\nname = "Model Year 2024 Arctic Cat Catalyst 600 Series Snowmobiles"\nbrands = ["Arctic"]\nmodels = []\n',
            "sleds",
            "recall",
            "extracted",
        ),
    ]
)


@pytest.mark.parametrize(
    ("name", "brand", "model", "rule_id"),
    [
        ("Boyro baby walker", "Boyro Baby", "US-B01", "walkers"),  # the item's brand begins with the notice's
        ("Arctic Cat Catalyst 600 Riot", "Arctic Cat", "", "sleds"),
    ],
)
def test_a_brand_that_begins_with_the_notices_brand_is_likely_and_says_check_it(
    name: str, brand: str, model: str, rule_id: str
) -> None:
    found = [f for f in LINES.match([Item(id="i", name=name, brand=brand, model=model)], TODAY) if f.serious]
    assert [f.rule.id for f in found] == [rule_id]
    assert found[0].confidence is Confidence.LIKELY
    assert any("brand on the label" in line and brand in line for line in found[0].to_check)


@pytest.mark.parametrize(
    ("name", "brand", "model"),
    [
        ("Dupray Hill Injection steam cleaner", "Dupray", ""),  # the notice names Dupray's Neat line
        ("Boyro baby walker", "Boyd", "US-B01"),  # another brand: the same model code is no match
        ("Arctic Cat Catalyst 600 Riot", "Arcticat", ""),
        ("Boyro baby walker", "Baby Boyro", "US-B01"),
    ],
)
def test_other_lines_and_brands_stay_quiet(name: str, brand: str, model: str) -> None:
    assert not [f for f in LINES.match([Item(id="i", name=name, brand=brand, model=model)], TODAY) if f.serious]


MORE = RuleIndex(
    [
        rule(
            '[[products]]\nname = "PIEPS Pro IPS Avalanche Transceivers"\nbrands = ["PIEPS"]\nmodels = []\n',
            "beacons",
            "recall",
            "extracted",
        ),
        rule(
            '[[products]]\nname = "Polaris Sportsman 850, XP 1000, and XP 1000 S ATVs"\nbrands = ["Polaris", "Sportsman"]\n'
            'models = ["2208595"]\n',
            "atvs",
            "recall",
            "extracted",
        ),
        rule(
            '[[products]]\nname = "GASGAS and Husqvarna Off-Road Motorcycles"\nbrands = ["GASGAS", "Husqvarna"]\n'
            'models = ["450", "TE300I"]\n',
            "motorcycles",
            "recall",
            "extracted",
        ),
    ]
)


@pytest.mark.parametrize(
    ("name", "brand", "model", "rule_id"),
    [
        ("PIEPS Pro IPS avalanche beacon", "PIEPS", "", "beacons"),
        ("Polaris Sportsman XP 1000", "Polaris", "", "atvs"),
        ("Husqvarna 450 dirt bike", "Husqvarna", "450", "motorcycles"),
        ("Husqvarna TE 300i", "Husqvarna", "TE 300i", "motorcycles"),
    ],
)
def test_short_codes_lines_and_numbers_that_fit_match(name: str, brand: str, model: str, rule_id: str) -> None:
    found = [f for f in MORE.match([Item(id="i", name=name, brand=brand, model=model)], TODAY) if f.serious]
    assert [f.rule.id for f in found] == [rule_id]


@pytest.mark.parametrize(
    ("name", "brand", "model"),
    [
        ("PIEPS DSP Pro avalanche transceiver", "PIEPS", ""),  # a short code the notice never uses
        ("Polaris Ranger XP 1000 NorthStar Crew", "Polaris", ""),  # not the Sportsman line the notice names
        ("Husqvarna 450 chainsaw", "Husqvarna", "450"),  # a bare number of another kind of thing
        ("Husqvarna FC 450 motocross", "Husqvarna", "FC 450"),  # "450" is part of the model FC 450
        ("Husqvarna FC 450 motocross", "Husqvarna", ""),
    ],
)
def test_other_codes_lines_and_numbers_stay_quiet(name: str, brand: str, model: str) -> None:
    assert not [f for f in MORE.match([Item(id="i", name=name, brand=brand, model=model)], TODAY) if f.serious]


VEHICLES = RuleIndex(
    [
        rule(f'[[products]]\nname = "{name}"\nbrands = [{brands}]\nmodels = []\n', rid, "recall", "extracted")
        for rid, name, brands in (
            ("sleds", "Arctic Cat 8000 and 9000 Series Snowmobiles", '"Arctic Cat"'),
            ("golf", "Model Year 2017-2024 Yamaha Golf Car Vehicles", '"Yamaha", "Yamaha Golf Car"'),
            ("helmets", "Gasaciods Children's Multi-Purpose Helmets", '"GASACIODS"'),
            ("rovs", "CFMOTO ZFORCE 950 HO Sport Side-by-Side ROVs", '"CFMOTO", "ZFORCE"'),
            ("rings", "LED Light-up Jelly Ring Toys", '"NiToy"'),
        )
    ]
)


@pytest.mark.parametrize(
    ("name", "brand", "rule_id"),
    [
        ("Arctic Cat 8000 series snowmobile 2019", "Arctic Cat", "sleds"),  # a year is no version
        ("Yamaha DR2A PTV", "Yamaha", "golf"),  # a kind the notice may use for a golf car vehicle
        ("Yamaha Drive2 golf car", "Yamaha", "golf"),
        ("Gasaciods kids helmet pink", "Gasaciods", "helmets"),  # "multi-purpose" describes
        ("CFMOTO ZFORCE 950 HO Sport", "CFMOTO", "rovs"),
        ("NiToy LED jelly rings 30 pack", "NiToy", "rings"),  # a count is no version
    ],
)
def test_vehicles_years_and_describing_words(name: str, brand: str, rule_id: str) -> None:
    found = [f for f in VEHICLES.match([Item(id="i", name=name, brand=brand)], TODAY) if f.serious]
    assert [f.rule.id for f in found] == [rule_id]


@pytest.mark.parametrize(
    ("name", "brand"),
    [
        ("Arctic Cat 6000 series snowmobile", "Arctic Cat"),
        ("Yamaha outboard motor", "Yamaha"),
        ("Yamaha golf bag", "Yamaha"),
        ("CFMOTO ZFORCE 800 Trail", "CFMOTO"),
        ("Gasaciods kids bike", "Gasaciods"),
        ("NiToy LED jelly rings 300", "NiToy"),  # a number that counts nothing
    ],
)
def test_other_vehicles_stay_quiet(name: str, brand: str) -> None:
    assert not [f for f in VEHICLES.match([Item(id="i", name=name, brand=brand)], TODAY) if f.serious]


DIGITS = RuleIndex(
    [
        rule(
            '[[products]]\nname = "Kenmore Electric Ranges"\nbrands = ["Kenmore"]\nmodels = ["790.990131*"]\n',
            "ranges",
            "recall",
            "extracted",
        ),
        rule(
            '[[products]]\nname = "Battery-Powered Chainsaws"\nbrands = ["DR", "DR Power Equipment"]\n'
            'models = ["414170"]\n',
            "saws",
            "recall",
            "extracted",
        ),
    ]
)


@pytest.mark.parametrize(
    ("name", "brand", "model", "rule_id"),
    [
        ("Kenmore Elite electric range", "Kenmore", "790.99013100", "ranges"),  # digits with dots are a model
        ("DR Power battery chainsaw 62V", "DR Power", "414170", "saws"),  # the first words of the notice's brand
    ],
)
def test_models_of_digits_and_brands_the_notices_begins_with(name: str, brand: str, model: str, rule_id: str) -> None:
    found = [f for f in DIGITS.match([Item(id="i", name=name, brand=brand, model=model)], TODAY) if f.serious]
    assert [f.rule.id for f in found] == [rule_id]


@pytest.mark.parametrize(
    ("name", "brand", "model"),
    [
        ("Kenmore electric range", "Kenmore", "790.99014100"),
        ("Kenmore", "Kenmore", "79099013100"),  # bare digits are read as a UPC, not as this model
        ("chainsaw", "DR Horton", "414170"),
    ],
)
def test_other_digits_and_brands_stay_quiet(name: str, brand: str, model: str) -> None:
    assert not [f for f in DIGITS.match([Item(id="i", name=name, brand=brand, model=model)], TODAY) if f.serious]
