"""Codes as notices print them: serial columns, series letters apart, capital names run together, UPC cells."""

from __future__ import annotations

import pytest

from agent.feeds import columns, criteria, date_codes, printed, ties
from agent.feeds.extract import model_numbers

_BOILERS = (
    "Only models CX-199 and CX-150 with certain serial numbers are included. The following model and serial"
    " numbers are included: ModelSerial Number Start Serial Number End 010-131A1 / CX 199-LP I262400137 I162500430"
    " 010-132A1 / CX 150-NG I292400198 I102500001 010-133A1 / CX 150-LPI442400415 I022500103"
)


def test_serial_start_and_end_columns_and_series_letters_printed_apart() -> None:
    found = model_numbers(_BOILERS)
    assert found == ["CX-199", "CX-150", "010-131A1", "CX 199-LP", "010-132A1", "CX 150-NG", "010-133A1"]


def test_serial_columns_need_two_values_of_one_shape_side_by_side() -> None:
    header = "Serial Number Start Serial Number End "
    assert printed.serial_columns(header + "R1 I262400137 I162500430 010-132A1") == {"A999999999"}
    assert printed.serial_columns(header + "I262400137, I162500430 and 010-132A1 / 010-133A1") == frozenset()
    assert printed.serial_columns("Serial Number R1 I262400137 I162500430") == frozenset()  # no start and end


def test_series_letters_come_back_only_beside_a_model_they_begin() -> None:
    assert printed.with_series_letters(["CX-199", "199-LP"], "the CX 199-LP") == ["CX-199", "CX 199-LP"]
    assert printed.with_series_letters(["A-500", "199-LP"], "the CX 199-LP") == ["A-500", "199-LP"]


def test_capital_names_run_together_after_a_model_numbers_heading() -> None:
    text = (
        "This recall involves Specialized Vado and Como IGH e-bikes. Recalled Specialized Bicycle Model Numbers"
        "COMO 3.0 IGHCOMO SL 4.0VADO 3.0 IGH STEP THROUGH ULVADO 5.0 IGH ST"
    )
    assert model_numbers(text, exclude=["Vado", "Como"], brands=["Vado", "Como"]) == [
        "COMO 3.0 IGH",
        "COMO SL 4.0",
        "VADO 3.0 IGH STEP THROUGH UL",
        "VADO 5.0 IGH ST",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Model Numbers COMO 3.0 IGH COMO SL 4.0 VADO 5.0 IGH",  # no word of the prose opens them
        "Vado and Como bikes. Model Numbers COMO IGHCOMO SLVADO IGH",  # names without a digit
    ],
)
def test_capital_runs_that_are_not_name_lists_give_no_names(text: str) -> None:
    assert printed.named_models(text) == []


def test_item_number_and_upc_cells_split_where_the_check_digit_says() -> None:
    text = "The following item number and UPC combination is included in this recall:Item number:UPC:58671193175443663"
    assert model_numbers(text) == ["58671"]
    assert date_codes.upcs(text) == ["193175443663"]
    assert printed.headed_cells("Item number:UPC:58671193175443664") == "Item number:UPC:58671193175443664"


def test_a_upc_run_into_the_next_cell_keeps_its_list_length() -> None:
    text = "UPC Codes Model Numbers Coffee Maker4061464174788, 4061464174801, 4061464174863708924708925"
    assert date_codes.upcs(text) == ["4061464174788", "4061464174801", "4061464174863"]
    assert printed.leading_gtin("4061464174864708924708925", 13) == ""


def test_check_digits() -> None:
    assert printed.gtin_ok("193175443663") and printed.gtin_ok("4061464174863")
    assert not printed.gtin_ok("193175443664") and not printed.gtin_ok("19317544366")


_TRUE = (
    "The following refrigerator models and serial numbers are included in this recall:Refrigerator Model First"
    " serial number Last serial number GDIM-49NT 946697610040916 GDM-45 934419710010080 GDM-49FC 93434169994430"
)


