"""Problems as values: what is wrong with a file a person wrote, kept as plain fields from the parsers up.

A Problem is made where the problem is found and rendered to text only where it is shown (``str()``
for one terminal-safe line, ``as_json()`` for the JSON reports). Nothing reads a rendered message back:
code that needs the file, the line or the field reads the field.
"""

from __future__ import annotations

from agent.record import Record
from agent.textsafe import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any

MAX_PROBLEM = 2000  # characters of one rendered problem line


class Problem(Record, kw_only=True):
    """One problem, one line.

    ``path``: the file, "" when the problem is not about one file. ``line``: 1-based line in it, when known.
    ``kind`` and ``item``: what it is about, "item" or "rule" and its id as the file writes it ("" for the
    file as a whole). ``field``: the dotted name of the field ("products[0].models"), "" when not about one
    field. ``message``: what is wrong, written for a person; it already names the field when there is one.
    """

    message: str
    path: str = ""
    line: int | None = None
    kind: str = ""
    item: str = ""
    field: str = ""

    @property
    def where(self) -> str:
        """``path``, or ``path:line`` when the line is known."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    @property
    def subject(self) -> str:
        """How the message names what it is about: "item kettle", "rule anker-a1112", "" for the whole file."""
        return " ".join(p for p in (self.kind, self.item) if p)

    def __str__(self) -> str:
        parts = [p for p in (self.where, self.subject, self.message) if p]
        return terminal(": ".join(parts), limit=MAX_PROBLEM)  # ids and keys come from the file: one safe line

    def as_json(self) -> dict[str, Any]:
        """The fields as a JSON object (the file under "file"); absent ones are null (line) or ""."""
        return {
            "file": self.path,
            "line": self.line,
            "kind": self.kind,
            "item": self.item,
            "field": self.field,
            "message": self.message,
        }
