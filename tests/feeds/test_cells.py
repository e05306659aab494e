"""Table cells of the cpsc.gov export run together, cut apart by what a column's codes share (real text)."""

from __future__ import annotations

import pytest

from agent.feeds.cells import unglue
from agent.feeds.extract import model_numbers

MIDEA = (
    "The following brands and model numbers are included in this recall:Midea Model NumbersFrigidaire Model "
    "NumbersMAW08AV1QWTGHWQ085WD1MAW08AV1QWT-CGHWQ105WD1MAW08U1QWTGHWQ125WD1MAW08V1QWTInsignia Model "
    "NumbersMAW08V1QWT-SNS-AC8WU3MAW08V1QWT-TNS-AC8WU3-CMAW08W1QWTKeystone Model NumbersMAW10U1QWTKSTAW08UA"
    "MAW10V1QWTKSTAW10UAMAW10W1QWTKSTAW12UA"
)
COLUMNS = (
    "Comfort Aire Model Numbers1PACU10000RXTS-101A1PACU12000RXTS-121A1PACU8000RXTS-81ASea Breeze Model "
    "NumbersDanby Model NumbersMWAUQB-12CRFN8-BCN10DAC080B6IWDB-6WAU310YREXDAC080B7IWDB-6WAU312YREX"
    "DAC100B6IWDB-6WAU38YREX"
)
BATCHES = (
    "ColorSKUBatch Number Located Under the FootrestAlmond Teddy Loop with Light Wood BaseM11288ATLBWC0234712405"
    "WC0238412406WC0238412407WC0241142406Latte Teddy Loop with Dark Wood BaseM11288LTDBWC0229042401WC0229052405"
    "WC0234712405Olive Boucle with Light Wood BaseM11288OBLBWC0220062307WC0220082308WC0229042401"
)


def test_a_family_of_codes_is_cut_where_its_codes_end() -> None:
    models = model_numbers(MIDEA)
    assert {"MAW08AV1QWT", "MAW08AV1QWT-C", "GHWQ105WD1", "MAW08V1QWT-S", "NS-AC8WU3", "NS-AC8WU3-C"} <= set(models)
    assert {"MAW10U1QWT", "KSTAW08UA", "MAW10W1QWT", "KSTAW12UA", "MAW08W1QWT"} <= set(models)
    assert not [m for m in models if len(m) > 13], models


def test_cells_that_start_with_the_same_head_are_cut_before_it() -> None:
    models = model_numbers(COLUMNS)
    assert {"1PACU10000", "RXTS-101A", "1PACU8000", "RXTS-81A", "WAU310YREX", "DAC080B7IWDB-6"} <= set(models)
    assert "MWAUQB-12CRFN8-BCN10" in models and "IWDB-6" not in models


def test_a_batch_column_run_into_the_sku_column_leaves_the_skus() -> None:
    assert model_numbers(BATCHES) == ["M11288ATLB", "M11288LTDB", "M11288OBLB"]


@pytest.mark.parametrize(
    "text",
    [
        # one code per cell, whose parts repeat across the column: nothing to cut
        "Model numbers G71C000AE110, G71C000AE111, G71C000AR110, G71C000AR210, G71C000DP410, G71C000DQ110",
        "models AWR105BLST3P8U, AWR140BLST3P8U, AWR175BNST3P8U, AWR070BNST3P8U, AWR245BLST3P8U, AWR105ELST2P8U",
        "model numbers LTFS2BBXGMLFS0001V0, LTFS1BBXGMLFS0001V0 and LTFSBSHXDDZJSFS01V0",
        "numbers: CP158-AF, CP158-AF-R19, CP158-AF-RXW, CP158-AF-RXR, CP137-AF, CP137-AF-RXB, CO158-AF-RXB, CP258-AF",
    ],
)
def test_codes_that_stand_alone_are_left_whole(text: str) -> None:
    assert unglue(text) == text


