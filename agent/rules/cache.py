"""A compiled copy of the loaded rules, reused while no rule file has changed.

Parsing and validating every TOML rule file costs more than the rest of a scan, so the validated RuleSet
is kept as JSON: a first line naming the format and the key it is valid for (the path, size and
modification time of every rule file, the program and Python versions and the record layout), then the
rules as plain values that :mod:`agent.rules.codec` checks field by field while it rebuilds them.
JSON cannot run code whoever wrote it, and a cache file is still used only when it belongs to the user
running the program and nobody else may write it; any other file is ignored with a note (the rules are
read from their files) and replaced when the folder is ours.

A feed's folder is written only as a whole (a new folder renamed into place), so it is keyed by the
folder's own identity and modification time instead of a stat of each of its thousands of files.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache

from agent import __version__, jsontext, trusted
from agent.paths import parent, shipped_rules_dir
from agent.problems import Problem
from agent.rules.codec import Codec, CodecError
from agent.rules.load import RuleSet, load_rules, rule_files
from agent.rules.schema import Rule
from agent.tomlio import atomic_write_bytes
from agent.trusted import MAX_CACHE

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any

    from agent.paths import StrPath

FORMAT = "recall-agent rule cache 2"  # 2: with what matching reads from each product
LEGACY = ("rules.pickle",)  # caches of earlier versions, removed and never read
INDEXED_FROM = 500  # rules from which the cache is indexed: a scan then reads only what its items need
_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
_INDEX_SOURCES = (
    *(
        os.path.join(_PACKAGE, "matching", f"{name}.py")
        for name in ("filing", "product_facts", "gate", "names", "brands", "recalls", "policy")
    ),
    os.path.join(_PACKAGE, "normalize.py"),
)


@lru_cache(maxsize=1)
def rule_codec() -> Codec:
    return Codec(Rule)


@lru_cache(maxsize=1)
def problem_codec() -> Codec:
    return Codec(Problem)


def fingerprint(folders: Iterable[tuple[StrPath, str]]) -> list[Any]:
    """What the cache is valid for, as plain JSON values."""
    parts: list[Any] = [__version__, list(sys.version_info[:2]), rule_codec().signature, problem_codec().signature]
    # The indexed cache holds keys worked out by the matching code from its policy file: either changing
    # (a new version, or an edited checkout) makes a new index.
    parts += [_stamp(path)[1:] for path in _INDEX_SOURCES]
    parts.append(_stamp(os.path.join(shipped_rules_dir(), "matching.policy.toml")))
    for folder, origin in folders:
        parts.append([os.fspath(folder), origin])
        if origin == "feed":
            parts.append(_stamp(folder))
            continue
        for path in rule_files(folder):
            parts.append([path, *_stamp(path)[1:]])
    return parts


def _stamp(path: StrPath) -> list[Any]:
    path = os.fspath(path)
    try:
        info = os.stat(path)
    except OSError:
        return [path, None]
    return [path, info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev]


def header(key: list[Any], kind: str = FORMAT) -> bytes:
    return jsontext.dumps({"format": kind, "key": key}).encode() + b"\n"


@lru_cache(maxsize=1)
def facts_codec() -> Codec:
    from agent.matching.product_facts import Facts  # the rules' layer needs matching only for its cache

    return Codec(Facts)


def encode(key: list[Any], ruleset: RuleSet) -> bytes:
    """The cache: the rules, their problems, and each product's matching facts (product_facts), which
    cost a start more to work out than to read; the key's stamps of the matching code cover them."""
    import json

    from agent.matching.product_facts import facts

    rules = [rule_codec().encode(rule) for rule in ruleset.rules]
    problems = [problem_codec().encode(p) for p in ruleset.problems]
    known = [[facts_codec().encode(facts(rule, p)) for p in rule.products] for rule in ruleset.rules]
    body = {"rules": rules, "problems": problems, "files": ruleset.files, "facts": known}
    return header(key) + json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def decode(body: bytes, *, freeze: bool = False) -> RuleSet:
    """The RuleSet in a cache body; CodecError or ValueError if it is not one."""
    with collector_paused(freeze=freeze):
        data = jsontext.loads(body)
        if type(data) is not dict:
            raise CodecError("expected an object")
        rules, problems, files = data.get("rules"), data.get("problems"), data.get("files")
        if type(rules) is not list or type(problems) is not list or type(files) is not int:
            raise CodecError("expected rules, problems and files")
        known = data.get("facts")
        if type(known) is not list or len(known) != len(rules):
            raise CodecError("expected the facts of each rule's products")
        rule, problem = rule_codec().decode, problem_codec().decode
        ruleset = RuleSet(
            rules=tuple([rule(r) for r in rules]), problems=tuple([problem(p) for p in problems]), files=files
        )
        _remember(ruleset.rules, known)
        return ruleset


def _remember(rules: Sequence[Rule], known: list[Any]) -> None:
    """Hand matching each product's facts as the cache holds them, checked as the rules are."""
    from agent.matching.product_facts import remember

    decode = facts_codec().decode
    for rule, found in zip(rules, known, strict=True):
        if type(found) is not list or len(found) != len(rule.products):
            raise CodecError(f"expected the facts of the {len(rule.products)} products of {rule.id}")
        for product, one in zip(rule.products, found, strict=True):
            remember(product, decode(one))


