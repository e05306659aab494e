"""Notices the notifier tests show: the seed recall, a likely finding, and one full of hostile device strings."""

from __future__ import annotations

from agent.notify.notice import Notice

ANKER = Notice(
    item_id="anker-a1112",
    item_name="Anker 321 Power Bank",
    rule_id="anker-2025-a1112",
    title="Anker recalls PowerCore 5K power banks",
    hazard="A defect in some lithium-ion cells lets the power bank overheat; the shell can melt and catch fire.",
    remedy="Stop using and charging it. Register the serial number on Anker's recall form at anker.com/a1112.",
    url="https://www.anker.com/a1112-recall",
    hazards=("fire", "burn"),
    confidence="confirmed",
    model="A1112",
)
LIKELY = Notice(
    item_id="big-bank",
    item_name="Anker PowerCore 10000",
    rule_id="anker-2025-a1263",
    title="Anker PowerCore 10000 recalled (qualifying serial numbers)",
    hazard="The lithium-ion battery can overheat, melting the plastic case and causing smoke, fire or an explosion.",
    remedy="Stop using it and check the serial number at anker.com/product-recalls.",
    url="https://www.cpsc.gov/Recalls/2025/anker-a1263",
    hazards=("fire", "burn", "explosion"),
    confidence="likely",
    model="A1263",
    check="The label on the bottom reads 'Model: A1263', with the serial number after 'SN'.",
    to_check=(
        "whether the serial number is affected: only some are; enter it at https://www.anker.com/product-recalls",
    ),
    checker="https://www.anker.com/product-recalls",
)
HOSTILE = Notice(
    item_id="usb-1234",
    item_name="Evil <b>Hub</b> & \x1b[31mred\x1b[0m \u202etxt.exe\u202c\x07",
    rule_id="r1",
    title="Hub <i>recall</i>",
    hazard="Chips & <span>wires</span> may <overheat>",
    remedy="Unplug\x00 it",
    url="https://example.org/?a=1&b=2",
    hazards=("chemical",),
    confidence="likely",
    check="Serial starts with <X>",
    to_check=("the serial number on the label (affected: starting <X> & <Y>)",),
)
