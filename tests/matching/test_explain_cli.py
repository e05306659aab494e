"""`recall-agent explain` and the flagship entries, through the real command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run
from helpers import RULE_HEAD

Cli = Callable[..., Run]


def test_the_flagship_without_a_model_notifies_and_says_to_check_for_a1112(cli: Cli) -> None:
    assert cli("inventory", "add", "Anker 321 Power Bank", "--brand", "Anker").code == 0
    result = cli("scan", "--source", "inventory")
    assert result.code == 1, result.out + result.err
    text = " ".join(result.out.split())
    assert result.out.splitlines()[0].startswith("CHECK THE LABEL: Anker 321 Power Bank")
    assert "recalled models are A1112" in text


def test_a_model_typed_into_the_name_alone_notifies(cli: Cli) -> None:
    cli("inventory", "add", "anker a1112")
    result = cli("scan", "--source", "inventory")
    assert result.code == 1
    assert "a1112 (found in the name)" in " ".join(result.out.split())


def test_explain_says_why_a_rule_matched_or_not_and_what_to_add(cli: Cli) -> None:
    cli("inventory", "add", "Power bank", "--brand", "Ankr", "--model", "A1113", "--id", "pb")
    cli("inventory", "add", "Anker 321 Power Bank", "--brand", "Anker", "--id", "anker")
    near = cli("explain", "pb", "anker-2024-321-power-bank")
    assert near.code == 0, near.err
    text = " ".join(near.out.split())
    assert "NO MATCH: anker-2024-321-power-bank" in text
    assert "brand: Ankr is one letter off the notice's (Anker)" in text
    assert "identifier A1113 in the model field: not listed" in text
    named = cli("explain", "Anker 321 Power Bank")
    text = " ".join(named.out.split())
    assert "LIKELY: anker-2024-321-power-bank" in text
    assert "to decide, add: the model on the label: recalled models are A1112" in text
    assert all(len(line) <= 80 for line in named.out.splitlines())


def test_explain_names_an_unknown_item_or_rule_in_one_line(cli: Cli) -> None:
    cli("inventory", "add", "Kettle", "--brand", "Acme")
    missing = cli("explain", "toaster")
    assert missing.code == 2 and "no item with id or name 'toaster'" in missing.err
    assert len(missing.err.strip().splitlines()) == 1
    bad_rule = cli("explain", "kettle", "no-such-rule")
    assert bad_rule.code == 2 and "no rule with id 'no-such-rule'" in bad_rule.err


def test_explain_says_what_to_add_when_a_notice_names_its_product_by_brand_and_kind(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    head = RULE_HEAD.format(id="trek-electra", kind="recall", certainty="extracted")
    (folder / "trek-electra.toml").write_text(
        head + '\n[[products]]\nname = "Electra E-bikes"\nbrands = ["Electra", "Trek"]\nmodels = []\n'
    )
    cli("inventory", "add", "Electra Townie 7D", "--brand", "Electra", "--id", "townie")
    before = cli("explain", "townie", "--rules", str(folder))
    text = " ".join(before.out.split())
    assert "NO MATCH: trek-electra" in text
    assert "brand and kind only (bike); the item's name does not say it" in text
    assert "to decide, add: what it is, in its name (the notice's: bike)" in text
    assert all(len(line) <= 80 for line in before.out.splitlines())
    assert cli("scan", "--source", "inventory", "--rules", str(folder)).code == 0
    cli("inventory", "edit", "townie", "--name", "Electra Townie 7D e-bike")
    assert cli("scan", "--source", "inventory", "--rules", str(folder)).code == 1  # what it said was enough
    after = " ".join(cli("explain", "townie", "--rules", str(folder)).out.split())
    assert "LIKELY: trek-electra" in after and "why: brand Electra and 'electra e-bikes' match" in after
    cli("inventory", "add", "Electra Navigator Go!", "--brand", "Electra", "--id", "nav")
    versions = " ".join(cli("explain", "nav", "--rules", str(folder)).out.split())
    assert "the item's name says go, a version the notice never names: no name matches" in versions
    assert "what it is, in its name" not in versions  # adding it would not help


def test_explain_shows_a_kind_the_notice_never_names(cli: Cli) -> None:
    cli("inventory", "add", "Casely power pods magsafe charger", "--brand", "Casely", "--id", "pods")
    text = " ".join(cli("explain", "pods", "casely-2025-power-pods-e33a").out.split())
    assert "NO MATCH: casely-2025-power-pods-e33a" in text
    assert "the item's name says charger, a kind of thing the notice never names" in text
    assert "to decide, add: the model number on the label" in text


def test_explain_shows_the_nearest_rule_of_a_big_brand_first(cli: Cli) -> None:
    cli("inventory", "add", "Anker Soundcore bluetooth speaker A3102016", "--brand", "Anker", "--id", "sc")
    out = cli("explain", "sc").out
    first = next(line for line in out.splitlines() if line.startswith(("NO MATCH", "LIKELY", "POSSIBLE")))
    assert "anker-2024-soundcore-a3102" in first  # the speaker rule, not the first Anker rule by name
    assert "a version the notice never names" not in out  # 3102016 is part of a model in the name
