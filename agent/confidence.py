"""How sure a finding is: the one vocabulary every layer uses (matching, reports, notices, the daemon's state).

Members are ordered (``LIKELY > POSSIBLE``); ``label`` is the word written in reports, notices and state
files, and ``Confidence.of`` reads it back.
"""

from __future__ import annotations

from enum import IntEnum


class Confidence(IntEnum):
    POSSIBLE = 1  # weak evidence: name words, a USB vendor id or a generic bridge chip. Never notified.
    LIKELY = 2  # the product matches, but something on the label must be checked
    CONFIRMED = 3  # every criterion of the notice is known and satisfied

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def of(cls, label: str) -> Confidence | None:
        """The member a label names; None for a word that is not one (an old or damaged file)."""
        return cls.__members__.get(label.upper()) if label.islower() else None


def stronger(label: str, than: str) -> bool:
    """Whether ``label`` is more certain than ``than``; an unknown label counts as the weakest."""
    return _rank(label) > _rank(than)


def _rank(label: str) -> int:
    found = Confidence.of(label)
    return 0 if found is None else int(found)
