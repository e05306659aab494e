"""findings.json carries only what the per-user notifier shows, and the notifier builds the same notice from it."""

from __future__ import annotations

import datetime as dt
import json

from helpers import rule

from agent.daemon.desktop_relay import notices_from_report
from agent.daemon.published import render_published
from agent.matching.finding import Finding
from agent.matching.matcher import RuleIndex
from agent.model import HandledStatus, Handling, Item, MdnsFacts
from agent.notify.notice import notice_for

KETTLE = rule(
    """
    [[products]]
    name = "Example Kettle"
    brands = ["Example"]
    models = ["KT-100"]
    """,
    rule_id="kettle-2024",
)
SECRETS = ("SN-PRIVATE-42", "behind the bread bin", "bought for Gran", "192.168.7.23", "kettle-host.local")
ALLOWED = {"item", "rule", "confidence", "to_check", "serial_lookup", "notify"}


def findings(*items: Item) -> list[Finding]:
    return RuleIndex([KETTLE]).match(list(items), dt.date(2024, 7, 1))


def test_only_what_the_notification_shows_is_published() -> None:
    kettle = Item(
        id="kettle",
        name="Kettle",
        brand="Example",
        model="KT-100",
        serial=SECRETS[0],
        location=SECRETS[1],
        notes=SECRETS[2],
        mdns=MdnsFacts(instance="Kettle", hostname=SECRETS[4], addresses=(SECRETS[3],)),
    )
    found = findings(kettle)
    text = render_published(found)
    for secret in SECRETS:
        assert secret not in text
    document = json.loads(text)
    [published] = document["findings"]
    assert set(published) == ALLOWED
    assert published["item"] == {"id": "kettle", "name": "Kettle", "model": "KT-100"}
    assert set(published["rule"]) == {"id", "title", "kind", "hazard", "hazards", "remedy", "check", "url"}
    [notice] = notices_from_report(document)
    own = notice_for(found[0])
    assert (notice.key, notice.title, notice.hazard, notice.remedy, notice.url, notice.confidence) == (
        own.key,
        own.title,
        own.hazard,
        own.remedy,
        own.url,
        own.confidence,
    )


def test_handled_findings_are_not_published() -> None:
    handled = Item(
        id="kettle",
        name="Kettle",
        brand="Example",
        model="KT-100",
        handled=(Handling(rule="kettle-2024", status=HandledStatus.RETURNED, date=dt.date(2024, 6, 7)),),
    )
    assert json.loads(render_published(findings(handled)))["findings"] == []