def test_first_and_last_serial_columns_give_ranges_also_from_one_run_of_digits() -> None:
    assert columns.end_pairs(_TRUE) == [("9466976", "10040916"), ("9344197", "10010080"), ("9343416", "9994430")]
    assert criteria.serial(_TRUE) == {
        "ranges": [["9466976", "10040916"], ["9344197", "10010080"], ["9343416", "9994430"]]
    }
    assert columns.end_pairs("Serial Number Range Start Serial Number Range End PA110 PA044936 PA147874") == [
        ("PA044936", "PA147874")
    ]
    assert columns.end_pairs("Model First number Last number X1 946697610040916") == []  # no serial column


def test_a_first_and_last_table_with_one_pair_that_does_not_sort_gives_no_range() -> None:
    text = (
        "Model Serial Number Start Serial Number End 010-131A1 / CX 199-LP ICGFSW1-0199-230700336"
        " ICGFSW1-0199-240400827 010-131A1 / CX 199-LP I262400137 I162500430"
    )
    assert criteria.serial(text) == {}


def test_each_model_of_a_first_and_last_table_gets_its_own_range() -> None:
    found = ties.groups(_TRUE, ["GDIM-49NT", "GDM-45", "GDM-49FC"])
    assert found == [
        (["GDIM-49NT"], {"serial": {"ranges": [["9466976", "10040916"]]}}),
        (["GDM-45"], {"serial": {"ranges": [["9344197", "10010080"]]}}),
        (["GDM-49FC"], {"serial": {"ranges": [["9343416", "9994430"]]}}),
    ]


_CHAIRS = (
    "Units included in the recall include the following production colors, SKUs, and batch numbers. Color SKU Batch"
    " Number Located Under the Footrest Almond Teddy Loop with Light Wood Base M11288ATLB WC0234712405 WC0238412406"
    " Latte Teddy Loop with Dark Wood Base M11288LTDB WC0229042401"
)


def test_a_batch_number_column_gives_each_row_its_codes() -> None:
    assert date_codes.codes(_CHAIRS, ["M11288ATLB", "M11288LTDB"]) == (
        ["WC0234712405", "WC0238412406", "WC0229042401"],
        False,
    )
    assert ties.groups(_CHAIRS, ["M11288ATLB", "M11288LTDB"]) == [
        (["M11288ATLB"], {"codes": ["WC0234712405", "WC0238412406"]}),
        (["M11288LTDB"], {"codes": ["WC0229042401"]}),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        "Batch Number UPC M11288ATLB WC0234712405 193175443663",  # a UPC in the rows: not one column
        "Batch Number M11288ATLB WC0234712405 WC023471",  # two shapes
        "the batch number is printed under the footrest M11288ATLB",  # no column head
    ],
)
def test_code_columns_need_one_shape_under_a_column_head(rows: str) -> None:
    assert columns.code_column(rows, frozenset({"M11288ATLB"})) == []


def test_prefix_min_max_rows_run_together_with_their_model_years() -> None:
    text = "Serial Number Range Model Year Prefix Min Max2021J2D000062500008802022J0D05137010514498J0D 07001010706200"
    assert criteria.serial(text) == {
        "ranges": [["J2D0000625", "J2D0000880"], ["J0D0513701", "J0D0514498"], ["J0D0700101", "J0D0706200"]]
    }


def test_a_prefix_row_that_does_not_read_leaves_the_table_without_ranges() -> None:
    assert columns.prefix_rows("Prefix Min Max J2D00006250000880J0D0514498051370") is None  # min above max
    assert columns.prefix_rows("Prefix Min Max J2D00006250000880J0D051370105144") is None  # a row too short
    assert criteria.serial("Serial Number Prefix Min Max J2D00006250000880J0D0514498051370") == {}


def test_upcs_of_a_table_s_upc_column_are_read_where_their_check_digit_holds() -> None:
    text = (
        "Product and ColorModel NumberUPC CodeLight Blue MermaidDF156-MT196710005616Pink MermaidDF156-LI196710008709"
        " Blue MermaidDF156-BL196710008708"  # a check digit that fails: not a UPC
    )
    assert date_codes.upcs(text) == ["196710005616", "196710008709"]
