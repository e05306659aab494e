"""Tables of real CPSC notice wording (2023-2026 records), one row per brand, model, criterion or decoy shape."""

from __future__ import annotations

from typing import Any

import pytest

from agent.feeds import brands, cpsc, criteria, date_codes, text
from agent.feeds.extract import model_numbers
from agent.feeds.firms import firm_names
from feeds.feedkit import cpsc_record


def brands_of(description: str, *, title: str = "", firms: tuple[str, ...] = ()) -> list[str]:
    record = cpsc_record("25-100", published="2025-01-02", description=description, title=title or "Recall")
    record["Products"] = [{"Name": "Products", "NumberOfUnits": "About 10"}]
    record["Importers"] = [{"Name": firm} for firm in firms]
    found: list[str] = cpsc.products_from_record(record)[0]["brands"]
    return found


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        (
            "The inflatable spa liners are sold under the brand names SaluSpa, Coleman, and Hydro-Force, which are printed",
            ["SaluSpa", "Coleman", "Hydro-Force"],
        ),
        ('\u201cESR" is printed on the back and the model number is printed on the right side', ["ESR"]),
        ("the brand name \u201cTeckwe\u201d is printed on the handle.", ["Teckwe"]),
        ("The Simpson logo, \u201cPro Series\u201d and 4400 PSI are printed on the handle of the unit.", ["Simpson"]),
        ("This recall involves CHZHVAN brand combination smoke and carbon monoxide detectors", ["CHZHVAN"]),
        (
            "This recall expansion involves Curtis International 6-can minifridges. Frigidaire-brand units",
            ["Frigidaire"],
        ),
        ("The running platform is black. Matrix is printed on the treadmill console masts.", ["Matrix"]),
        ("The chainsaw is an orange and black saw marked WORX on the saw body and on the bar.", ["WORX"]),
        ("They have a black exterior and are marked with the brand \u201cknog\u201d.", ["knog"]),
        (
            "The camping stoves are dark green with an orange \u201cOzark Trail\u201d logo printed on the front.",
            ["Ozark Trail"],
        ),
        (
            "with brand names U.S. Boiler, New Yorker Boiler, Advantage, FORCE and Archer.",
            ["U.S. Boiler", "New Yorker Boiler", "Advantage", "FORCE", "Archer"],
        ),
        ("The LiPRO and DR Power logo are on the front and side panels of the battery pack.", ["LiPRO", "DR Power"]),
        (
            "The machines have \u201cBella Pro Series\u201d or \u201cCooks\u201d on the steaming chamber",
            ["Bella", "Cooks"],
        ),
    ],
)
def test_printed_brands_are_read_from_the_prose(description: str, expected: list[str]) -> None:
    found = brands_of(description)
    assert all(b in found for b in expected), found


