"""An open indexed rule cache (the layout is in agent.rules.indexed): its database image in memory, and
the rules decoded only when asked for, each once.

Every value read is checked, and rules are rebuilt only by the codec; what has the wrong shape when the
cache is opened raises CodecError (the cache is then rebuilt from the rule files). A part found damaged
only later, in the middle of a scan, is a RecallAgentError naming the file, which is removed so that the
next run rebuilds it.
"""

from __future__ import annotations

import _thread
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from agent import datetimes as dt
from agent import jsontext
from agent.errors import RecallAgentError
from agent.matching.filing import Ref
from agent.matching.gate import Gate, parsed
from agent.matching.product_facts import Facts
from agent.rules import places, sqlite
from agent.rules.cache import collector_paused, facts_codec, problem_codec, rule_codec
from agent.rules.codec import CodecError
from agent.rules.load import Group
from agent.rules.schema import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any, NoReturn, TypeVar

    _T = TypeVar("_T")

CHUNK = 500  # keys per query
Reader = Callable[[int, int], bytes]  # (offset, size) after the image -> those bytes


if sys.version_info >= (3, 11):

    def _deserialize(con: sqlite.Connection, data: bytes | memoryview) -> None:
        con.deserialize(data)

else:

    def _deserialize(con: sqlite.Connection, data: bytes | memoryview) -> None:
        raise CodecError("this Python cannot open a database image")


def _image_size(data: bytes | memoryview) -> int:
    """The size the database's own header gives (page size x pages): a cut file is refused at once."""
    head = bytes(data[:32])
    if len(head) < 32 or not head.startswith(b"SQLite format 3\x00"):
        raise CodecError("not a database image")
    page = int.from_bytes(head[16:18], "big")
    return (65536 if page == 1 else page) * int.from_bytes(head[28:32], "big")


