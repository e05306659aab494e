"""`recall-agent explain` and the flagship entries, through the real command line."""

from __future__ import annotations

from collections.abc import Callable

from conftest import Run

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
