"""Fixtures of the feed tests: a recorded-response server on 127.0.0.1 and a fast downloader."""

from __future__ import annotations

from feeds.feedkit import fast_fetch, feed_server

__all__ = ["fast_fetch", "feed_server"]