class Stored:
    """An open indexed cache. Rules are decoded when first asked for and kept, one object per rule."""

    def __init__(
        self,
        image: bytes | memoryview,
        read: Reader,
        tag: bytes,
        path: str,
        *,
        bodies: int,
        closing: int | None = None,
        for_life: bool = False,
    ) -> None:
        """``bodies``: how many bytes follow the image (the rules' bodies must fill them exactly)."""
        self.tag = tag
        self.path = path
        self._read = read
        self._identity = _identity(os.fstat(closing)) if closing is not None else None
        if _image_size(image) != len(image):
            raise CodecError("the database image is cut short or has trailing bytes")
        self._for_life = for_life  # decoded rules are kept until the process exits (see load_cached)
        self._lock = _thread.RLock()  # the daemon may look up from more than one thread
        self._closing: int | None = None
        self._con = sqlite.connect(":memory:", check_same_thread=False)  # closed by __del__
        try:
            _deserialize(self._con, image)
            self._con.execute("PRAGMA query_only = ON")
            meta = {str(k): jsontext.loads(v) for k, v in self._con.execute("SELECT name, value FROM meta")}
        except (sqlite.Error, ValueError, TypeError) as e:
            raise CodecError(f"not a rule cache: {e}") from e
        self.count = _int(meta.get("rules"))
        self.files = _int(meta.get("files"))
        self.longest_prefix = _int(meta.get("longest_prefix"))
        if _int(meta.get("bodies")) != bodies:
            raise CodecError("the rules' bodies are cut short or have trailing bytes")
        problems = meta.get("problems")
        if type(problems) is not list:
            raise CodecError("expected a list of problems")
        self.problems = tuple(problem_codec().decode(p) for p in problems)
        self.census = _census(meta.get("census"))
        self.replaced = _lines(meta.get("replaced"))
        if meta.get("packed") != places.PACKED:
            raise CodecError("the cache's numbers are packed for another machine")
        try:
            arrays = dict(self._con.execute("SELECT name, data FROM arrays").fetchall())
        except sqlite.Error as e:
            raise CodecError(f"not a rule cache: {e}") from e
        self._places = places.Places(arrays.get("places"), arrays.get("offsets"), meta.get("marks"), self.count, bodies)
        self._rules: dict[int, Rule] = {}
        self._facts_read: dict[int, bytes] = {}  # the facts of the rules decoded, until asked for
        self._facts: dict[int, list[Facts]] = {}
        self._gates: dict[int, list[Gate | None]] = {}
        self._closing = closing  # the descriptor is ours from here on

    def __del__(self) -> None:
        """Close the database and the descriptor the cache was read through (a command's exit leaves both to
        the system)."""
        con = getattr(self, "_con", None)
        if con is not None:
            con.close()
        closing = getattr(self, "_closing", None)
        if closing is not None:
            try:  # noqa: SIM105 - contextlib.suppress would be imported on every start that reads this cache
                os.close(closing)
            except OSError:
                pass

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._con.execute(sql, args).fetchall()
            except sqlite.Error as e:
                self.damaged(e)

    def rules_at(self, positions: Iterable[int]) -> list[Rule]:
        """The rules at these positions, in that order, each decoded once."""
        wanted = list(positions)
        with self._lock:
            missing = sorted({n for n in wanted if n not in self._rules})
            if missing:
                with collector_paused(freeze=self._for_life):
                    for pos in missing:
                        self._rules[pos] = self._decoded(pos)
            try:
                return [self._rules[n] for n in wanted]
            except KeyError as e:
                self.damaged(CodecError(f"no rule at position {e}"))

    def _place(self, pos: int) -> tuple[int, int, int, int]:
        try:
            return self._places.place(pos)
        except CodecError as e:
            self.damaged(e)

    def _decoded(self, pos: int) -> Rule:
        start, size, known, _ = self._place(pos)
        try:
            data = self._read(start, size + known)
            self._facts_read[pos] = data[size:]
            return _checked(rule_codec().decode(jsontext.loads(data[:size].decode())), Rule)
        except (CodecError, ValueError, OSError) as e:
            self.damaged(e)

    def mark(self, pos: int, at: int) -> str:
        """The mark of the product ``at`` of the rule at ``pos`` (agent.matching.gate)."""
        try:
            return self._places.mark(pos, at)
        except CodecError as e:
            self.damaged(e)

    def gate(self, pos: int, at: int) -> Gate:
        """What tells which items the product ``at`` of the rule at ``pos`` cannot be identified with
        (agent.matching.gate), read without decoding the rule; the rule's gates are read once."""
        found = self._gates.get(pos)
        if found is None:
            with self._lock:
                start, size, known, gates = self._place(pos)
                try:
                    text = self._read(start + size + known, gates).decode()
                    # A product without a gate (marked open) is never asked for its gate.
                    found = self._gates[pos] = parsed(text, self._places.products(pos))
                except (CodecError, ValueError, OSError) as e:
                    self.damaged(e)
        gate = found[at] if at < len(found) else None
        if gate is None:
            self.damaged(CodecError(f"no gate for product {at} of the rule at {pos}"))
        return gate

    def facts_of(self, pos: int) -> list[Facts]:
        """What matching reads from each product of the rule at ``pos``, as it was worked out when the cache
        was built; decoded once."""
        rule = self.rules_at([pos])[0]
        with self._lock:
            if pos in self._facts:
                return self._facts[pos]
            try:
                found = jsontext.loads(self._facts_read.pop(pos).decode())
                if type(found) is not list or len(found) != len(rule.products):
                    raise CodecError(f"expected the facts of {len(rule.products)} products")
                self._facts[pos] = [_checked(facts_codec().decode(f), Facts) for f in found]
            except (CodecError, ValueError, KeyError) as e:
                self.damaged(e)
            return self._facts[pos]

    def damaged(self, error: Exception) -> NoReturn:
        """A part of the cache read after it was opened is damaged: remove it (unless it has been replaced
        since) and say so."""
        import contextlib

        with contextlib.suppress(OSError):
            if self._identity is None or _identity(os.lstat(self.path)) == self._identity:
                os.unlink(self.path)
        raise RecallAgentError(
            f"{self.path}: the rule cache is damaged ({error}); it was removed and the next run rebuilds it"
        )

    def positions(self, *, kept: bool) -> list[int]:
        return [row[0] for row in self._query("SELECT pos FROM rules WHERE kept = ? ORDER BY pos", (int(kept),))]

    def get(self, rule_id: str) -> Rule | None:
        found = self._query("SELECT pos FROM rules WHERE id = ? ORDER BY pos LIMIT 1", (rule_id,))
        return self.rules_at([found[0][0]])[0] if found else None

    def with_ids(self, ids: Iterable[str]) -> list[Rule]:
        wanted = sorted(ids)
        sql = "SELECT pos FROM rules WHERE id IN ({})"
        found = [self._query(sql.format(_marks(c)), c) for c in _chunks(wanted)]
        return self.rules_at(sorted(row[0] for rows in found for row in rows))

    def buckets(self, keys: Iterable[str]) -> dict[str, list[Ref]]:
        """The refs filed under each of ``keys`` that has any."""
        found: dict[str, list[Ref]] = {}
        wanted = sorted(keys)  # in the table's order, SQLite's search for each key is shorter
        for chunk in _chunks(wanted):
            sql = f"SELECT key, refs FROM buckets WHERE key IN ({_marks(chunk)})"  # noqa: S608 (only "?")
            for key, refs in self._query(sql, chunk):
                try:
                    found[key] = places.refs(refs, self.count)
                except CodecError as e:
                    self.damaged(e)
        return found


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _int(value: object) -> int:
    if type(value) is not int or value < 0:
        raise CodecError(f"expected a count, found {type(value).__name__}")
    return value


def _lines(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if type(value) is not list or not all(type(line) is str for line in value):
        raise CodecError("expected lines of text")
    return tuple(value)


def _census(value: object) -> tuple[Group, ...]:
    if type(value) is not list:
        raise CodecError("expected the census")
    groups = []
    for row in value:
        if type(row) is not list or len(row) != 4 or not all(type(v) is str for v in row[:2]):
            raise CodecError("expected a census row")
        newest = dt.date.fromisoformat(row[3]) if type(row[3]) is str else None
        groups.append(Group(row[0], row[1], _int(row[2]), newest))
    return tuple(groups)


def _checked(value: object, kind: type[_T]) -> _T:
    if type(value) is not kind:
        raise CodecError(f"expected {kind.__name__}")
    return value


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _marks(chunk: list[Any]) -> str:
    return ",".join("?" * len(chunk))
