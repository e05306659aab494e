from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run, skip_or_fail, write
from helpers import rule_text

from agent.paths import shipped_rules_dir
from agent.record import fields
from agent.rules import cache as rule_cache
from agent.rules.cache import load_cached
from agent.rules.codec import Codec, CodecError
from agent.rules.load import load_rules
from agent.rules.schema import Rule

PRODUCT = '[[products]]\nname = "Heater"\nbrands = ["Acme"]\nmodels = ["{model}"]\n'
OTHER_UID = 54321


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    write(folder / "a.toml", rule_text("rule-a", PRODUCT.format(model="H1")))
    return folder


def test_the_cache_is_used_until_a_rule_file_changes(tmp_path: Path) -> None:
    folder, cache = tmp_path / "rules", tmp_path / "cache" / "rules.json"
    path = write(folder / "a.toml", rule_text("rule-a", PRODUCT.format(model="H1")))
    first = load_cached([(folder, "user")], cache)
    assert cache.exists() and first.rules[0].products[0].models == ("H1",)
    assert load_cached([(folder, "user")], cache) == first
    path.write_text(rule_text("rule-a", PRODUCT.format(model="H22")))
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert load_cached([(folder, "user")], cache).rules[0].products[0].models == ("H22",)
    write(folder / "b.toml", rule_text("rule-b", PRODUCT.format(model="H3")))
    assert sorted(r.id for r in load_cached([(folder, "user")], cache).rules) == ["rule-a", "rule-b"]


def test_a_current_cache_is_read_instead_of_the_rule_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    first = load_cached([(folder, "user")], cache)

    def no_parsing(*args: object) -> None:
        raise AssertionError("the rule files were parsed although the cache is current")

    monkeypatch.setattr(rule_cache, "load_rules", no_parsing)
    assert load_cached([(folder, "user")], cache) == first


def test_a_feed_folder_is_keyed_by_the_folder_a_new_feed_replaces(tmp_path: Path) -> None:
    feeds, cache = tmp_path / "feeds", tmp_path / "cache" / "rules.json"
    write(feeds / "cpsc" / "a.toml", rule_text("rule-a", PRODUCT.format(model="H1")))
    assert [r.id for r in load_cached([(feeds / "cpsc", "feed")], cache).rules] == ["rule-a"]
    new = feeds / ".cpsc.new"
    write(new / "b.toml", rule_text("rule-b", PRODUCT.format(model="H2")))
    os.rename(feeds / "cpsc", feeds / ".cpsc.old")
    os.rename(new, feeds / "cpsc")
    assert [r.id for r in load_cached([(feeds / "cpsc", "feed")], cache).rules] == ["rule-b"]


def test_every_shipped_rule_comes_back_equal() -> None:
    ruleset = load_rules([(shipped_rules_dir(), "shipped")])
    assert len(ruleset.rules) >= 10
    data = rule_cache.encode(["key"], ruleset)
    head, body = data.split(b"\n", 1)
    assert json.loads(head) == {"format": rule_cache.FORMAT, "key": ["key"]}
    assert rule_cache.decode(body) == ruleset


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((0, 1), 7),  # the title as a number
        ((0, 12), "not a list"),  # the products
        ((0, 12, 0, 2), ["Acme", 3]),  # a brand that is not text
        ((0, 12, 0, 2), {"__reduce__": "os.system"}),
        ((0, 6), [2024, 6]),  # a date missing its day field
        ((0,), [1, 2, 3]),  # a rule of the wrong length
    ],
)
def test_a_body_of_the_wrong_shape_is_refused(path: tuple[int, ...], value: object) -> None:
    ruleset = load_rules([(shipped_rules_dir(), "shipped")])
    body = json.loads(rule_cache.encode([], ruleset).split(b"\n", 1)[1])
    target = body["rules"]
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(CodecError):
        rule_cache.decode(json.dumps(body).encode())


