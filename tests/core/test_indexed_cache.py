"""The indexed rule cache (large rule sets) keeps every promise of the plain one: used only while no rule
file changed, only when it is a private file of ours, rebuilt when damaged, rule problems kept per file."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import skip_or_fail, write
from helpers import rule_text

from agent.errors import RecallAgentError
from agent.matching import gate
from agent.matching.matcher import index_for
from agent.model import Item
from agent.rules import cache as rule_cache
from agent.rules import places
from agent.rules.cache import load_cached
from agent.rules.codec import CodecError
from agent.rules.load import load_rules

PRODUCT = '[[products]]\nname = "Heater"\nbrands = ["Acme"]\nmodels = ["{model}"]\n'
OTHER_UID = 54321


@pytest.fixture(autouse=True)
def indexed_from_two(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(rule_cache, "INDEXED_FROM", 2)
    yield


def _folder(tmp_path: Path, count: int = 3) -> Path:
    folder = tmp_path / "rules"
    for n in range(count):
        write(folder / f"r{n}.toml", rule_text(f"rule-{n}", PRODUCT.format(model=f"H{n}")))
    return folder


def _ids(folder: Path, cache: Path) -> list[str]:
    return [r.id for r in load_cached([(folder, "user")], cache).rules]


def test_a_large_set_is_cached_indexed_and_read_without_the_rule_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    first = load_cached([(folder, "user")], cache)
    indexed = cache.with_suffix(".db")
    assert indexed.exists() and not cache.exists() and first.stored is not None
    assert indexed.stat().st_mode & 0o777 == 0o600

    def no_parsing(*args: object) -> None:
        raise AssertionError("the rule files were parsed although the cache is current")

    monkeypatch.setattr(rule_cache, "load_rules", no_parsing)
    again = load_cached([(folder, "user")], cache)
    assert again.stored is not None and again == first and list(again.rules) == list(first.rules)
    assert again.get("rule-1") == load_rules([(folder, "user")]).get("rule-1")
    item = Item(id="x", name="Heater", brand="Acme", model="H2")
    [finding] = index_for(again).item_findings(item)
    assert finding.rule.id == "rule-2"


def test_a_changed_rule_file_rebuilds_it_and_a_small_set_goes_back_to_the_plain_cache(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    load_cached([(folder, "user")], cache)
    path = folder / "r1.toml"
    path.write_text(rule_text("rule-1", PRODUCT.format(model="H22")))
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert load_cached([(folder, "user")], cache).rules[1].products[0].models == ("H22",)
    (folder / "r2.toml").unlink()
    (folder / "r1.toml").unlink()
    assert _ids(folder, cache) == ["rule-0"]
    assert cache.exists() and not cache.with_suffix(".db").exists()


def test_rule_problems_are_kept_per_file(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    write(folder / "broken.toml", "id = 'x'\nthis is not toml\n")
    write(folder / "half.toml", rule_text("half", '[[products]]\nname = "Kettle"\nbrands = ["Acme"]\n'))
    direct = load_rules([(folder, "user")])
    assert direct.problems
    load_cached([(folder, "user")], cache)
    cached = load_cached([(folder, "user")], cache)
    assert cached.stored is not None
    assert cached.problems == direct.problems and cached.files == direct.files
    assert list(cached.rules) == list(direct.rules)


def test_a_damaged_or_cut_cache_is_rebuilt(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    load_cached([(folder, "user")], cache)
    indexed = cache.with_suffix(".db")
    good = indexed.read_bytes()
    for bad in (good[: len(good) // 2], good[:-10], good.replace(b"SQLite format 3", b"SQLite format 4")):
        indexed.write_bytes(bad)
        assert _ids(folder, cache) == ["rule-0", "rule-1", "rule-2"]
        assert indexed.read_bytes() == good


def test_numbers_packed_on_another_machine_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    load_cached([(folder, "user")], cache)
    indexed = cache.with_suffix(".db")
    written = indexed.stat().st_ino
    monkeypatch.setattr(places, "PACKED", ["big" if sys.byteorder == "little" else "little", 4])
    assert _ids(folder, cache) == ["rule-0", "rule-1", "rule-2"]
    assert indexed.stat().st_ino != written  # rebuilt (written anew), in this machine's order


def test_packed_refs_are_checked() -> None:
    assert places.refs(places.pack([0, 1, 2, 0]), 3) == [(0, 1), (2, 0)]
    for bad in (places.pack([0, 1, 3, 0]), places.pack([0, 1, 2]), b"\x00\x01\x02", "0,1", b""):
        with pytest.raises(CodecError):
            places.refs(bad, 3)


@pytest.mark.parametrize("part", ["body", "facts", "gates"])
def test_a_rule_found_damaged_during_a_scan_is_an_error_naming_the_cache(tmp_path: Path, part: str) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    load_cached([(folder, "user")], cache)
    indexed = cache.with_suffix(".db")
    data = indexed.read_bytes()
    # The last rule's body, the facts of its product after it (both JSON), or the first separator of its
    # gate after those (which begins with the brand); the index itself stays whole.
    gates = data.rfind(b"acme" + gate.PART.encode())
    at = {"body": data.rfind(b'["rule-2"'), "facts": data.rfind(b'[["acme"', 0, gates), "gates": gates + 4}[part]
    assert at > data.find(b"SQLite format 3")
    indexed.write_bytes(data[:at] + b"!" + data[at + 1 :])
    ruleset = load_cached([(folder, "user")], cache)
    assert ruleset.stored is not None and ruleset.get("rule-0") is not None
    # By its model the item meets the rule at once; by its name only through the gate.
    model = "" if part == "gates" else "H2"
    with pytest.raises(RecallAgentError, match=f"{indexed}: the rule cache is damaged"):
        index_for(ruleset).item_findings(Item(id="x", name="Heater", brand="Acme", model=model))
    assert not indexed.exists()
    assert _ids(folder, cache) == ["rule-0", "rule-1", "rule-2"]


def test_a_cache_others_may_write_or_a_link_is_not_trusted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    load_cached([(folder, "user")], cache)
    indexed = cache.with_suffix(".db")
    indexed.chmod(0o620)
    assert _ids(folder, cache) == ["rule-0", "rule-1", "rule-2"]
    assert f"not using the rule cache {indexed}: others may write it (mode 620)" in capsys.readouterr().err
    assert indexed.stat().st_mode & 0o777 == 0o600
    elsewhere = tmp_path / "elsewhere.db"
    os.rename(indexed, elsewhere)
    indexed.symlink_to(elsewhere)
    assert _ids(folder, cache) == ["rule-0", "rule-1", "rule-2"]
    assert f"not using the rule cache {indexed}: cannot open it" in capsys.readouterr().err


def test_root_ignores_an_indexed_cache_another_user_owns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() != 0:
        skip_or_fail("giving files to another user needs root")
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    load_cached([(folder, "user")], cache)
    indexed = cache.with_suffix(".db")
    for path in (indexed, indexed.parent):
        os.chown(path, OTHER_UID, OTHER_UID)
    before = indexed.read_bytes()
    assert load_cached([(folder, "user")], cache).stored is not None  # built afresh, in memory
    assert f"not using the rule cache {indexed}: it belongs to uid {OTHER_UID}" in capsys.readouterr().err
    assert indexed.read_bytes() == before and indexed.stat().st_uid == OTHER_UID  # their folder, left alone


def test_the_rules_that_replace_a_shipped_rule_are_worked_out_once_with_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.paths import shipped_rules_dir
    from agent.rules import overrides

    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    write(folder / "mine.toml", rule_text("samsung-2016-galaxy-note7", PRODUCT.format(model="N7")))
    folders = [(Path(shipped_rules_dir()), "shipped"), (folder, "user")]
    [line] = overrides.replaced_shipped(load_rules(folders))
    assert line.startswith(f"{folder / 'mine.toml'}: rule samsung-2016-galaxy-note7: replaces the shipped rule")
    load_cached(folders, cache)

    def no_shipped(*args: object) -> None:
        raise AssertionError("the shipped rules were read although the cache holds the answer")

    monkeypatch.setattr(overrides, "_shipped", no_shipped)
    ruleset = load_cached(folders, cache)
    assert ruleset.stored is not None and overrides.replaced_shipped(ruleset, cache.parent) == (line,)
    # Without the shipped folder among those cached, the key does not cover them: asked for each time.
    alone = load_cached([(folder, "user")], tmp_path / "alone" / "rules.json")
    assert alone.stored is not None and alone.stored.replaced is None
    with pytest.raises(AssertionError, match="the shipped rules were read"):
        overrides.replaced_shipped(alone, cache.parent)