SKUS = (
    "This recall involves gas-powered Husqvarna Grass Trimmers with model numbers 330LK, 130C and 130L. SKU numbers "
    "included in this recall are as follows:&nbsp;Model #SKU #&nbsp;330LK970514501&nbsp;970514502970514503"
    "970514504970545001130C970514301970514302970514303970694601970694701130L970514401970514402"
)
SERIALS = (
    "The following refrigerator models and serial numbers are included in this recall:Refrigerator ModelFirst "
    "serial numberLast serial numberGDIM-49NT946697610040916GDM-45934419710010080GDM-47930029910010063"
    "GDM-47FC934430110010081GDM-47RL934288510049968GDM-49930145710009796"
)


def test_number_cells_run_into_a_named_model_and_into_each_other_are_cut_apart() -> None:
    models = model_numbers(SKUS)
    assert models[:3] == ["330LK", "130C", "130L"]
    assert {"970514501", "970514502", "970545001", "970514301", "970694701", "970514401", "970514402"} <= set(models)
    assert len(models) == 15, models


def test_serial_cells_run_into_the_model_cell_are_cut_where_the_table_s_codes_end() -> None:
    assert model_numbers(SERIALS) == ["GDIM-49NT", "GDM-45", "GDM-47", "GDM-47FC", "GDM-47RL", "GDM-49"]


def test_a_code_the_notice_names_as_a_serial_prefix_does_not_cut_a_serial() -> None:
    text = "a serial prefix of FC32, ZFC32B, FC33.&nbsp;Model (Serial Prefix)Example Serial NumbersCXC-02 (ZFC32)ZFC32B240600001CXM-02"
    assert "ZFC32B 240600001" not in unglue(text)


@pytest.mark.parametrize(
    ("text", "models"),
    [
        (  # sizes the notice names alone, run into the model cell before them
            "labeled with \u201cAirFX\u201d and either \u201c72\u201d or \u201c61\u201d depending on the mower deck "
            'model. Model NumberDescription752657572" AirFX752657961" AirFX744922361" AirFx Finish Mower',
            ["7526575", "7526579", "7449223"],
        ),
        (  # beside models of five digits, a number run into a size in feet
            "Yeti Link Modules with model number 98200 or 98210 are printed on the module. Recalled Product "
            "NameModel NumberMale EC8 to Ring Cable98203 and 98204 Tank Cable with EC8 connector9841012\u2019 EC8",
            ["98200", "98210", "98203", "98204", "98410"],
        ),
        (  # sizes run into both sides of a short code beside one of its shape
            "ProductModel #SizeAnker Detachable Battery pack for Powered CoolerA17B0Not ApplicableAnker EverFrost "
            "Powered Coolers 30A17A033 LiterAnker EverFrost Powered Coolers 40A17A143 Liters",
            ["A17B0", "A17A0", "A17A1"],
        ),
    ],
)
def test_size_cells_and_names_run_into_model_cells_are_set_apart(text: str, models: list[str]) -> None:
    assert model_numbers(text) == models


def test_numbers_like_a_model_are_not_taken_from_a_date_code_sentence() -> None:
    text = "The model numbers are 17249 and 17310 with date codes between 16919 and 11122, 12345 or 13456."
    assert model_numbers(text) == ["17249", "17310"]


def test_model_and_serial_start_cells_run_together_under_their_header() -> None:
    text = (
        "The serial number is printed below the bar code on the same label with \u201c31\u201d.&nbsp;Model "
        "NumbersSerial Numbers (first 8 digits)1311000331EK30-01 or 31EK30-021311000531EK30-01 or "
        "31EK30-021311004031EK20-01 or 31EK20-021311006031EK60-011311006131EK60-011311008431EK10-01The Razor"
    )
    assert model_numbers(text) == ["13110003", "13110005", "13110040", "13110060", "13110061", "13110084"]
    assert "13110005 31EK30-01 or 31EK30-02 13110040 31EK20-01" in unglue(text)


