"""Notices the notifier tests show: the seed recall, and one full of hostile device strings."""

from __future__ import annotations

from agent.notify import Notice

ANKER = Notice(
    item_id="anker-a1112",
    item_name="Anker 321 Power Bank (PowerCore 5K)",
    rule_id="anker-2025-a1112",
    title="Anker recalls PowerCore 5K power banks",
    hazard="The battery can overheat and catch fire.",
    remedy="Stop using it and request a replacement from Anker.",
    url="https://www.anker.com/a1112-recall",
    urgent=True,
    confidence="confirmed",
)
HOSTILE = Notice(
    item_id="usb-1234",
    item_name="Evil <b>Hub</b> & \x1b[31mred\x1b[0m \u202etxt.exe\u202c\x07",
    rule_id="r1",
    title="Hub <i>recall</i>",
    hazard="Chips & <span>wires</span> may <overheat>",
    remedy="Unplug\x00 it",
    url="https://example.org/?a=1&b=2",
    urgent=False,
    confidence="likely",
    check="Serial starts with <X>",
)