@pytest.mark.parametrize(
    ("firm", "expected"),
    [
        (
            "Shenzhen Fengqisi Car Industry Co., Ltd., dba FENGQS, of China",
            ["Shenzhen Fengqisi Car Industry", "Fengqisi", "FENGQS"],
        ),
        (
            "Sanven Technology Ltd., dba Vevor, of Rancho Cucamonga, California",
            ["Sanven Technology", "Sanven", "Vevor"],
        ),
        ("Anker Innovations Limited, of Hong Kong", ["Anker Innovations", "Anker"]),
        ("Shenzhen Baseus Technology Co. Ltd., of China", ["Shenzhen Baseus Technology", "Baseus"]),
        (
            "Daikin Comfort Technologies Manufacturing L.P., of Houston, Texas",
            ["Daikin Comfort Technologies Manufacturing", "Daikin Comfort"],
        ),
        (
            "DR Power Equipment, of South Burlington, Vermont, a subsidiary of Generac Power Systems Inc., of Waukesha",
            ["DR Power Equipment", "DR", "Generac Power Systems", "Generac"],
        ),
        (
            "Intimidator LLC d/b/a/\u00a0Spartan Mowers and UTVs, Batesville, Arkansas",
            ["Intimidator", "Spartan Mowers and UTVs"],
        ),
        ("Bestway (Hong Kong) International Ltd., of China", ["Bestway International", "Bestway"]),
        ("Made in China", []),
    ],
)
def test_firm_names_lose_legal_forms_and_places_and_keep_their_dba(firm: str, expected: list[str]) -> None:
    assert firm_names(text.one_line(firm)) == expected


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Razor Recalls Icon Electric Scooters", "This recall involves all Razor Icon electric scooters.", ["Razor"]),
        (
            "Specialized Recalls Vado and Como IGH E-Bikes",
            "This recall involves Specialized Vado and Como IGH e-bikes with chain guards.",
            ["Specialized"],
        ),
        (  # a name printed on the product stays, even after another brand
            "3M Recalls Peltor X4 Series Earmuffs",
            "This recall involves 3M Peltor X4 series earmuffs. 3M PELTOR is stamped on the outside of the earcups.",
            ["3M PELTOR", "Peltor", "3M"],
        ),
        (  # written after the firm only: the firm's brand
            "Power Plus Recalls Tora Portable Power Charging Stations",
            "This recall involves Power Plus Tora portable power charging stations.",
            ["Tora", "Power Plus"],
        ),
    ],
)
def test_product_lines_after_a_brand_are_no_brands(title: str, description: str, expected: list[str]) -> None:
    assert brands_of(description, title=title) == expected


@pytest.mark.parametrize(
    ("title", "expected_brands", "expected_firms"),
    [
        (
            "Harbor Freight Tools Recalls Predator 2000-Watt Power Stations Due to Shock Hazard",
            ["Predator"],
            ["Harbor Freight Tools"],
        ),
        (
            "GoveeLife and Govee Smart Electric Space Heaters Recalled Due to Fire and Burn Hazards; Imported by Govee",
            ["GoveeLife", "Govee"],
            ["Govee"],
        ),
        (
            "Doosan Bobcat North America Recalls Bobcat & Steiner AirFX Finish Mower Deck Attachments Due to Crush Hazard",
            ["Bobcat", "Steiner"],
            ["Doosan Bobcat North America"],
        ),
        (
            "Charmast Power Banks Recalled Due to Fire and Burn Hazards; Sold by Charmast Exclusively on Amazon.com",
            ["Charmast"],
            ["Charmast"],
        ),
        ("Aria Child Recalls Strollers Due to Laceration and Fall Hazards", [], ["Aria Child"]),
        (
            "iMirror Inc. Recalls Electric Bug Zapper Racket, Fly Swatter, and Mosquito Swatter Due to Shock Hazard",
            [],
            ["iMirror Inc."],
        ),
    ],
)
def test_titles_give_the_printed_brand_and_the_firm(
    title: str, expected_brands: list[str], expected_firms: list[str]
) -> None:
    assert brands.from_title(title, frozenset({"swatter", "racket"})) == (expected_brands, expected_firms)


@pytest.mark.parametrize(
    "description",
    [
        "\u201c2000 Power Station\u201d is in large white letters on the bottom of the front panel of the power stations.",
        "\u201c4x4\u201d is written in black on the tailgate of the truck.",
        "The VIN is printed on a portion of the left rear frame.",
        "The model number is printed on a silver label on the frame.",
        "\u201cAccession No. 2430278-000\u201d is printed on a silver label located on the laser pointer tube.",
    ],
)
def test_prose_that_names_no_brand_adds_none(description: str) -> None:
    assert brands_of(description, firms=("Example Co., of Dover, Del.",)) == ["Example"]