def test_a_specification_column_beside_models_the_prose_named_gives_no_models() -> None:
    text = (
        "The recalled engines are model year 2021-2023 FJ400D, FS600V, FS651V and FX691V. The following model and "
        "serial number ranges are included in this recall.Recalled Kawasaki Engines&nbsp;Engine Model "
        "NumberSpecification NumberEngine Serial Number RangeFJ400DES04A full list of serial numbers is on the "
        "firm\u2019s website.&nbsp;FS04FS600VDS20DS21FS651VHS05JS05FX691VFS18GS18"
    )
    assert model_numbers(text) == ["FJ400D", "FS600V", "FS651V", "FX691V"]


def test_a_serial_pattern_run_into_the_model_before_it_is_no_part_of_the_model() -> None:
    text = (
        "Brand NameModel Name /NumberSerial Number format with embedded date codeDate CodeToshibaG71C0009S110T**0815"
        "**********&nbsp; ~&nbsp; &nbsp; T**1253**********(Year 2008 Week 15 to Year 2012 Week 53)0815 \u2013 1253"
        "G71C0009S1110815 \u2013 1253G71C0009S1120815 \u2013 1253G71C0009T110T0815**********&nbsp; ~&nbsp; &nbsp;"
        "T1253**********(Year 2008)"
    )
    assert model_numbers(text) == ["G71C0009S110", "G71C0009S111", "G71C0009S112", "G71C0009T110"]


def test_a_model_run_into_the_serial_cell_before_it_and_the_serials_after_it_is_cut_out() -> None:
    text = (
        "Refrigerator ModelFirst serial numberLast serial numberGDM-45934419710010080GDM-47930029910010063"
        "GDM-47FC934430110010081GDM-49930145710009796GDM-69FC936870610042783GDM-72930385510048931"
        "GDM-72FC934633010048907T-49G97895259872836TSD-47936475210042789TSD-47G934288910049972"
    )
    models = ["GDM-45", "GDM-47", "GDM-47FC", "GDM-49", "GDM-69FC", "GDM-72", "GDM-72FC", "T-49G", "TSD-47"]
    assert model_numbers(text) == [*models, "TSD-47G"]


def test_date_cells_run_into_code_cells_are_cut_where_only_one_month_reads() -> None:
    text = (
        "RECALLED CARRIER BEARING MODELPOLARIS RZR XP TURBO OR TURBO SPURCHASE DATE RANGEBEA01-0014/13/17 through"
        " 4/27/19BEA01-0025/19/18 through 1/22/19BEA01-005 (Rev A00 and A01)1/25/19 through 9/2/22"
    )
    assert unglue(text).split("RANGE ")[1].startswith("BEA01-001 4/13/17 through 4/27/19 BEA01-002 5/19/18 ")
    assert model_numbers(text) == ["BEA01-001", "BEA01-002", "BEA01-005"]
    assert unglue("cell AB1211/13/2017") == "cell AB1211/13/2017"  # month 1 or 11: two readings, no cut


def test_variant_letters_after_a_slash_replace_the_code_s_last_letters() -> None:
    text = (
        "Model Numbers Model Name VIN KAT1000ARFNN / ARFNLMULE PRO-FXT 1000 LE JKAATCA12RB500001 5/10/2023"
        " KAF1000LRFNN/LRFNLMULE PRO-FX 1000 HD Edition JKAAFCL17RB500001 5/16/2023 for the Mule owner"
    )
    assert "KAF1000LRFNN/KAF1000LRFNL MULE PRO-FX" in unglue(text)
    assert model_numbers(text) == ["KAT1000ARFNN", "KAT1000ARFNL", "KAF1000LRFNN", "KAF1000LRFNL"]
    assert unglue("DF36450G/BK/P and LP-BRMDYL/BLK") == "DF36450G/BK/P and LP-BRMDYL/BLK"
