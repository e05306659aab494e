"""Recall feeds turned into rule files: the US CPSC Recalls API and Health Canada's open data.

Every feed implements ``agent.feeds.interface.Feed`` (fetch, read a saved copy, convert one notice) and
goes through that module's ``update`` and ``import_file``, which validate each converted rule with the
rule loader and store the cache; ``agent.feeds.registry`` names them (``update`` holds the CPSC feed,
``healthcanada`` Health Canada's). Each returns an ``UpdateResult``; a failed download is a result with
a warning, never an exception.
"""

from __future__ import annotations

from agent.errors import RecallAgentError
from agent.tomlio import read_at_most

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath


class FeedError(RecallAgentError):
    """A feed cannot be downloaded, parsed or converted."""


def read_capped(path: StrPath, limit: int) -> bytes:
    """A saved feed file of at most ``limit`` bytes; a larger one is refused without being read whole."""
    try:
        with open(path, "rb") as handle:
            raw = read_at_most(handle, limit)
    except OSError as e:
        raise FeedError(f"{path}: cannot read: {e.strerror}") from e
    if len(raw) > limit:
        raise FeedError(f"{path}: larger than {limit // 1_000_000} MB; refusing to load it")
    return raw