@pytest.mark.parametrize(
    ("wording", "models"),
    [
        # spaces inside a code
        ("The power adapters have model number CYAP05 050100U.", ["CYAP05 050100U"]),
        (
            "The following model numbers are included in this recall: NZ 9110.3, NZ 9110.4, NZ-9110.5",
            ["NZ 9110.3", "NZ 9110.4", "NZ-9110.5"],
        ),
        ("were all sold under model number BY-300 and BY-300 FS and came in yellow", ["BY-300", "BY-300 FS"]),
        # slashes
        (
            "This recall involves Honda HRN216 and HRX217K6 lawnmowers, and GCV170/200 G5B general-purpose engines",
            ["HRN216", "HRX217K6", "GCV170", "GCV200"],
        ),
        ("Model: A1642/A1647/A1652", ["A1642", "A1647", "A1652"]),
        # trailing letters that look like units
        (
            "with the following model numbers: 414170, 414181, 41418 and 414170R.",
            ["414170", "414181", "41418", "414170R"],
        ),
        ("gas-powered Husqvarna Grass Trimmers with model numbers 330LK, 130C and 130L.", ["330LK", "130C", "130L"]),
        # decimals
        (
            "NordicTrack Rowing Machines with model numbers NTRW19147.0, NTRW19147.1, NTRW19147.2 or NTRW19147.3.",
            ["NTRW19147.0", "NTRW19147.1", "NTRW19147.2", "NTRW19147.3"],
        ),
        ("CableMod\u2019s 12VHPWR Angled Adapters, models V1.0 and V1.1, that plug into", ["V1.0", "V1.1"]),
        # short codes the notice calls a model
        ("This recall involves Samurai-branded mini smoke alarms, model number SM1.", ["SM1"]),
        ("This recall involves the MP2 model of the AMP Smart Fitness Machine.", ["MP2"]),
        ("\u201cProduct model: X13\u201d are printed on a label", ["X13"]),
        ("with model numbers 98202 and 98205MPPTx to Tank Cable", ["98202", "98205"]),
        (
            "The model numbers affected by this recall are 2292112, 2280182 and 2280199 with the following serial"
            " numbers: 22D226941 - 23C087042.",
            ["2292112", "2280182", "2280199"],
        ),
        ("The model numbers are on the label, with the following serial numbers: 22D226941 - 23C087042.", []),
        (
            "Data plates have the model number and serial numbers ranging from 31706-35058, Y1025-Y1310, and 50075-52920.",
            [],
        ),
        # codes without digits
        (
            "Sauna Blankets with model numbers LP-BRMDYL-BLK, LP-BRMDYL-GRY, and LP-BRMDYR-PRPL.",
            ["LP-BRMDYL-BLK", "LP-BRMDYL-GRY", "LP-BRMDYR-PRPL"],
        ),
        ("can be identified by the order code GDX-CRG and model number GDXCRG2617R1", ["GDX-CRG", "GDXCRG2617R1"]),
        # prefixes
        (
            "Frigidaire Models Model Numbers FEFBZ90GC*FEFLMC55GC*GLEF396AB*",
            ["FEFBZ90GC*", "FEFLMC55GC*", "GLEF396AB*"],
        ),
        ("Model number 3MGMR60XXX is printed on a white label", ["3MGMR60*"]),
        ("all units with model numbers starting with SM-N930 are included", ["SM-N930*"]),
        (
            "Kenmore Elite Models Model Numbers790.990121*790.990131*790.990191*",
            ["790.990121*", "790.990131*", "790.990191*"],
        ),
        ("Steam Cleaners in the model series 39N7 and 2994. Colors include green.", ["39N7*", "2994*"]),
        # a list cut short or carrying a code without digits
        (
            "This recall involves the Matrix Fitness T1xe, T3x, T3xm and T3xh-02 treadmills.",
            ["T3xh-02", "T3xm", "T3x", "T1xe"],
        ),
        (
            "2-foot-wide models:55713, 55714, 55715.4-foot-wide models:55213, 55214.",
            ["55713", "55714", "55715", "55213", "55214"],
        ),
        (
            "Intimidator and Mahindra branded models 750, 800, 1000, TGB, GC1K and electric UTVs",
            ["750", "800", "1000", "TGB", "GC1K"],
        ),
        ("the model number for the battery pack (\u201c41424\u201d) is located on the label", ["41424"]),
        ('Portland 9 Amp 14" ChainsawsSKU 58949UPC 193175451774Harbor Freight stores', ["58949"]),
        # TYPE X as printed on a label
        ("The rating label reads TYPE HX-2041 above the serial number.", ["HX-2041"]),
        # models next to date codes
        (
            "Date codes 3034 and 3035 and the following models are included in this recall: HWL-LF, HWL-LF-BP10, HRL-LF.",
            ["HWL-LF", "HWL-LF-BP10", "HRL-LF"],
        ),
        # table cells run together
        ("Model #SizeAnker Detachable Battery pack for Powered CoolerA17B0Not Applicable", ["A17B0"]),
        (
            "Model Number / NameSerial Number RangeR09894 - 18Volt Brushless 21-Degree Framing NailerCS21146D220001 - CS24165N220001",
            ["R09894"],
        ),
        # a size cell run into the code before it, and a word cell run into the code before it
        (
            "Infrared GriddleDF36450G/BK/PDF36450G/BK/P/LPDF36450G/WH/P48\u201d&nbsp;Dual&nbsp;Fuel&nbsp;Range",
            ["DF36450G/BK/P", "DF36450G/BK/P/LP", "DF36450G/WH/P"],
        ),
        ("\u201cProduct model: X13\u201d are printed on a label", ["X13"]),
        ("with model numbers 98202 and 98205MPPTx to Tank Cable", ["98202", "98205"]),
        (
            "The model numbers affected by this recall are 2292112, 2280182 and 2280199 with the following serial"
            " numbers: 22D226941 - 23C087042.",
            ["2292112", "2280182", "2280199"],
        ),
        ("The model numbers are on the label, with the following serial numbers: 22D226941 - 23C087042.", []),
        (
            "Data plates have the model number and serial numbers ranging from 31706-35058, Y1025-Y1310, and 50075-52920.",
            [],
        ),
        ("Insignia Model NumbersMAW08V1QWT-TNS-AC8WU3-CMAW08W1QWTKeystone Model Numbers", ["MAW08W1QWT"]),
        ("The following carrier bearing models are recalled: BEA01-005 (Rev A00 and A01)", ["BEA01-005"]),
        ("service parts with part numbers 1323613 (e-start) and 1323614 (manual start).", ["1323613", "1323614"]),
        # a code cell run into the first end of a range: the ends have one shape
        (
            "Product Name Model Number Vehicle Identification Number 2025 KX450 KX450MSFNNJKAKXGMCSA008598 -"
            " JKAKXGMCSA011475 2025 KX450X KX450NSFNN JKAKXGNCSA002194 - JKAKXGNCSA003159",
            ["KX450", "KX450MSFNN", "KX450X", "KX450NSFNN"],
        ),
        # a code run into a 12-digit UPC (check digit right) in a notice that names UPCs
        (
            "Product and ColorModel NumberUPC CodeLight Blue MermaidDF156-MT196710005616Pink MermaidDF156-LI196710008709",
            ["DF156-MT", "DF156-LI"],
        ),
        # serial range ends with x placeholders, and values of a range start's shape, under a serial header
        (
            "Recalled Model Numbers Range of Recalled Serial Numbers TRAD 2, 120V, CB21-1, V1CSFxxABTRxx-V1-4933 through"
            " CSFxxABTRxx-V1-6970 IS 2, 120V, CB20-1, V1CSFxxABISxxTL-V1-4964 through CSFxxABISxxTL-V1-7224",
            ["CB21-1", "CB20-1"],
        ),
        (
            "ModelSerial Number RangeMounting HeightTRUBLUE iQ LT (12.5m)iQ0014492 through iQ0036407&lt;9m (29.5ft)"
            "TRUBLUE iQ XL (20m)iQXL01283 through iQXL02678&lt;17.5m (57.4ft)",
            [],
        ),
        # a vehicle identification number is a serial wherever it stands, and so is a range of them
        ("Model Numbers Model Name VIN KAT1000ARFNN MULE PRO-FXT JKAATCA12RB500001 5/10/2023", ["KAT1000ARFNN"]),
        (
            "Model Number Vehicle Identification Number 2025 KX450 KX450PSFNN JKAKXGPCSA000012 - JKAKXGMCSA000971",
            ["KX450", "KX450PSFNN"],
        ),
    ],
)
def test_model_shapes_from_real_notices(wording: str, models: list[str]) -> None:
    assert model_numbers(wording) == models


