"""The one way a person's answer to a finding is recorded, whichever front end took it.

`recall-agent ack`, the daemon's "Mark handled" desktop action and any later outlet that takes answers
(MQTT) all call ``record`` (or ``forget``): the item must exist in the inventory, the rule among the
loaded rules, ``until`` only goes with "ignored", and the answer is written to the item's
``[items.<id>.handled.<rule>]`` table, keeping everything else in the file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent import datetimes as dt
from agent.dates import parse_partial_date
from agent.errors import UsageError
from agent.model import HandledStatus, Item
from agent.rules.load import RuleSet

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath


class AckError(UsageError):
    """The answer cannot be recorded as asked (an unknown rule, ``until`` without "ignored", a bad date)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Ack:
    """A person's answer to the finding (``item``, ``rule``). ``until`` is a date as people write it."""

    item: str
    rule: str
    status: HandledStatus
    until: str = ""
    reason: str = ""


def record(inventory: StrPath, rules: RuleSet, ack: Ack, *, today: dt.date | None = None) -> None:
    """Check ``ack`` against the inventory and the rules, then write it. Raises a RecallAgentError if it cannot."""
    from agent.inventory import store

    item = store.load(inventory).get(ack.item)  # names the item that does not exist
    today = today or store.today()
    values: dict[str, object] = {"status": ack.status.value, "date": today}
    if ack.until:
        values["until"] = _until(ack.until, ack.status, today)
    if ack.reason:
        values["reason"] = ack.reason
    _check_applies(ack, item, rules, today)
    store.set_handled(inventory, ack.item, ack.rule, values)


def forget(inventory: StrPath, item: str, rule: str) -> None:
    """Remove the recorded answer to (``item``, ``rule``); the item must exist and have one."""
    from agent.inventory import store

    if store.load(inventory).get(item).handling_for(rule) is None:
        raise AckError(f"{item} has no record for rule {rule!r}: nothing to forget")
    store.set_handled(inventory, item, rule, None)


def _until(text: str, status: HandledStatus, today: dt.date) -> dt.date:
    if status is not HandledStatus.IGNORED:
        raise AckError("--until only goes with --as ignored")
    try:
        until = parse_partial_date(text).last
    except ValueError as e:
        raise AckError(f"--until: {e}") from e
    if until < today:
        raise AckError(f"--until {text}: that date has passed (today is {today})")
    return until


def _check_applies(ack: Ack, item: Item, rules: RuleSet, today: dt.date) -> None:
    """The rule must exist and match the item; "checked" (not affected) cannot answer a confirmed finding."""
    from agent.confidence import Confidence
    from agent.matching.matcher import RuleIndex

    rule = rules.get(ack.rule)
    if rule is None:
        raise AckError(f"no rule with id {ack.rule!r} (see `recall-agent rules list`)")
    findings = [f for f in RuleIndex([rule]).match([item], today) if f.item.id == item.id]
    if not findings:
        raise AckError(f"rule {ack.rule} does not apply to {ack.item} (see `recall-agent scan` for the rules that do)")
    if ack.status is HandledStatus.CHECKED and findings[0].confidence is Confidence.CONFIRMED:
        raise AckError(
            f"{ack.item} is confirmed affected by {ack.rule}, so it cannot be checked as not affected; "
            "correct what the label says with `recall-agent inventory edit`, or use --as returned, disposed or repaired"
        )
