"""The recall feeds by the name the command line uses, built lazily."""

from __future__ import annotations

from agent.feeds.interface import Feed

FEEDS = ("cpsc", "healthcanada")


def feed(name: str) -> Feed:
    """The feed called ``name``; ValueError for a name that is not one."""
    if name == "cpsc":
        from agent.feeds.update import CpscFeed

        return CpscFeed()
    if name == "healthcanada":
        from agent.feeds.healthcanada import HealthCanadaFeed

        return HealthCanadaFeed()
    raise ValueError(f"unknown feed {name!r}; expected one of {', '.join(FEEDS)}")
