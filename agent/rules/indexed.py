"""The indexed rule cache: the rules and the matching index over them, read only as far as a scan needs.

A large rule set (a whole feed) is not rebuilt in memory on every run: a scan looks up only the keys its
items ask for (agent.matching.filing) and decodes only the rules those keys lead to. The cache file is
the cache header line, the size of an SQLite database image (16 hex digits and a newline), the image,
then the rules' bodies (the codec's JSON) one after another. The image is read through the descriptor
that was checked to be a private file of ours (agent.rules.cache) and opened in memory, so SQLite never
opens a path another user could swap; a rule's body is read through the same descriptor when needed.
The image's tables:

- ``meta(name, value)``: JSON values ``rules``, ``files``, ``problems``, ``census``, ``longest_prefix``,
  ``replaced`` (the rules that replace a shipped rule, as agent.rules.overrides words them; null when
  the shipped rules are not among the rules cached), ``marks`` and ``packed`` (agent.rules.places);
- ``rules(pos, id, kept)``: every rule in load order; ``kept`` is 0 for a feed rule that a curated rule
  supersedes;
- ``arrays(name, data)``: packed numbers (agent.rules.places): ``places``, for each rule where its body
  starts and its size, the size of what matching reads from its products (agent.matching.product_facts,
  worked out when the cache is built), which follows the body, and the size of their gates, which follow
  the facts (agent.matching.gate: what rules out an item without decoding the rule; one text split at
  separators, ``gate.stored``); ``offsets``, where
  each rule's products' marks begin in the meta value ``marks``, one letter a product;
- ``buckets(key, refs)``: a filing key and its (rule position, product position) pairs, packed.

Every value read is checked, and the rules are rebuilt only by the codec; anything of the wrong shape
raises CodecError (the cache is then rebuilt from the rule files). A body found damaged only later,
in the middle of a scan, is a RecallAgentError naming the file, which is removed so the next run
rebuilds it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence

from agent.matching import gate
from agent.matching.filing import Filing
from agent.matching.product_facts import facts
from agent.rules import places, sqlite
from agent.rules.cache import facts_codec, problem_codec, rule_codec
from agent.rules.codec import CodecError
from agent.rules.load import RuleSet
from agent.rules.schema import Rule
from agent.rules.stored import Stored

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any, overload

    from agent.paths import StrPath

FORMAT = "recall-agent indexed rule cache 7"  # 7: gates as text split at separators, not JSON
_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE rules(pos INTEGER PRIMARY KEY, id TEXT NOT NULL, kept INTEGER NOT NULL);
CREATE INDEX rules_by_id ON rules(id);
CREATE TABLE buckets(key TEXT PRIMARY KEY, refs BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE arrays(name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
"""


if sys.version_info >= (3, 11):

    def available() -> bool:
        """This Python can open a database image in memory (3.11 and later)."""
        return True

    def _serialize(con: sqlite.Connection) -> bytes:
        return con.serialize()

else:

    def available() -> bool:
        return False

    def _serialize(con: sqlite.Connection) -> bytes:
        raise CodecError("this Python cannot write a database image")


def layout(ruleset: RuleSet, filing: Filing, replaced: Sequence[str] | None = None) -> bytes:
    """What follows the cache header: the image's size, the database image, the rules' bodies.
    ``replaced``: the lines agent.rules.overrides gives for these rules, when the key covers the shipped
    rules they were worked out from."""
    bodies: list[bytes] = []
    con = sqlite.connect(":memory:")
    try:
        con.executescript(_SCHEMA)
        dropped, start = set(filing.dropped), 0
        rows, where, offsets, marks = [], [], [0], []
        for n, rule in enumerate(ruleset.rules):
            body = _dumps(rule_codec().encode(rule)).encode()
            known = _dumps([facts_codec().encode(facts(rule, p)) for p in rule.products]).encode()
            found = [gate.gate_of(rule, p) for p in rule.products]
            gates = gate.stored(found).encode()
            marks += [gate.mark_of(p, g) for p, g in zip(rule.products, found, strict=True)]
            offsets.append(len(marks))
            rows.append((n, rule.id, int(n not in dropped)))
            where += [start, len(body), len(known), len(gates)]
            bodies += [body, known, gates]
            start += len(body) + len(known) + len(gates)
        con.executemany("INSERT INTO rules VALUES (?, ?, ?)", rows)
        refs = ((key, places.pack([n for ref in found for n in ref])) for key, found in filing.buckets.items())
        con.executemany("INSERT INTO buckets VALUES (?, ?)", refs)
        arrays = (("places", places.pack(where)), ("offsets", places.pack(offsets)))
        con.executemany("INSERT INTO arrays VALUES (?, ?)", arrays)
        census = [[g.origin, g.folder, g.rules, g.newest.isoformat() if g.newest else None] for g in ruleset.census()]
        meta = {
            "rules": len(ruleset.rules),
            "files": ruleset.files,
            "problems": [problem_codec().encode(p) for p in ruleset.problems],
            "census": census,
            "longest_prefix": filing.longest_prefix,
            "bodies": start,
            "replaced": None if replaced is None else list(replaced),
            "marks": "".join(marks),
            "packed": places.PACKED,
        }
        con.executemany("INSERT INTO meta VALUES (?, ?)", ((k, _dumps(v)) for k, v in meta.items()))
        con.commit()
        image = _serialize(con)
    finally:
        con.close()
    return b"".join([f"{len(image):016x}\n".encode(), image, *bodies])