class collector_paused:  # lower case like contextlib.suppress: used as ``with collector_paused(freeze=...):``
    """Build the rules without cyclic garbage collection, which would walk them again and again.

    Rules hold no reference cycles, so reference counting alone frees them. With ``freeze`` (a command
    that keeps its rules until it exits) everything alive is then moved out of the collector's
    generations, so the collection the build put off does not walk the rules either; a long-running
    process does not freeze, or cycles that die later among what it froze would never be collected.
    """

    def __init__(self, *, freeze: bool) -> None:
        self.freeze = freeze
        self.enabled = False

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.freeze:
            gc.freeze()
        if self.enabled:
            gc.enable()


def read_trusted(path: StrPath) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of ours that nobody else may write; else None.

    A file that exists but fails the checks is reported on stderr.
    """
    return trusted.read_trusted(path, _note)


def open_trusted(path: StrPath) -> int | None:
    """A descriptor open on ``path`` if it is a regular file of ours that nobody else may write; else None."""
    return trusted.open_trusted(path, _note)


def _note(path: StrPath, reason: str) -> None:
    print(f"recall-agent: note: not using the rule cache {path}: {reason}; reading the rule files", file=sys.stderr)


def _ours(folder: str) -> bool:
    """Whether to write the cache in ``folder``: it is missing (we create it private) or it is ours."""
    try:
        return os.stat(folder).st_uid == os.geteuid()
    except FileNotFoundError:
        return True
    except OSError:
        return False


def load_cached(folders: Sequence[tuple[StrPath, str]], cache_file: StrPath, *, for_life: bool = False) -> RuleSet:
    """The rules from ``folders``, from ``cache_file`` when it is still current, else loaded and cached.

    A set of INDEXED_FROM rules or more is cached indexed (agent.rules.indexed) in ``cache_file`` with the
    suffix ``.db``, and its rules are read from there as a scan needs them. ``for_life``: the process
    keeps these rules until it exits (a command, not the daemon), so they are built faster (see
    ``collector_paused``).
    """
    cache_file = os.fspath(cache_file)
    key = fingerprint(folders)
    db_file = os.path.splitext(cache_file)[0] + ".db"
    found, tried = _current(cache_file, header(key), for_life)
    if found is None and not tried:  # no plain cache: perhaps an indexed one
        found = _current_indexed(db_file, key, for_life)
    if found is not None:
        return found
    import contextlib

    ruleset = load_rules(folders)
    ours = _ours(parent(cache_file))
    if len(ruleset.rules) >= INDEXED_FROM and _indexing():
        from agent.matching.filing import file_rules
        from agent.rules import indexed

        head = header(key, indexed.FORMAT)
        data = indexed.layout(ruleset, file_rules(ruleset.rules), _replaced(folders, ruleset))
        if ours:
            with contextlib.suppress(OSError):
                _write(db_file, head + data, stale=cache_file)
        return indexed.from_bytes(data, head, db_file, for_life=for_life)
    if ours:
        with contextlib.suppress(OSError):
            _write(cache_file, encode(key, ruleset), stale=db_file)
    return ruleset


def _replaced(folders: Sequence[tuple[StrPath, str]], ruleset: RuleSet) -> tuple[str, ...] | None:
    """Which of these rules replace a shipped rule, when the shipped folder is among ``folders`` (so that
    the cache's key covers what the answer depends on)."""
    if shipped_rules_dir() not in {os.fspath(folder) for folder, _ in folders}:
        return None
    from agent.rules.overrides import replaced_shipped

    return replaced_shipped(ruleset)


def _indexing() -> bool:
    from agent.rules import indexed

    return indexed.available()


def _current(cache_file: str, expected: bytes, for_life: bool) -> tuple[RuleSet | None, bool]:
    """The rules of a current plain cache, and whether there was a file to try at all."""
    data = read_trusted(cache_file)
    if data is not None and data.startswith(expected):
        try:
            return decode(data[len(expected) :], freeze=for_life), True
        except (CodecError, ValueError):
            return None, True  # damaged: the rule files are read, and the cache made again
    return None, data is not None or _unusable(cache_file)


def _unusable(path: str) -> bool:
    """There is something at ``path``, or it cannot be looked at (read_trusted has said why)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return True


def _current_indexed(path: str, key: list[Any], for_life: bool) -> RuleSet | None:
    fd = open_trusted(path)
    if fd is None:
        return None
    if _indexing():
        from agent.rules import indexed

        head = header(key, indexed.FORMAT)
        try:  # not contextlib.suppress, which a start would import for it
            if os.pread(fd, len(head), 0) == head:
                return indexed.from_file(fd, head, path, MAX_CACHE, for_life=for_life)  # which now owns the descriptor
        except (CodecError, ValueError, OSError):
            pass  # damaged: the rule files are read, and the cache made again
    os.close(fd)
    return None


def _write(cache_file: str, data: bytes, *, stale: str) -> None:
    """Replace the cache with a private file of ours, whoever owned the one it replaces; ``stale``, the
    cache of the other kind, goes."""
    import contextlib

    folder = parent(cache_file)
    for path in (stale, *(os.path.join(folder, name) for name in LEGACY)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    with contextlib.suppress(FileNotFoundError):
        if os.lstat(cache_file).st_uid != os.geteuid():
            os.unlink(cache_file)
    atomic_write_bytes(cache_file, data, mode=0o600)
