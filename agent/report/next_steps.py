"""What a person can do about a finding, as commands they can copy."""

from __future__ import annotations

from agent.confidence import Confidence
from agent.matching.criteria import label_serial
from agent.matching.finding import Finding
from agent.model import Item
from agent.record import Record
from agent.rules.schema import Product

PROGRAM = "recall-agent"


class Step(Record):
    """One thing to do: a sentence, and the commands that do it."""

    text: str
    commands: tuple[str, ...] = ()


def missing_options(item: Item, product: Product, to_check: tuple[str, ...]) -> list[str]:
    """The `inventory edit` options whose values would settle the finding, in the order a label shows them."""
    options = []
    if to_check and to_check[0].startswith("the brand") and not item.brand:
        options.append("--brand")
    if product.serial is not None and not label_serial(item, product):
        options.append("--serial")
    if product.manufactured and (item.manufactured is None or not item.manufactured.day):
        options.append("--manufactured")
    if product.sold and (item.purchased is None or not item.purchased.day):
        options.append("--purchased")
    if product.codes and not item.code:
        options.append("--code")
    if product.colors and not item.color:
        options.append("--color")
    return options


_PLACEHOLDER = {
    "--brand": "BRAND",
    "--model": "MODEL",
    "--serial": "SERIAL",
    "--manufactured": "YYYY-MM-DD",
    "--purchased": "YYYY-MM-DD",
    "--code": "CODE",
    "--color": "COLOUR",
}


def _ack(finding: Finding, status: str) -> str:
    return f"{PROGRAM} ack {finding.item.id} {finding.rule.id} --as {status}"


def _edit(item: Item, options: list[str]) -> str:
    return f"{PROGRAM} inventory edit {item.id} " + " ".join(f"{o} {_PLACEHOLDER[o]}" for o in options)


def steps(finding: Finding) -> list[Step]:
    item, rule, product = finding.item, finding.rule, finding.product
    if finding.handled:
        return [Step("To count it again:", (f"{PROGRAM} ack {item.id} {rule.id} --forget",))]
    if finding.confidence is Confidence.POSSIBLE:
        out = []
        if not item.model:
            out.append(Step("Add the model number from the label, then scan again:", (_edit(item, ["--model"]),)))
        out.append(Step("If it is not this product:", (_ack(finding, "checked"),)))
        return out
    done = _ack(finding, "returned")
    if finding.confidence is Confidence.CONFIRMED:
        return [Step("Once it is dealt with, record how (--as returned, disposed or repaired):", (done,))]
    out = []
    options = missing_options(item, product, finding.to_check)
    if options:
        out.append(Step("Copy these from the label, then scan again:", (_edit(item, options),)))
    first = "Only the maker's checker can tell. If" if product.serial_lookup else "If"
    text = f"{first} it is not affected, or once it is returned (or disposed, repaired):"
    out.append(Step(text, (_ack(finding, "checked"), done)))
    return out
