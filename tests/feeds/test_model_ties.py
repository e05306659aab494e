"""Criteria a notice states for some of its models narrow only those models (agent/feeds/ties.py).

Real records from tests/feeds/labelled/cpsc-2023-2026/records.json are converted as `rules import cpsc`
converts them, loaded by the rule loader and matched: a unit of each listed model whose serial or date is
inside its own model's stated range is affected, and one outside its own range is not.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from agent.confidence import Confidence
from agent.dates import parse_partial_date
from agent.feeds import cpsc, criteria, ties
from agent.fields import Problems
from agent.matching.matcher import RuleIndex
from agent.model import Item
from agent.rules.parse import rule_from_table
from feeds.feedkit import LABELLED


@functools.lru_cache(maxsize=1)
def _records() -> dict[str, dict[str, Any]]:
    data = json.loads((LABELLED / "cpsc-2023-2026" / "records.json").read_text(encoding="utf-8"))
    return {str(r["RecallNumber"]): r for r in data}


def _index(number: str) -> RuleIndex:
    problems = Problems("records.json")
    rule = rule_from_table(cpsc.rule_from_record(_records()[number]), "records.json", problems, "feed")
    assert rule is not None and not problems, [str(p) for p in problems.items]
    return RuleIndex([rule])


def _outcome(
    number: str, brand: str, model: str, serial: str = "", made: str = "", *, upc: str = "", code: str = ""
) -> str:
    item = Item(
        id="i1",
        name="unit",
        brand=brand,
        model=model,
        serial=serial,
        upc=upc,
        code=code,
        manufactured=parse_partial_date(made) if made else None,
    )
    found = [f for f in _index(number).item_findings(item) if f.confidence >= Confidence.LIKELY]
    return found[0].confidence.label if found else "not affected"


AFFECTED = [
    # Belkin 26090: 57X for the MMA008 stand, 35S for the BPB002 bank, every serial of the PB0003 bank.
    ("26090", "Belkin", "MMA008", "57X12345678901", ""),
    ("26090", "Belkin", "BPB002", "35S12345678901", ""),
    ("26090", "Belkin", "PB0003", "35S12345678901", ""),
    ("26090", "Belkin", "PB0003", "99Z12345678901", ""),
    # Positec 25371: the Worx saws by serial prefix, the Hyper Tough saw by production date.
    ("25371", "Worx", "WG305", "2024101234567", ""),
    ("25371", "Worx", "WG309", "2025011234567", ""),
    ("25371", "Hyper Tough", "HT21-401-002-01", "2023011234567", "2024-11-02"),
    # Frigidaire/Kenmore 24235: each brand's models have their own serial range.
    ("24235", "Frigidaire", "PLEF398AC", "VF50012345", ""),
    ("24235", "Frigidaire", "FEFBZ90GC", "VF12300000", ""),
    # ECHO 24329: one serial range per model.
    ("24329", "ECHO", "PB-5810H", "P61312001500", ""),
    ("24329", "ECHO", "PB-5810T", "P61212003000", ""),
    # True 24219: first and last serial per model, numbered serials that grow from 7 to 8 digits.
    ("24219", "True", "GDM-45", "9999999", ""),
    ("24219", "True", "GDM-45", "10000500", ""),
    ("24219", "True", "GDM-49FC", "9343416", ""),
    # NTI 25326: each TRX model's own range, the part number run into the model in the table.
    ("25326", "NTI", "TRX199", "242800000000", ""),
    # Yamaha 26028: a "Prefix Min Max" table run together, no model named.
    ("26028", "Yamaha", "", "J2D0000900", ""),
    ("26028", "Yamaha", "", "J0D0700150", ""),
]
NOT_AFFECTED = [
    ("26090", "Belkin", "MMA008", "35S12345678901", ""),  # 35S is the BPB002's
    ("26090", "Belkin", "BPB002", "57X12345678901", ""),
    ("25371", "Worx", "WG305", "2023011234567", ""),
    ("25371", "Hyper Tough", "HT21-401-002-01", "2024101234567", "2024-05-02"),
    ("24235", "Frigidaire", "PLEF398AC", "VF95012345", ""),
    ("24329", "ECHO", "PB-5810H", "P61212003000", ""),  # the PB-5810T's range
    ("24219", "True", "GDM-45", "9344196", ""),
    ("24219", "True", "GDM-49FC", "9994431", ""),
    ("25326", "NTI", "TRX150", "242750000127", ""),  # the TRX199C's first serial
    ("26028", "Yamaha", "", "J2D0000950", ""),
]


@pytest.mark.parametrize(
    ("model", "code", "expected"),
    [("M11288ATLB", "WC0234712405", "likely"), ("M11288ATLB", "WC0229042401", "not affected")],
)
def test_batch_codes_of_a_table_row_belong_to_its_sku(model: str, code: str, expected: str) -> None:
    # Babyletto 25392: WC0229042401 is printed on other colours' chairs, not on the M11288ATLB.
    found = _outcome("25392", "Babyletto", model, code=code)
    assert found == expected or (expected == "likely" and found == "confirmed")


@pytest.mark.parametrize(("number", "brand", "model", "serial", "made"), AFFECTED)
def test_a_unit_inside_its_own_models_range_is_affected(
    number: str, brand: str, model: str, serial: str, made: str
) -> None:
    assert _outcome(number, brand, model, serial, made) in ("confirmed", "likely")


@pytest.mark.parametrize(("number", "brand", "model", "serial", "made"), NOT_AFFECTED)
def test_a_unit_outside_its_own_models_range_is_not_affected(
    number: str, brand: str, model: str, serial: str, made: str
) -> None:
    assert _outcome(number, brand, model, serial, made) == "not affected"


def test_the_portland_saw_whose_serials_cannot_be_read_is_never_cleared() -> None:
    # "Between 37567 2442 and 37567 2451" is not read; the Worx range must not clear the Portland saw.
    assert _outcome("25371", "Portland", "", "375672445", upc="193175451774") == "likely"
    assert _outcome("25371", "Portland", "", "999999999", upc="193175451774") == "likely"


def test_belkin_gives_one_product_per_model_with_its_own_serial_criterion() -> None:
    products = cpsc.rule_from_record(_records()["26090"])["products"]
    assert [(p["models"], p.get("serial")) for p in products] == [
        (["MMA008"], {"prefixes": ["57X"]}),
        (["BPB002"], {"prefixes": ["35S"]}),
        (["PB0003"], None),
    ]
    assert [bool(p.get("units")) for p in products] == [True, False, False]  # the count is not repeated


def test_values_before_the_first_model_tie_to_no_model() -> None:
    text = "Serial numbers AA1000 to AA2000 are in model XY100, and AA3000 to AA4000 in model XY200."
    assert [(models, stated.get("serial")) for models, stated in ties.groups(text, ["XY100", "XY200"])] == [
        (["XY100", "XY200"], None)
    ]


def test_a_criterion_for_every_model_stays_one_product() -> None:
    text = "This recall involves models XY100 and XY200. Serial numbers AA1000 through AA2000 are included."
    assert ties.groups(text, ["XY100", "XY200"]) == [
        (["XY100", "XY200"], {"serial": {"ranges": [["AA1000", "AA2000"]]}})
    ]


def test_a_range_that_begins_with_another_models_code_is_that_models() -> None:
    text = "Model Serial Number Range TM694, TM694B TM694B1605C00008 - TM694B2009K03263."
    groups = ties.groups(text, ["TM694", "TM694B"])
    assert groups == [(["TM694"], {}), (["TM694B"], {"serial": {"ranges": [["TM694B1605C00008", "TM694B2009K03263"]]}})]


def test_no_labelled_record_gives_a_model_to_two_products() -> None:
    for number, record in _records().items():
        products = cpsc.products_from_record(record)
        models = [m for p in products for m in p.get("models", ())]
        assert len(models) == len(set(models)), number


def test_spaced_range_ends_are_not_read_as_a_list_of_exact_serials() -> None:
    # Petzl 26347: read as the exact serials "17L", "0000000" and "000", every real axe was cleared.
    assert criteria.serial("(model U021AA00, serial numbers 17L 0000000 000 to 20F 9999999 999)") == {}