@pytest.mark.parametrize(
    "wording",
    [
        "Consumers can contact the firm toll-free at 888-299-8672 from 9 a.m. to 5 p.m.",
        "This recall involves Model Year 2023-2024 RANGER XP Kinetic Recreational Off-Road Vehicles.",
        "Recall number 25-036. Release # 00-032. CPSC is aware of 1999Release reports.",
        "Baseus 65W 30000mAh portable chargers; 62-volt 5.0 Ah packs; a 120 VAC, 60 HZ power cord; 4400 PSI.",
        "The lights include two CR2032 lithium coin batteries and three preinstalled LR41 button cell batteries.",
        "sold from May 2021 through May 2024 for between $400 and $790, about 36 mm long and 21mm wide",
        "The scooters were sold in 2-foot or 4-foot-wide configurations with 110, 160, 220 and 320 watts.",
        "The brand name, model, and serial number are located on the frame; TYPE OF GAS NATURAL GAS.",
        '"ITEM" and "MID #5220824" are printed on a sticker; only helmets with LOT# BC01BJ01-200623 are included',
        "This recall involves accessory heaters that are compatible with model years 2023-2025 Honda Pioneer 700"
        " (SXS700) and 2022-2024 Talon 1000 (SXS1000S) vehicles.",
        "The affected vehicles include 1FTFW1E50PFA12345 and 5YJ3E1EA7KF317000 (pick-up trucks).",
        "\u201cDanger\u201d and \u201cAccession No. 2430278-000\u201d are printed on a label; lot number #713705.",
    ],
)
def test_numbers_that_are_not_models_stay_out(wording: str) -> None:
    assert model_numbers(wording) == []


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        (
            "Only portable power banks with serial numbers 000G21, 000H21, 000I21 and 000L21 are included in this recall.",
            {"exact": ["000G21", "000H21", "000I21", "000L21"]},
        ),
        (
            "The affected beacons have serial numbers NBP00052-1027 to NBP00287-1127 and NB00300-1127 to NB11675-0329.",
            {"ranges": [["NBP00052-1027", "NBP00287-1127"], ["NB00300-1127", "NB11675-0329"]]},
        ),
        (
            "The recalled ranges have serial numbers from 18517201 to 18868311 and from 10006001 to 10006009.",
            {"ranges": [["18517201", "18868311"], ["10006001", "10006009"]]},
        ),
        (
            "Tracker Off Road OX EV vehicles with serial numbers between 8029703 to 8031430.",
            {"ranges": [["8029703", "8031430"]]},
        ),
        (
            "within the serial number range of VF52200000 through VF54399999.",
            {"ranges": [["VF52200000", "VF54399999"]]},
        ),
        ("Serial Number Range VF122xxxxx - VF936xxxxx", {"ranges": [["VF12200000", "VF93699999"]]}),
        (
            "serial numbers containing 15914, 19203, or 19988 as the fifth code in the serial number",
            {"contains": ["15914", "19203", "19988"]},
        ),
        (
            "Only scooters with the letters \u201cWY\u201d as the seventh and eighth letter in the serial number are included",
            {"contains": ["WY"]},
        ),
        (
            "contain either the letter K or M as the last digit of the serial number printed on the bottom",
            {"suffixes": ["K", "M"]},
        ),
        (
            "a serial number ending in the number 0 through 9 or the letter \u201cD.\u201d",
            {"suffixes": [*map(str, range(10)), "D"]},
        ),
        ("Serial numbers (14 digits) starting with \u201c57X\u201d are included in this recall", {"prefixes": ["57X"]}),
        (
            'Serial numbers included in the recall begin with "ET22," "ET23," "01VX" or "07VX." The serial number is',
            {"prefixes": ["ET22", "ET23", "01VX", "07VX"]},
        ),
        ("with serial numbers that begin with J0D, J0E, and J2D. The", {"prefixes": ["J0D", "J0E", "J2D"]}),
        (
            "The serial number starts with \u201cS/N\u201d and begins with the following numbers: 19, 20, 2201 or 2203.",
            {"prefixes": ["19", "20", "2201", "2203"]},
        ),
        (
            "a serial number beginning with a \u201cW,\u201d and a date code of either \u201c06-23\u201d or \u201c07-23.\u201d",
            {"prefixes": ["W"]},
        ),
        ("the serial number starts with the letters, \u201cWTU.\u201d", {"prefixes": ["WTU"]}),
        ("the model number \u201cBS-30KP365,\u201d and the serial number, beginning \u201cSN.\u201d", {}),
        (
            "Serial No. Starts With [First Six Digits]: Between 202408 and 202501",
            {"prefix_ranges": [["202408", "202501"]]},
        ),
        ("Serial Numbers (first 8 digits) 31EK30-01 or 31EK30-02", {"prefixes": ["31EK30-01", "31EK30-02"]}),
        # "first four numbers": the range bounds the serial's beginning, or a longer serial reads "not affected"
        (
            "The first four numbers in the transceivers\u2019 serial number range from 2326 through 2445 for recalled units",
            {"prefix_ranges": [["2326", "2445"]]},
        ),
        # a range whose ends cannot be compared: no range at all, else its units would read "not affected"
        (
            "with the following serial numbers: 22D226941 - 23C087042. Serial numbers 22D00001-23C087042 are included",
            {},
        ),
        ("Serial Number Ranges65629 - 66828112494 - 114493115494 - 116502131332 - 132819165193", {}),
        (
            "The 10th letter of the VIN will be an \u201cR\u201d. The VIN number is stamped on the tunnel.",
            {"contains": ["R"]},
        ),
    ],
)
def test_serial_shapes_from_real_notices(wording: str, expected: dict[str, Any]) -> None:
    assert criteria.serial(wording) == expected


