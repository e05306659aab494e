"""What a person can answer to a finding, and what each answer records.

One vocabulary for every front end that offers choices (desktop notifications, the per-user notifier,
and any outlet that can carry buttons). Each answer says honestly what it means: "Done: returned" records
that the unit went back, "Not affected" records that the label was checked and the unit is not included,
and "Remind me later" records nothing in the inventory. Action keys are the inventory's handled statuses
where an answer records one, so they can be passed straight to the acknowledgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent import datetimes as dt
from agent.confidence import Confidence

CONFIRMED = Confidence.CONFIRMED.label

REMIND_LATER = dt.timedelta(days=1)  # how long "Remind me later" keeps a finding quiet


@dataclass(frozen=True, slots=True)
class Action:
    """One answer. ``records`` is the handled status it stores; ``opens`` is "notice" or "checker"."""

    key: str
    label: str
    records: str = ""
    opens: str = ""
    snooze: bool = False

    @property
    def settles(self) -> bool:
        """The notification has done its job once this answer is taken: close it."""
        return bool(self.records) or self.snooze


DEFAULT = Action("default", "Open the notice", opens="notice")  # clicking the notification itself
WHAT_TO_DO = Action("open", "What to do", opens="notice")
RETURNED = Action("returned", "Done: returned", records="returned")
DISPOSED = Action("disposed", "Done: disposed", records="disposed")
REPAIRED = Action("repaired", "Done: repaired", records="repaired")
CHECK_UNIT = Action("check", "Check my unit", opens="checker")
NOT_AFFECTED = Action("checked", "Not affected", records="checked")
LATER = Action("later", "Remind me later", snooze=True)

CONFIRMED_ACTIONS = (WHAT_TO_DO, RETURNED, DISPOSED, REPAIRED, LATER)
LIKELY_ACTIONS = (CHECK_UNIT, NOT_AFFECTED, LATER)
ALL = {a.key: a for a in (DEFAULT, *CONFIRMED_ACTIONS, *LIKELY_ACTIONS)}


def actions_for(confidence: str, *, url: str = "", checker: str = "") -> tuple[Action, ...]:
    """The answers offered for a finding of ``confidence``; those that open a page need a page to open."""
    offered = CONFIRMED_ACTIONS if confidence == CONFIRMED else LIKELY_ACTIONS
    pages = {"notice": url, "checker": checker or url}
    chosen = [a for a in offered if not a.opens or pages[a.opens]]
    return (DEFAULT, *chosen) if url else tuple(chosen)


def find(key: str) -> Action | None:
    return ALL.get(key)


def confirmation(action: Action) -> str:
    """What a person is told after taking ``action`` (shown briefly where the server allows)."""
    if action.snooze:
        return "You will be reminded tomorrow."
    if action.records == "checked":
        return "Recorded as not affected."
    return f"Recorded as {action.records}." if action.records else ""
