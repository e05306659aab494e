from __future__ import annotations

import datetime as dt

import pytest
from helpers import rule

from agent.confidence import Confidence
from agent.dates import PartialDate
from agent.matching.finding import Finding
from agent.matching.matcher import RuleIndex, evaluate
from agent.model import HandledStatus, Handling, Item, MdnsFacts, UsbFacts
from agent.rules.schema import Rule

TODAY = dt.date(2026, 11, 25)
SEED = rule(
    """
[[products]]
name = "Anker 321 Power Bank (PowerCore 5K)"
brands = ["Anker"]
models = ["A1112"]
names = ["321 Power Bank", "PowerCore 5K"]
""",
    rule_id="seed",
)


def best(item: Item, *rules: Rule) -> Finding | None:
    findings = RuleIndex(rules).match([item], TODAY)
    return findings[0] if findings else None


def level(item: Item, *rules: Rule) -> Confidence | None:
    found = best(item, *rules)
    return found.confidence if found else None


@pytest.mark.parametrize("model", ["A1112", "a-1112", "A 1112"])
def test_seed_model_is_confirmed(model: str) -> None:
    found = best(Item(id="pb", name="Power bank", brand="Anker", model=model), SEED)
    assert found is not None
    assert found.confidence is Confidence.CONFIRMED
    assert found.serious
    assert "model" in found.evidence[0]


@pytest.mark.parametrize("brand", ["Anker Innovations", "ANKER", "Anker Innovations Limited"])
def test_brand_aliases_match(brand: str) -> None:
    assert level(Item(id="pb", brand=brand, model="A1112"), SEED) is Confidence.CONFIRMED


@pytest.mark.parametrize(
    ("brand", "model", "name"),
    [
        ("Anker", "A1113", "Anker power bank"),
        ("Anker", "A11120", "Anker power bank"),
        ("Baseus", "A1112", "Baseus power bank"),
        ("Anker", "A1263", "Anker 321 Power Bank"),  # a known other model beats the product name
    ],
)
def test_decoys_are_not_matched(brand: str, model: str, name: str) -> None:
    assert best(Item(id="decoy", name=name, brand=brand, model=model), SEED) is None


def test_unknown_brand_is_only_likely_and_says_to_check_it() -> None:
    found = best(Item(id="pb", model="A1112"), SEED)
    assert found is not None and found.confidence is Confidence.LIKELY
    assert "brand on the label" in found.to_check[0]


def test_brand_and_kind_alone_hint_at_nothing() -> None:
    assert best(Item(id="pb", name="Anker power bank, black", brand="Anker"), SEED) is None
    assert best(Item(id="pb", name="Anker 321 power bank", brand="Belkin"), SEED) is None


def test_one_more_word_of_the_name_is_possible_says_what_decides_and_is_never_notified() -> None:
    slim = rule('[[products]]\nname = "Anker PowerCore Slim power bank"\nbrands = ["Anker"]\nmodels = ["A1234"]\n')
    found = best(Item(id="pb", name="Anker PowerCore power bank", brand="Anker"), slim)
    assert found is not None and found.confidence is Confidence.POSSIBLE and not found.serious
    assert "powercore" in found.evidence[0] and "the model decides" in found.evidence[0]
    assert "A1234" in found.evidence[0]
    assert best(Item(id="pb", name="Anker PowerCore power bank", brand="Anker", model="A9999"), slim) is None


def test_distinctive_name_without_model_is_likely_and_says_which_models() -> None:
    found = best(Item(id="pb", name="Anker 321 power bank, black", brand="Anker"), SEED)
    assert found is not None and found.confidence is Confidence.LIKELY
    assert found.to_check == ("the model on the label: recalled models are A1112",)


SERIAL_RULE = """
[[products]]
name = "Serial product"
brands = ["Example"]
models = ["X100"]
[products.serial]
{criteria}
"""