def test_strings_holding_the_separator_and_empty_strings_survive() -> None:
    codec = Codec(Rule)
    ruleset = load_rules([(shipped_rules_dir(), "shipped")])
    rule = ruleset.rules[0]
    product = rule.products[0]
    odd = type(product).__new__(type(product))
    for name in [f.name for f in fields(product)]:
        object.__setattr__(odd, name, getattr(product, name))
    object.__setattr__(odd, "models", ("a\x1fb", "", "c"))
    object.__setattr__(odd, "brands", ("",))
    changed = type(rule).__new__(type(rule))
    for name in [f.name for f in fields(rule)]:
        object.__setattr__(changed, name, getattr(rule, name))
    object.__setattr__(changed, "products", (odd,))
    assert codec.decode(json.loads(json.dumps(codec.encode(changed)))) == changed


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    cache.parent.mkdir()
    cache.write_bytes(b"not a cache at all")
    cache.chmod(0o600)
    assert [r.id for r in load_cached([(folder, "user")], cache).rules] == ["rule-a"]
    assert cache.read_bytes().startswith(b'{"format":"' + rule_cache.FORMAT.encode() + b'"')
    good = cache.read_bytes()
    cache.write_bytes(good[: len(good) // 2])  # a current key over a truncated body
    assert [r.id for r in load_cached([(folder, "user")], cache).rules] == ["rule-a"]
    assert cache.read_bytes() == good


def test_an_unwritable_cache_does_not_stop_loading(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert [r.id for r in load_cached([(folder, "user")], blocker / "rules.json").rules] == ["rule-a"]


def test_a_cache_others_may_write_or_a_link_is_not_trusted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    good = load_cached([(folder, "user")], cache)
    cache.chmod(0o620)
    assert load_cached([(folder, "user")], cache) == good
    assert "others may write it (mode 620)" in capsys.readouterr().err
    assert cache.stat().st_mode & 0o777 == 0o600  # rewritten as ours
    elsewhere = tmp_path / "elsewhere.json"
    os.rename(cache, elsewhere)
    cache.symlink_to(elsewhere)
    assert load_cached([(folder, "user")], cache) == good
    assert f"not using the rule cache {cache}: cannot open it" in capsys.readouterr().err


class Payload:
    """Unpickling this runs a command that leaves a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., object], tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def _hostile(cache: Path, marker: Path, key: list[object]) -> None:
    """Files a hostile service user could leave: a current header over a pickle, and a legacy pickle."""
    payload = pickle.dumps(Payload(marker))
    cache.write_bytes(rule_cache.header(key) + payload)
    (cache.parent / "rules.pickle").write_bytes(payload)
    for path in (cache, cache.parent / "rules.pickle"):
        os.chown(path, OTHER_UID, OTHER_UID)
        path.chmod(0o600)


def _need_root() -> None:
    if os.geteuid() != 0:
        skip_or_fail("giving files to another user needs root")


def test_root_ignores_a_cache_another_user_owns_in_a_folder_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _need_root()
    folder, cache, marker = _folder(tmp_path), tmp_path / "cache" / "rules.json", tmp_path / "ran"
    cache.parent.mkdir(mode=0o700)
    os.chown(cache.parent, OTHER_UID, OTHER_UID)
    _hostile(cache, marker, rule_cache.fingerprint([(folder, "system")]))
    before = cache.read_bytes()
    assert [r.id for r in load_cached([(folder, "system")], cache).rules] == ["rule-a"]
    assert not marker.exists()
    assert f"not using the rule cache {cache}: it belongs to uid {OTHER_UID}, not to uid 0" in capsys.readouterr().err
    assert cache.read_bytes() == before and cache.stat().st_uid == OTHER_UID  # their folder, left alone


def test_root_replaces_a_cache_another_user_left_in_roots_folder(tmp_path: Path) -> None:
    _need_root()
    folder, cache, marker = _folder(tmp_path), tmp_path / "cache" / "rules.json", tmp_path / "ran"
    cache.parent.mkdir(mode=0o700)
    _hostile(cache, marker, rule_cache.fingerprint([(folder, "user")]))
    assert [r.id for r in load_cached([(folder, "user")], cache).rules] == ["rule-a"]
    assert not marker.exists()
    assert cache.stat().st_uid == 0 and cache.read_bytes().startswith(b'{"format"')
    assert not (cache.parent / "rules.pickle").exists()


def test_a_system_command_as_root_runs_nothing_from_the_service_users_cache(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    _need_root()
    state, marker = tmp_path / "var-lib", tmp_path / "ran"
    (state / "cache").mkdir(parents=True)
    for path in (state, state / "cache"):
        os.chown(path, OTHER_UID, OTHER_UID)
    monkeypatch.setenv("STATE_DIRECTORY", str(state))
    monkeypatch.setenv("CONFIGURATION_DIRECTORY", str(tmp_path / "etc"))
    cache = state / "cache" / "rules.json"
    folders = [(Path(shipped_rules_dir()), "shipped"), (tmp_path / "etc" / "rules", "system")]
    _hostile(cache, marker, rule_cache.fingerprint(folders))
    done = cli("--system", "rules", "list")
    assert done.code == 0, done.err
    assert not marker.exists()
    assert "rules" in done.err and f"not using the rule cache {cache}" in done.err
    assert all(rule.id in done.out for rule in load_rules(folders[:1]).rules)


def test_zero_and_empty_collections_stay_apart_from_missing_values() -> None:
    product = load_rules([(shipped_rules_dir(), "shipped")]).rules[0].products[0]
    codec = Codec(type(product))
    for units, codes in ((0, frozenset()), (None, frozenset({"A1"})), (7, frozenset())):
        odd = type(product).__new__(type(product))
        for name in [f.name for f in fields(product)]:
            object.__setattr__(odd, name, getattr(product, name))
        object.__setattr__(odd, "units", units)
        object.__setattr__(odd, "codes", codes)
        back = codec.decode(json.loads(json.dumps(codec.encode(odd))))
        assert back == odd and back.units == units and back.codes == codes


def test_only_a_command_that_keeps_its_rules_freezes_them_out_of_the_collector(tmp_path: Path) -> None:
    import gc

    folder, cache = _folder(tmp_path), tmp_path / "cache" / "rules.json"
    load_cached([(folder, "user")], cache)
    gc.unfreeze()
    try:
        assert load_cached([(folder, "user")], cache).rules and gc.get_freeze_count() == 0  # the daemon's reloads
        assert gc.isenabled()
        assert load_cached([(folder, "user")], cache, for_life=True).rules and gc.get_freeze_count() > 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()
