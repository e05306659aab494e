"""Broken rule files: every problem is reported with file, rule and field, and the others still load."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write
from helpers import rule_text

from agent.rules.load import load_rules

GOOD_PRODUCTS = """
[[products]]
name = "Power bank"
brands = ["Anker"]
models = ["A1112"]
names = ["Power bank"]
"""


def problems_for(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path / "r" / "bad.toml", text)
    ruleset = load_rules([(path.parent, "extra")])
    return [str(p).replace(str(path), "bad.toml") for p in ruleset.problems]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace('kind = "recall"', 'kind = "withdrawal"'),
            "bad.toml: rule r1: field 'kind': expected one of recall, warning, got 'withdrawal'",
        ),
        (lambda t: t.replace('title = "Test rule r1"\n', ""), "bad.toml: rule r1: missing required field 'title'"),
        (
            lambda t: t.replace("published = 2024-06-06", 'published = "June 2024"'),
            "bad.toml: rule r1: field 'published': expected a date like 2023-04-17 or 2023-04, got 'June 2024'",
        ),
        (
            lambda t: t.replace('hazards = ["fire"]', 'hazards = ["flames"]'),
            "bad.toml: rule r1: field 'hazards[0]': unknown hazard 'flames'; expected one of fire, burn, shock, "
            "explosion, chemical, choking, laceration, fall, injury, strangulation, entrapment, poisoning, "
            "carbon-monoxide, other",
        ),
        (
            lambda t: t.replace('models = ["A1112"]', 'modles = ["A1112"]'),
            "bad.toml: rule r1: unknown field 'products[0].modles'",
        ),
        (
            lambda t: t.replace('models = ["A1112"]', 'models = "A1112"'),
            "bad.toml: rule r1: field 'products[0].models': expected a list of strings, got the string 'A1112'",
        ),
        (
            lambda t: t.replace('models = ["A1112"]', 'models = ["A1112", "--"]'),
            "bad.toml: rule r1: field 'products[0].models[1]': '--' has no letters or digits",
        ),
        (
            lambda t: t.replace('models = ["A1112"]', 'models = ["A*"]'),
            "bad.toml: rule r1: field 'products[0].models[0]': prefix 'A*' is too short to be safe (3 characters at least)",
        ),
        (
            lambda t: t.replace('type = "manufacturer"', 'type = "shop"'),
            "bad.toml: rule r1: field 'issuer.type': expected one of manufacturer, agency, retailer, got 'shop'",
        ),
        (
            lambda t: t.replace('id = "r1"', 'id = "R 1"').replace("rule r1", "rule R 1"),
            "bad.toml: rule R 1: field 'id': use lower-case letters, digits and dashes (2 to 81 characters)",
        ),
        (
            lambda t: t + '[products.serial]\nranges = [["AB0100", "AB099"]]\n',
            "bad.toml: rule r1: field 'products[0].serial.ranges[0]': the ends 'AB0100' and 'AB099' differ in length",
        ),
        (
            lambda t: t + '[products.serial]\nranges = [["0100", "00999"]]\n',
            "bad.toml: rule r1: field 'products[0].serial.ranges[0]': the ends '0100' and '00999' differ in length",
        ),
        (
            lambda t: t + '[products.serial]\nranges = [["10040916", "9466976"]]\n',
            "bad.toml: rule r1: field 'products[0].serial.ranges[0]': the range starts after it ends "
            "('10040916' > '9466976')",
        ),
        (
            lambda t: t + '[products.serial]\nranges = [["AB0200", "AB0100"]]\n',
            "bad.toml: rule r1: field 'products[0].serial.ranges[0]': the range starts after it ends "
            "('AB0200' > 'AB0100')",
        ),
        (
            lambda t: t + '[products.manufactured]\nfrom = "2023-05"\nto = "2023-04"\n',
            "bad.toml: rule r1: field 'products[0].manufactured.from': the window starts (2023-05) after it ends (2023-04)",
        ),
        (
            lambda t: t + "no_code_included = true\n",
            "bad.toml: rule r1: field 'products[0].no_code_included': only makes sense together with 'codes'",
        ),
        (
            lambda t: t + '[[products.usb]]\nvendor_id = "29zz"\n',
            "bad.toml: rule r1: field 'products[0].usb[0].vendor_id': expected a 16-bit hex id like 291a, got '29zz'",
        ),
        (
            lambda t: t.replace("published = 2024-06-06", "published = 2024-06-06\npublished = 2024-06-07"),
            "bad.toml:5: invalid TOML: cannot overwrite a value",
        ),
        (
            lambda t: t.replace('url = "https://example.org/notice/r1"', 'url = "example.org"'),
            "bad.toml: rule r1: field 'url': expected an http(s) address",
        ),
    ],
)
def test_broken_rule_messages(tmp_path: Path, change: object, expected: str) -> None:
    text = change(rule_text("r1", GOOD_PRODUCTS))  # type: ignore[operator]
    assert problems_for(tmp_path, text) == [expected]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = (
        rule_text("r1", GOOD_PRODUCTS)
        .replace('kind = "recall"', 'kind = "x"')
        .replace('hazard = "The', 'hazerd = "The')
    )
    found = problems_for(tmp_path, text)
    assert len(found) == 3
    assert any("missing required field 'hazard'" in p for p in found)
    assert any("unknown field 'hazerd'" in p for p in found)


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    write(folder / "a.toml", rule_text("good-one", GOOD_PRODUCTS))
    write(folder / "b.toml", "id = [unclosed\n")
    write(folder / "c.toml", rule_text("good-two", GOOD_PRODUCTS))
    write(folder / "d.toml", rule_text("good-one", GOOD_PRODUCTS))
    ruleset = load_rules([(folder, "extra")])
    assert sorted(r.id for r in ruleset.rules) == ["good-one", "good-two"]
    assert len(ruleset.problems) == 2
    assert str(ruleset.problems[0]).startswith(f"{folder / 'b.toml'}:1: invalid TOML")
    assert (
        str(ruleset.problems[1])
        == f"{folder / 'd.toml'}: rule good-one: the same id is already used by {folder / 'a.toml'}"
    )


def test_a_later_folder_replaces_a_rule_by_id(tmp_path: Path) -> None:
    write(tmp_path / "shipped" / "a.toml", rule_text("same", GOOD_PRODUCTS))
    write(tmp_path / "user" / "a.toml", rule_text("same", GOOD_PRODUCTS.replace("A1112", "A9999")))
    ruleset = load_rules([(tmp_path / "shipped", "shipped"), (tmp_path / "user", "user")])
    assert [r.origin for r in ruleset.rules] == ["user"]
    assert ruleset.rules[0].products[0].models == ("A9999",)


def test_huge_and_binary_files_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "huge.toml").write_bytes(b"# " + b"x" * 1_100_000)
    (folder / "binary.toml").write_bytes(b'id = "\xff\xfe"\n')
    ruleset = load_rules([(folder, "extra")])
    assert sorted(map(str, ruleset.problems)) == [
        f"{folder / 'binary.toml'}:1: not valid UTF-8 text",
        f"{folder / 'huge.toml'}: larger than 1 MB; refusing to load it",
    ]