@pytest.mark.parametrize(
    ("wording", "window"),
    [
        (
            "The recalled treadmills were manufactured from March 2018 through January 2024.",
            {"from": "2018-03", "to": "2024-01"},
        ),
        (
            "Only mowers manufactured between April 1, 2024, and August 20, 2024, are included",
            {"from": "2024-04-01", "to": "2024-08-20"},
        ),
        ("electric bikes with batteries manufactured on April 21, 2024.", {"from": "2024-04-21", "to": "2024-04-21"}),
        (
            "They have date codes between April 2008 through December 2012 in either format.",
            {"from": "2008-04", "to": "2012-12"},
        ),
        (
            "with a MONTHYEAR code in the serial number between 0125 (January 2025) and 0825 (August 2025), and a"
            " WEEKYEAR burner date code between 0125 and 2625 (weeks 01 to 26 of 2025)",
            {"from": "2025-01", "to": "2025-08"},
        ),
        (
            "boilers manufactured between April 2023 and April 2024 ... boilers manufactured between June 2024 and April 2025",
            {},
        ),
    ],
)
def test_production_windows(wording: str, window: dict[str, str]) -> None:
    assert date_codes.manufactured(wording) == window


@pytest.mark.parametrize(
    ("wording", "codes", "no_code"),
    [
        (
            "the following batch codes: 0124AA, 0423AA, 0723AA and 11A23AA. The batch codes are printed",
            ["0124AA", "0423AA", "0723AA", "11A23AA"],
            False,
        ),
        ("Date codes 3034 and 3035 and the following models are included", ["3034", "3035"], False),
        ("and tracking number \u201cFO031124\u201d printed on the back.", ["FO031124"], False),
        (
            "Lot codes \u201c02142080423\u201d and \u201c02142230523\u201d are included in the recall",
            ["02142080423", "02142230523"],
            False,
        ),
        (
            "The PO numbers 1 through 10 (PO-PP001 to PO-PP003) are marked on the back. Power Packs that do not have a PO number are also subject to this recall.",
            ["PO-PP001", "PO-PP002", "PO-PP003"],
            True,
        ),
        (
            "a six-digit lot code (022020, 022021, 042022 or 032023) appears on the kettle\u2019s underside.",
            ["022020", "022021", "042022", "032023"],
            False,
        ),
        ("the date code 15623 represents June 5, 2023, and date code 18724 represents July 5, 2024.", [], False),
    ],
)
def test_date_and_batch_codes(wording: str, codes: list[str], no_code: bool) -> None:
    assert date_codes.codes(wording) == (codes, no_code)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("T3xh-02&nbsp;treadmills", "T3xh-02 treadmills"),
        ("Bed Bath &amp;amp; Beyond", "Bed Bath & Beyond"),
        ("\u00e2\u20ac\u0153Govee\u00e2\u20ac\u009d is printed", "\u201cGovee\u201d is printed"),
        ("3M\u2122 Peltor\u2122 X4 earmuffs", "3M Peltor X4 earmuffs"),
        (
            "Mule PRO-FX\u2122 1000, PRO-FXR\u21221000 and a Fidlock\u00aeAdult buckle",
            "Mule PRO-FX 1000, PRO-FXR 1000 and a Fidlock Adult buckle",
        ),
        ("model BI\u2011B41", "model BI-B41"),
    ],
)
def test_feed_text_is_made_plain(raw: str, clean: str) -> None:
    assert text.one_line(raw) == clean