@pytest.mark.parametrize(
    ("criteria", "serial", "expected"),
    [
        ('prefixes = ["AD"]', "AD12345", Confidence.CONFIRMED),
        ('prefixes = ["AD"]', "ad-12345", Confidence.CONFIRMED),
        ('prefixes = ["AD"]', "AB12345", None),
        ('suffixes = ["D"]', "1234D", Confidence.CONFIRMED),
        ('suffixes = ["D"]', "1234A", None),
        ('ranges = [["35B01DO6029400", "35B01DO6033704"]]', "35B01DO6030000", Confidence.CONFIRMED),
        ('ranges = [["35B01DO6029400", "35B01DO6033704"]]', "35B01DO6033705", None),
        ('ranges = [["35B01DO6029400", "35B01DO6033704"]]', "35B01DO603000", None),
        ('exact = ["000G21", "000H21"]', "000H21", Confidence.CONFIRMED),
        ('exact = ["000G21", "000H21"]', "000J21", None),
        ("lengths = [16]", "1234567890123456", Confidence.CONFIRMED),
        ("lengths = [16]", "123456789012", None),
        ('suffixes = ["0","1","2","3","4","5","6","7","8","9","D"]\nexclude_suffixes = ["A"]', "77A", None),
        (
            'suffixes = ["0","1","2","3","4","5","6","7","8","9","D"]\nexclude_suffixes = ["A"]',
            "77D",
            Confidence.CONFIRMED,
        ),
        ('prefixes = ["AD"]', "", Confidence.LIKELY),
        ('contains = ["15914", "19203"]', "HV-01-2020-19203-0042", Confidence.CONFIRMED),
        ('contains = ["15914", "19203"]', "HV-01-2020-19204-0042", None),
        # numbered serials whose range ends differ in length are compared as numbers
        ('ranges = [["9466976", "10040916"]]', "9999999", Confidence.CONFIRMED),
        ('ranges = [["9466976", "10040916"]]', "10000001", Confidence.CONFIRMED),
        ('ranges = [["9466976", "10040916"]]', "9466975", None),
        ('ranges = [["9466976", "10040916"]]', "10040917", None),
        ('ranges = [["9466976", "10040916"]]', "09999999", None),
        ('ranges = [["9466976", "10040916"]]', "A9999999", None),
    ],
)
def test_serial_criteria(criteria: str, serial: str, expected: Confidence | None) -> None:
    the_rule = rule(SERIAL_RULE.format(criteria=criteria))
    assert level(Item(id="x", brand="Example", model="X100", serial=serial), the_rule) is expected


def test_unknown_serial_says_what_to_look_at() -> None:
    the_rule = rule(SERIAL_RULE.format(criteria='prefixes = ["AD"]'))
    found = best(Item(id="x", brand="Example", model="X100"), the_rule)
    assert found is not None
    assert found.to_check == ("the serial number on the label (affected: starting with AD)",)


WINDOW_RULE = """
[[products]]
name = "Window product"
brands = ["Example"]
models = ["X100"]
[products.{table}]
from = "2023-03"
to = "2023-04"
"""


@pytest.mark.parametrize(("table", "field"), [("manufactured", "manufactured"), ("sold", "purchased")])
@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (PartialDate(2023, 3, 1), Confidence.CONFIRMED),
        (PartialDate(2023, 4), Confidence.CONFIRMED),
        (PartialDate(2023, 5, 1), None),
        (PartialDate(2023, 2, 28), None),
        (None, Confidence.LIKELY),
    ],
)
def test_date_windows(table: str, field: str, date: PartialDate | None, expected: Confidence | None) -> None:
    the_rule = rule(WINDOW_RULE.format(table=table))
    item = Item(
        id="x",
        brand="Example",
        model="X100",
        manufactured=date if field == "manufactured" else None,
        purchased=date if field == "purchased" else None,
    )
    assert level(item, the_rule) is expected


def test_a_date_straddling_the_window_edge_stays_likely() -> None:
    the_rule = rule(WINDOW_RULE.format(table="manufactured").replace('from = "2023-03"', "from = 2023-03-15"))
    found = best(Item(id="x", brand="Example", model="X100", manufactured=PartialDate(2023, 3)), the_rule)
    assert found is not None and found.confidence is Confidence.LIKELY
    assert "overlaps the edge" in found.to_check[0]


