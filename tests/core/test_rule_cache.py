from __future__ import annotations

import os
from pathlib import Path

from conftest import write
from helpers import rule_text

from agent.rules.cache import load_cached

PRODUCT = '[[products]]\nname = "Heater"\nbrands = ["Acme"]\nmodels = ["{model}"]\n'


def test_the_cache_is_used_until_a_rule_file_changes(tmp_path: Path) -> None:
    folder, cache = tmp_path / "rules", tmp_path / "cache" / "rules.pickle"
    path = write(folder / "a.toml", rule_text("rule-a", PRODUCT.format(model="H1")))
    first = load_cached([(folder, "user")], cache)
    assert cache.exists() and first.rules[0].products[0].models == ("H1",)
    assert load_cached([(folder, "user")], cache) == first
    path.write_text(rule_text("rule-a", PRODUCT.format(model="H22")))
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert load_cached([(folder, "user")], cache).rules[0].products[0].models == ("H22",)
    write(folder / "b.toml", rule_text("rule-b", PRODUCT.format(model="H3")))
    assert sorted(r.id for r in load_cached([(folder, "user")], cache).rules) == ["rule-a", "rule-b"]


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    folder, cache = tmp_path / "rules", tmp_path / "cache" / "rules.pickle"
    write(folder / "a.toml", rule_text("rule-a", PRODUCT.format(model="H1")))
    cache.parent.mkdir()
    cache.write_bytes(b"not a pickle at all")
    assert [r.id for r in load_cached([(folder, "user")], cache).rules] == ["rule-a"]
    assert cache.read_bytes().startswith(b"\x80")


def test_an_unwritable_cache_does_not_stop_loading(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    write(folder / "a.toml", rule_text("rule-a", PRODUCT.format(model="H1")))
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert [r.id for r in load_cached([(folder, "user")], blocker / "rules.pickle").rules] == ["rule-a"]
