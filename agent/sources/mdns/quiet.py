"""When a one-shot mDNS browse may stop: the network has gone quiet, or the window is over.

A browse asks its first questions, hears answers, resolves what they name (which asks more) and may
learn service types to browse (which asks again). It is over when all of that has settled:

- every first question (for the types browsed at the start, and for each type the enumeration names) has
  had ``LATE_ANSWER`` to be answered: a slow device (asleep in Wi-Fi power save, busy) answers late, so
  a responder that answers a full second after the question is waited for. The 0.15 s beyond that second
  is for the machines' own lateness: the responder's timer, the packet's way and this program's reading
  of it all run late on a busy CPU (measured: the late answer reaches the browse 2-6 ms after its
  second at load 2-3, up to 30 ms at load 7). The clock starts when the question goes out: at once for a
  one-shot question (oneshot.py), which every responder answers by unicast whatever it multicast
  lately; up to ``FIRST_QUERY_DELAY`` after the browser starts when only the browser asks (RFC 6762
  5.2 lets a querier hold its first query back 20-120 ms, and python-zeroconf does). Without the
  one-shot question, a responder that multicast a record less than a second ago (for another querier,
  or the scan before) stays silent to the first multicast query and may be heard only after the
  browser's second query, a second after its first: the one-shot question is what keeps such a
  responder inside this time;
- the last answer or finished resolve is ``QUIET`` old: RFC 6762 6 has a responder hold back an answer
  that others may give too (a PTR record) by 20-120 ms, so the answers to one question reach us within
  120 ms of it, and within 100 ms of each other; after the last one heard, 120 ms covers the rest with
  20 ms to spare. (400-500 ms only after a truncated query, and a first query carries no known answers
  to truncate.) What an answer leads to is waited for by the other two rules: a type it names gets its
  own ``LATE_ANSWER``, a service it names is resolved;
- no resolve is still waiting for its answer; each waits at most ``RESOLVE_PATIENCE``, as long as a late
  responder's answer may take, and a service that never answers is kept by its name alone.

The window stays the bound: a browse never runs past it, however busy the network. Times are seconds on
one monotonic clock, given by the caller, so the rule is tested with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_QUERY_DELAY = 0.12  # the longest a new browser waits before its first query (RFC 6762 5.2)
LATE_ANSWER = 1.15  # a responder answering a full second after the question, with time to spare
QUIET = 0.12  # the longest a responder holds back a shared answer (RFC 6762 6)
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

    def asked(self, when: float) -> None:
        """A first question goes out at ``when`` (a browser's: up to ``FIRST_QUERY_DELAY`` after it starts)."""
        self.last_question = max(self.last_question, when)

    def heard(self, now: float) -> None:
        """A new name, an update or a finished resolve."""
        self.last_answer = max(self.last_answer, now)

    def ends_at(self) -> float:
        """When the browse ends if nothing more is heard and nothing is left to resolve."""
        settled = max(self.last_question + LATE_ANSWER, self.last_answer + QUIET)
        return min(settled, self.deadline)

    def over(self, now: float, resolving: int) -> bool:
        """Whether to stop at ``now`` with ``resolving`` resolves still waiting for their answers."""
        if now >= self.deadline:
            return True
        return resolving == 0 and now >= self.ends_at()