CODE_RULE = """
[[products]]
name = "Earphones"
brands = ["Example"]
models = ["E1"]
codes = ["2019-41", "2019-42"]
no_code_included = {flag}
"""


@pytest.mark.parametrize(
    ("flag", "code", "expected"),
    [
        ("true", "2019 41", Confidence.CONFIRMED),
        ("true", "2020-01", None),
        ("true", "none", Confidence.CONFIRMED),
        ("false", "none", None),
        ("true", "", Confidence.LIKELY),
    ],
)
def test_codes(flag: str, code: str, expected: Confidence | None) -> None:
    the_rule = rule(CODE_RULE.format(flag=flag))
    assert level(Item(id="x", brand="Example", model="E1", code=code), the_rule) is expected


@pytest.mark.parametrize(
    ("color", "expected"),
    [("Black", Confidence.CONFIRMED), ("matte black", Confidence.CONFIRMED), ("white", None), ("", Confidence.LIKELY)],
)
def test_colors(color: str, expected: Confidence | None) -> None:
    the_rule = rule("""
    [[products]]
    name = "Speaker"
    brands = ["Soundcore"]
    models = ["A3102"]
    colors = ["black"]
    """)
    assert level(Item(id="x", brand="Anker", model="A3102", color=color), the_rule) is expected


def test_upc_and_retailer_ids_identify_without_a_model() -> None:
    the_rule = rule("""
    [[products]]
    name = "Power bank"
    brands = ["AmazonBasics"]
    upcs = ["841710106442"]
    retailer_ids = ["B00LRK8EVO"]
    """)
    assert level(Item(id="a", retailer_id="b00lrk8evo"), the_rule) is Confidence.CONFIRMED
    assert level(Item(id="b", upc="0841710106442"), the_rule) is Confidence.CONFIRMED
    assert level(Item(id="c", retailer_id="B00LRK8EVX"), the_rule) is None


def test_extracted_rules_never_confirm() -> None:
    the_rule = rule(
        """
    [[products]]
    name = "Power bank"
    brands = ["Anker"]
    models = ["A1112"]
    """,
        certainty="extracted",
    )
    found = best(Item(id="x", brand="Anker", model="A1112"), the_rule)
    assert found is not None and found.confidence is Confidence.LIKELY


def test_warnings_are_reported_like_recalls() -> None:
    the_rule = rule(
        """
    [[products]]
    name = "E-bike battery"
    brands = ["Rad Power Bikes"]
    models = ["RP-1304"]
    """,
        kind="warning",
    )
    found = best(Item(id="x", brand="Rad Power Bikes", model="RP1304"), the_rule)
    assert found is not None and found.rule.kind == "warning" and found.serious


USB_RULE = rule(
    """
[[products]]
name = "AnkerWork PowerConf S3"
brands = ["Anker"]
models = ["A3302"]
[[products.usb]]
vendor_id = "291a"
product = "*PowerConf S3*"
[[products.usb]]
vendor_id = "291a"
""",
    rule_id="usb",
)


def usb_item(vendor: str, product_id: str, product: str, serial: str = "") -> Item:
    return Item(
        id="u",
        source="usb",
        usb=UsbFacts(vendor_id=vendor, product_id=product_id, product=product, manufacturer="Anker", serial=serial),
    )


def test_usb_vendor_and_product_string_identify_the_speakerphone() -> None:
    found = best(usb_item("291a", "3302", "AnkerWork PowerConf S3"), USB_RULE)
    assert found is not None and found.confidence is Confidence.CONFIRMED


def test_usb_vendor_alone_is_only_possible() -> None:
    assert level(usb_item("291a", "0001", "Anker Charger"), USB_RULE) is Confidence.POSSIBLE


@pytest.mark.parametrize(
    ("vendor", "product"), [("10c4", "ea60"), ("0403", "6001"), ("1a86", "7523"), ("067b", "2303")]
)
def test_bridge_chips_are_never_more_than_possible(vendor: str, product: str) -> None:
    the_rule = rule(f"""
    [[products]]
    name = "Gadget with a bridge chip"
    brands = ["Example"]
    models = ["G1"]
    [[products.usb]]
    vendor_id = "{vendor}"
    product_id = "{product}"
    """)
    assert level(usb_item(vendor, product, "USB Serial"), the_rule) is Confidence.POSSIBLE


