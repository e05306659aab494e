"""The one interface every device source implements."""

from __future__ import annotations

import abc
from collections.abc import Sequence

from agent.model import Observation
from agent.record import Record, field


class SourceResult(Record, kw_only=True):
    """What one source found. ``skipped`` carries the reason when the source could not run at all;
    ``warnings`` carries problems that cost some detail but not the whole source."""

    source: str
    observations: tuple[Observation, ...] = ()
    skipped: str = ""
    warnings: tuple[str, ...] = field(default=())


class SoFar(Record, kw_only=True):
    """How far a source working in the background has got (``DeviceSource.so_far``)."""

    version: int  # changes whenever what it found changes
    ends_at: float  # time.monotonic() at which it ends if it finds nothing more (sooner it cannot)


class DeviceSource(abc.ABC):
    """A place devices are found: the USB bus, the local network.

    ``collect`` never raises for an environment problem (no bus, no permission, no multicast): it
    returns a SourceResult with ``skipped`` set, and the scan goes on.
    """

    name: str = ""

    def start(self) -> bool:
        """Begin in the background what ``collect`` will return, if this source waits on something slow
        (the network); ``collect`` then waits for it. True when it runs in the background now; calling it
        again changes nothing. Most sources do nothing here."""
        return False

    def stop(self) -> None:  # noqa: B027 - a hook most sources leave empty
        """The service is stopping: a ``collect`` in progress that waits on something slow (the network)
        returns soon with what it has, and later ones return at once. Called from signal handlers, so it
        takes no lock (it sets a flag). Most sources do nothing here."""

    def so_far(self, seen: int, timeout: float) -> SoFar | None:
        """While what ``start`` began still runs: wait up to ``timeout`` seconds for what it has found to
        change from version ``seen``, and say how far it got. None once that work is over (``collect``
        then returns at once), or for a source that has none. Most sources return None."""
        return None

    def found_so_far(self) -> tuple[int, tuple[Observation, ...]]:
        """The version ``so_far`` names now and the observations ``collect`` would return if the work
        ended now. A scan drafts its inventory merge from them while it waits."""
        return 0, ()

    @abc.abstractmethod
    def collect(self) -> SourceResult: ...


def start_all(sources: Sequence[DeviceSource]) -> list[DeviceSource]:
    """Let every source that waits on the network begin now, so the waits overlap the rest of the work; the
    sources that run in the background."""
    started = []
    for source in sources:
        try:
            if source.start():
                started.append(source)
        except Exception:  # collect() runs it in the foreground instead
            import logging  # only here: a scan of files alone never logs

            logging.getLogger(__name__).exception("source %s could not start in the background", source.name)
    return started