def _dumps(value: Any) -> str:
    import json  # only a cache being made writes JSON; reading it does not import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


SIZE_LINE = 17


def from_bytes(data: bytes, tag: bytes, path: StrPath, *, for_life: bool = False) -> RuleSet:
    """The rule set of a cache held in memory (just built): ``data`` is what ``layout`` gave. ``for_life``:
    as for ``agent.rules.cache.load_cached``."""
    view = memoryview(data)
    size = _size_line(bytes(view[:SIZE_LINE]))
    base = SIZE_LINE + size

    def read(start: int, length: int) -> bytes:
        return bytes(view[base + start : base + start + length])

    return _ruleset(
        Stored(view[SIZE_LINE:base], read, tag, os.fspath(path), bodies=len(view) - base, for_life=for_life)
    )


def from_file(fd: int, tag: bytes, path: StrPath, limit: int, *, for_life: bool = False) -> RuleSet:
    """The rule set of the cache open on ``fd`` (checked, its header ``tag`` already read and compared);
    the descriptor is kept to read rules from and closed with the rule set."""
    offset = len(tag)
    size = _size_line(os.pread(fd, SIZE_LINE, offset))
    if size > limit:
        raise CodecError("the database image is too large")
    image = _read_exactly(fd, size, offset + SIZE_LINE)
    base = offset + SIZE_LINE + size

    def read(start: int, length: int) -> bytes:
        return _read_exactly(fd, length, base + start)

    size = os.fstat(fd).st_size - base
    return _ruleset(Stored(image, read, tag, os.fspath(path), bodies=size, closing=fd, for_life=for_life))


def _ruleset(stored: Stored) -> RuleSet:
    return RuleSet(StoredRules(stored), stored.problems, stored.files, stored)


def _size_line(line: bytes) -> int:
    if len(line) != SIZE_LINE or not line.endswith(b"\n"):
        raise CodecError("expected the size of the database image")
    try:
        return int(line[:-1], 16)
    except ValueError as e:
        raise CodecError("expected the size of the database image") from e


def _read_exactly(fd: int, size: int, offset: int) -> bytes:
    first = os.pread(fd, min(size, 1 << 24), offset)
    if len(first) == size:
        return first  # the usual case: one read
    if not first:
        raise CodecError("the cache file is cut short")
    chunks = [first]
    size -= len(first)
    offset += len(first)
    while size > 0:
        chunk = os.pread(fd, min(size, 1 << 24), offset)
        if not chunk:
            raise CodecError("the cache file is cut short")
        chunks.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return b"".join(chunks)


class StoredRules(Sequence[Rule]):
    """Every rule of an indexed cache, in load order, decoded when asked for."""

    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def __len__(self) -> int:
        return self.stored.count

    if TYPE_CHECKING:

        @overload
        def __getitem__(self, index: int) -> Rule: ...

        @overload
        def __getitem__(self, index: slice) -> Sequence[Rule]: ...

    def __getitem__(self, index: int | slice) -> Rule | Sequence[Rule]:
        if isinstance(index, slice):
            return tuple(self.stored.rules_at(range(self.stored.count)[index]))
        if not -self.stored.count <= index < self.stored.count:
            raise IndexError("rule index out of range")
        return self.stored.rules_at([index % self.stored.count])[0]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.stored.rules_at(range(self.stored.count)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredRules) and other.stored.tag == self.stored.tag:
            return len(other) == len(self)  # the same key: the same rule files, unchanged
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