def test_descriptor_serial_is_not_the_label_serial_unless_the_rule_says_so() -> None:
    products = """
    [[products]]
    name = "Dock"
    brands = ["Example"]
    [products.serial]
    prefixes = ["AD"]
    [[products.usb]]
    vendor_id = "1234"
    product_id = "5678"
    serial_is_label = {flag}
    """
    item = usb_item("1234", "5678", "Dock", serial="AD0001")
    assert level(item, rule(products.format(flag="false"))) is Confidence.LIKELY
    assert level(item, rule(products.format(flag="true"))) is Confidence.CONFIRMED


def test_mdns_model_fact_identifies_a_heater() -> None:
    the_rule = rule("""
    [[products]]
    name = "Smart heater"
    brands = ["Govee"]
    models = ["H7131"]
    [[products.mdns]]
    model = "H7131*"
    """)
    facts = MdnsFacts(instance="Living room heater", services=("_hap._tcp.local.",), model="H7131")
    assert level(Item(id="h", source="mdns", mdns=facts), the_rule) is Confidence.LIKELY  # brand unknown
    facts = MdnsFacts(instance="Heater", manufacturer="Govee", model="H7131")
    assert level(Item(id="h", source="mdns", mdns=facts), the_rule) is Confidence.CONFIRMED


def test_handled_findings_stop_counting_until_the_ignore_date_passes() -> None:
    disposed = Handling(rule="seed", status=HandledStatus.DISPOSED, date=dt.date(2024, 7, 1))
    found = best(Item(id="pb", brand="Anker", model="A1112", handled=(disposed,)), SEED)
    assert found is not None and found.handled == disposed and not found.serious
    lapsed = Handling(rule="seed", status=HandledStatus.IGNORED, until=dt.date(2026, 1, 1))
    found = best(Item(id="pb", brand="Anker", model="A1112", handled=(lapsed,)), SEED)
    assert found is not None and found.handled is None and found.serious


def test_index_finds_exactly_what_brute_force_finds() -> None:
    rules = [
        SEED,
        USB_RULE,
        rule(SERIAL_RULE.format(criteria='prefixes = ["AD"]'), rule_id="serial"),
        rule(
            """
             [[products]]
             name = "Galaxy Note7"
             brands = ["Samsung"]
             models = ["SM-N930*"]
             names = ["Galaxy Note7"]
             """,
            rule_id="note7",
        ),
    ]
    items = [
        Item(id="a", brand="Anker", model="A1112"),
        Item(id="b", name="Anker 321 Power Bank"),
        Item(id="c", brand="Samsung", model="SM-N930F"),
        Item(id="d", brand="Samsung", name="Galaxy Note7"),
        Item(id="e", brand="Samsung", model="SM-N93"),
        Item(id="f", brand="Example", model="X100"),
        usb_item("291a", "3302", "AnkerWork PowerConf S3"),
        Item(id="g", name="kettle"),
    ]
    indexed = {(f.item.id, f.rule.id, f.confidence) for f in RuleIndex(rules).match(items, TODAY)}
    brute = set()
    for item in items:
        for r in rules:
            levels = [f.confidence for p in r.products if (f := evaluate(item, r, p))]
            if levels:
                brute.add((item.id, r.id, max(levels)))
    assert indexed == brute
    assert ("c", "note7", Confidence.CONFIRMED) in indexed
    assert not any(i == "e" for i, _, _ in indexed)


def test_a_serial_checker_keeps_the_finding_likely_and_names_it() -> None:
    the_rule = rule("""
    [[products]]
    name = "Power bank"
    brands = ["Anker"]
    models = ["A1257"]
    serial_lookup = "https://example.org/check"
    """)
    found = best(Item(id="x", brand="Anker", model="A1257", serial="AZ12"), the_rule)
    assert found is not None and found.confidence is Confidence.LIKELY
    assert found.to_check == ("whether serial AZ12 is affected: only some are; enter it at https://example.org/check",)
