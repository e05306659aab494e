"""tomlkit edits that keep what a person wrote: the comment lines at the end of a table stay where they are.

tomlkit files the comments above a table header under the table before it, so deleting or replacing that
table would take with it what the person wrote about the next item.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:  # tomlkit is imported only by commands that edit, to keep read-only start-up fast
    from tomlkit.items import Table


def delete_keeping_comments(table: Table, key: str) -> None:
    """``del table[key]``, but comment lines at the end of a deleted table stay where they were.

    tomlkit files the comments above a table header under the table before it; deleting that table would
    take with it what the person wrote about the next item.
    """
    from tomlkit.items import Whitespace

    body = table.value.body
    trails = [
        (index, _trailing_comments(item))
        for index, (name, item) in enumerate(body)
        if name is not None and name.key == key
    ]
    del table[key]
    for index, trail in trails:  # the deleted entries are left as placeholders at the same indices
        if trail:
            body[index] = (None, Whitespace(trail))


def replace_keeping_comments(table: Table, key: str, value: object) -> None:
    """``table[key] = value`` that keeps the comment lines at the end of the table it replaces."""
    from tomlkit.items import Table, Whitespace

    old = table.get(key)
    trail = _trailing_comments(old)
    table[key] = value
    new = table.get(key)
    if trail and isinstance(new, Table):
        new.value.append(None, Whitespace(trail))


def _trailing_comments(item: object) -> str:
    """The comment lines (and blank lines among them) after the last field of a table or its last sub-table."""
    from tomlkit.items import AoT, Comment, Null, Table, Whitespace

    if isinstance(item, AoT):
        return _trailing_comments(item.body[-1]) if item.body else ""
    if not isinstance(item, Table):
        return ""
    body = item.value.body
    start = len(body)
    while start > 0 and body[start - 1][0] is None and isinstance(body[start - 1][1], (Comment, Whitespace, Null)):
        start -= 1
    if start == len(body) and body and isinstance(body[-1][1], (Table, AoT)):
        return _trailing_comments(body[-1][1])
    trail = "".join(entry.as_string() for _, entry in body[start:])
    return trail if "#" in trail else ""