@pytest.mark.parametrize(
    ("units", "count"),
    [
        ("About 2.7 million", 2_700_000),
        ("About 15.5 million (In addition, about 1.3 million were sold in Canada)", 15_500_000),
        ("About 24,000 (In addition, about 9,900 were sold in Canada)", 24_000),
        ("Approximately 60,000", 60_000),
        ("Millions", 1_000_000),
        ("About 40 thousand", 40_000),
        ("About 4,900 ROVs and 185 accessory charger service parts/kits", 4_900),
        ("", 0),
    ],
)
def test_unit_counts(units: str, count: int) -> None:
    assert text.unit_count(units) == count


def test_a_list_of_values_under_a_serial_header_that_holds_a_serial_is_all_serials() -> None:
    serials = ["TM87D0940059", "TM87D070600070", "TM87D080600128", "TM87D1206000127"]
    text = (
        "Model Name/ Number Recalled Serial Number(s) or Range Vision T9800 (TM87)"
        + ", ".join(serials[:3])
        + f", and {serials[3]} TF20 (TM432)TM4321108BD00255 - TM4321610CA00033"
    )
    found = model_numbers(text)
    assert {"T9800", "TM87", "TF20", "TM432"} <= set(found) and not set(serials) & set(found)


def test_a_brand_cell_run_into_the_first_model_after_a_header_is_cut_off() -> None:
    text = (
        "Brand Model Number Model Name Serial Number Efficiency Level YAMAHAPA-300CAC ADAPTORXXXX25XXXXXV"
        "Clavinova digital pianos:BrandModel NumberModel NameSerial Number RangeYAMAHACLP-430RClavinova Digital "
        "PianoUCQ******YAMAHACLP-430BClavinova Digital Piano"
    )
    assert model_numbers(text, exclude=["Yamaha"]) == ["CLP-430R", "CLP-430B"]
