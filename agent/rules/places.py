"""Packed arrays of an indexed rule cache: where each rule's parts are, its products' marks, the refs of a
bucket. Read with the database image, they cost a scan no query and no parsing per rule.

Numbers are unsigned and four bytes each (every offset is below the cache's 1 GB limit), in the byte order
of the machine that wrote them, which the cache names (``PACKED``); anything else raises CodecError. They are
read as a memoryview cast to C unsigned ints (the array module, a library of its own to load, is needed
only to write them).
"""

from __future__ import annotations

import sys

from agent.rules.codec import CodecError

ITEM = "I"  # the array module's and memoryview's code of a C unsigned int
SIZE = memoryview(bytes(8)).cast("I").itemsize
PARTS = 4  # for each rule: where its body starts, the sizes of its body, its facts and its gates
PACKED = [sys.byteorder, SIZE]  # what the cache's meta must say of its arrays


def pack(values: list[int]) -> bytes:
    import array  # only a cache being built packs numbers

    return array.array(ITEM, values).tobytes()


def unpack(data: object) -> memoryview:
    if type(data) is not bytes or len(data) % SIZE:
        raise CodecError("expected packed numbers")
    return memoryview(data).cast("I")


def refs(data: object, count: int) -> list[tuple[int, int]]:
    """A bucket's (rule position, product position) pairs; CodecError if a position is beyond the rules."""
    flat = unpack(data)
    if not flat or len(flat) % 2:
        raise CodecError("expected pairs of positions")
    rules = flat[::2]
    if max(rules) >= count:
        raise CodecError("a position beyond the rules")
    return list(zip(rules, flat[1::2], strict=True))


class Places:
    """Where the parts of every rule are, and the marks of its products (agent.matching.gate)."""

    def __init__(self, places: object, offsets: object, marks: object, count: int, bodies: int) -> None:
        self._places = unpack(places)
        self._offsets = unpack(offsets)  # of each rule's first mark in ``marks``, and of the end
        if len(self._places) != PARTS * count or len(self._offsets) != count + 1 or type(marks) is not str:
            raise CodecError("expected where each rule is")
        self._marks = marks
        self._bodies = bodies

    def place(self, pos: int) -> tuple[int, int, int, int]:
        """Where the body of the rule at ``pos`` starts, and the sizes of its body, facts and gates."""
        if not 0 <= pos < len(self._offsets) - 1:
            raise CodecError(f"no rule at position {pos}")
        start, size, facts, gates = self._places[PARTS * pos : PARTS * pos + PARTS]
        if start + size + facts + gates > self._bodies:
            raise CodecError(f"the rule at {pos} lies beyond the bodies")
        return start, size, facts, gates

    def products(self, pos: int) -> int:
        """How many products the rule at ``pos`` has (one mark each)."""
        if not 0 <= pos < len(self._offsets) - 1:
            raise CodecError(f"no rule at position {pos}")
        return self._offsets[pos + 1] - self._offsets[pos]

    def mark(self, pos: int, at: int) -> str:
        if not 0 <= pos < len(self._offsets) - 1:
            raise CodecError(f"no rule at position {pos}")
        first, end = self._offsets[pos], self._offsets[pos + 1]
        if not first + at < end <= len(self._marks):
            raise CodecError(f"no mark for product {at} of the rule at {pos}")
        return self._marks[first + at]
