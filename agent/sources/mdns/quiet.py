"""When a one-shot mDNS browse may stop: the network has gone quiet, or the window is over.

A browse asks its first questions, hears answers, resolves what they name (which asks more) and may
learn service types to browse (which asks again). It is over when all of that has settled:

- every question first asked (by a new browser) has had ``LATE_ANSWER`` to be answered: RFC 6762 lets a
  querier delay its first query by 20-120 ms (python-zeroconf does) and a responder delay a shared answer
  by 20-120 ms, or 400-500 ms after a truncated query, and a slow device (asleep in Wi-Fi power save,
  busy) answers later still, so a responder that answers a second late is waited for. A responder also
  multicasts a record at most once a second (RFC 6762 6.2): when another querier (or the previous scan)
  has just asked, it stays silent to our first query and answers only the querier's second one, which
  python-zeroconf sends a second after the first; with the answer delay and time to spare for a loaded
  machine that is 2 s;
- the last answer or finished resolve is ``QUIET`` old: answers to one query arrive spread over the
  responders' random delays, and an answer can make the browse ask again;
- no resolve is still waiting for its answer; each waits at most ``RESOLVE_PATIENCE``, as long as a late
  responder's answer may take, and a service that never answers is kept by its name alone.

The window stays the bound: a browse never runs past it, however busy the network. Times are seconds on
one monotonic clock, given by the caller, so the rule is tested with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_QUERY_DELAY = 0.12  # the longest a new browser waits before its first query (RFC 6762 5.2)
LATE_ANSWER = 2.0  # the answer to the second query, a second after the first, with time to spare
QUIET = 0.5  # the longest RFC 6762 lets a responder hold back an answer (section 6), 400-500 ms
RESOLVE_PATIENCE = LATE_ANSWER + QUIET


@dataclass(slots=True)
class Quiet:
    """The quiet-end rule for one browse that starts at ``start`` and may last ``window`` seconds."""

    start: float
    window: float
    last_question: float = 0.0
    last_answer: float = 0.0

    def __post_init__(self) -> None:
        self.last_question = self.last_answer = self.start

    @property
    def deadline(self) -> float:
        return self.start + self.window

    def asked(self, now: float) -> None:
        """A browser started: its first query goes out within ``FIRST_QUERY_DELAY``."""
        self.last_question = max(self.last_question, now)

    def heard(self, now: float) -> None:
        """A new name, an update or a finished resolve."""
        self.last_answer = max(self.last_answer, now)

    def ends_at(self) -> float:
        """When the browse ends if nothing more is heard and nothing is left to resolve."""
        settled = max(self.last_question + FIRST_QUERY_DELAY + LATE_ANSWER, self.last_answer + QUIET)
        return min(settled, self.deadline)

    def over(self, now: float, resolving: int) -> bool:
        """Whether to stop at ``now`` with ``resolving`` resolves still waiting for their answers."""
        if now >= self.deadline:
            return True
        return resolving == 0 and now >= self.ends_at()
