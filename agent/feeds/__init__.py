"""Recall feeds turned into rule files: the US CPSC Recalls API and Health Canada's open data.

Entry points for the command line:

- ``agent.feeds.update.update(cache_dir, since=None)``: fetch new and changed CPSC recalls into the cache.
- ``agent.feeds.update.import_file(path, cache_dir)``: the same from a saved CPSC API response.
- ``agent.feeds.healthcanada.update(cache_dir)`` and ``agent.feeds.healthcanada.import_file(path, cache_dir)``.

Each returns an ``UpdateResult``; a failed download is a result with a warning, never an exception.
"""

from __future__ import annotations

from agent.errors import RecallAgentError


class FeedError(RecallAgentError):
    """A feed cannot be downloaded, parsed or converted."""
