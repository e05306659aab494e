"""Narrowing criteria of a notice, each checked against what is known about one item.

Each check returns None when the criterion does not apply, or a Verdict: passed, failed, or unknown
with the words that tell a person what to look at.
"""

from __future__ import annotations

from agent import normalize
from agent.dates import PartialDate, within
from agent.model import Item
from agent.record import Record
from agent.rules.schema import DateWindow, Product, SerialCriteria


class Verdict(Record):
    passed: bool | None  # None: cannot be checked from what is known
    text: str  # evidence when passed, the reason when failed, what to check when unknown


def label_serial(item: Item, product: Product) -> str:
    """The serial printed on the label; a USB descriptor serial counts only where the rule says so."""
    if item.serial:
        return item.serial
    if item.usb and item.usb.serial and any(m.serial_is_label for m in product.usb):
        return item.usb.serial
    return ""


def describe_serial(criteria: SerialCriteria) -> str:
    parts = []
    if criteria.prefixes:
        parts.append("starting with " + " or ".join(criteria.prefixes))
    if criteria.suffixes:
        parts.append("ending in " + " or ".join(criteria.suffixes))
    if criteria.ranges:
        parts.append("from " + ", ".join(f"{lo} to {hi}" for lo, hi in criteria.ranges))
    if criteria.prefix_ranges:
        parts.append("starting with " + ", ".join(f"{lo} to {hi}" for lo, hi in criteria.prefix_ranges))
    if criteria.contains:
        parts.append("containing " + " or ".join(criteria.contains))
    if criteria.exact:
        parts.append("listed: " + ", ".join(criteria.exact[:8]) + (" ..." if len(criteria.exact) > 8 else ""))
    if criteria.lengths:
        parts.append(" or ".join(str(n) for n in criteria.lengths) + " characters long")
    if criteria.exclude_suffixes:
        parts.append("not ending in " + " or ".join(criteria.exclude_suffixes))
    return "; ".join(parts)


def serial_ok(serial: str, criteria: SerialCriteria) -> bool:
    code = normalize.model_code(serial)
    if criteria.lengths and len(code) not in criteria.lengths:
        return False
    if any(code.endswith(s) for s in criteria.exclude_suffixes):
        return False
    forms = (
        criteria.prefixes
        or criteria.suffixes
        or criteria.ranges
        or criteria.exact
        or criteria.contains
        or criteria.prefix_ranges
    )
    if not forms:
        return True
    return (
        any(code.startswith(p) for p in criteria.prefixes)
        or any(code.endswith(s) for s in criteria.suffixes)
        or any(_in_range(code, lo, hi) for lo, hi in criteria.ranges)
        or code in criteria.exact
        or any(part in code for part in criteria.contains)
        or any(lo <= code[: len(lo)] <= hi for lo, hi in criteria.prefix_ranges)
    )


def _in_range(code: str, lo: str, hi: str) -> bool:
    """Compared at equal length; numbered serials whose ends differ in length ("9466976" to "10040916") as
    numbers, for a serial of plain digits without a leading zero."""
    if len(lo) == len(hi):
        return len(code) == len(lo) and lo <= code <= hi
    return code.isdigit() and code[:1] != "0" and int(lo) <= int(code) <= int(hi)


def check_serial(item: Item, product: Product) -> Verdict | None:
    if product.serial is None:
        return None
    wanted = describe_serial(product.serial)
    serial = label_serial(item, product)
    if not serial:
        return Verdict(None, f"the serial number on the label (affected: {wanted})")
    if serial_ok(serial, product.serial):
        return Verdict(True, f"serial {serial} is affected ({wanted})")
    return Verdict(False, f"serial {serial} is not affected ({wanted})")


def _check_window(
    value: PartialDate | None, window: DateWindow | None, *, known: str, unknown: str, verb: str, item_verb: str
) -> Verdict | None:
    """A date against an inclusive window: inside passes, outside fails, straddling an edge stays unknown."""
    if window is None:
        return None
    if value is None:
        return Verdict(None, f"{unknown} (affected: {verb} {window})")
    inside = within(value, window.start, window.end)
    if inside is None:
        return Verdict(None, f"the exact {known} date: {value} overlaps the edge of {window}")
    return Verdict(inside, f"{item_verb} {value}, {'inside' if inside else 'outside'} the window {window}")


def check_manufactured(item: Item, product: Product) -> Verdict | None:
    return _check_window(
        item.manufactured,
        product.manufactured,
        known="production",
        unknown="the production date on the unit or its box",
        verb="made",
        item_verb="made",
    )


def check_sold(item: Item, product: Product) -> Verdict | None:
    return _check_window(
        item.purchased, product.sold, known="purchase", unknown="when it was bought", verb="sold", item_verb="bought"
    )


def check_code(item: Item, product: Product) -> Verdict | None:
    if not product.codes:
        return None
    listed = ", ".join(sorted(product.codes)[:10]) + (" ..." if len(product.codes) > 10 else "")
    no_code = " (a unit with no code is included)" if product.no_code_included else ""
    if not item.code:
        return Verdict(None, f"the batch or date code printed on the unit (affected: {listed}){no_code}")
    if normalize.fold(item.code) == "none":
        if product.no_code_included:
            return Verdict(True, "no code is printed, and units without a code are included")
        return Verdict(False, "no code is printed, and only units with a listed code are affected")
    if normalize.model_code(item.code) in product.codes:
        return Verdict(True, f"code {item.code} is listed")
    return Verdict(False, f"code {item.code} is not listed ({listed})")


def check_color(item: Item, product: Product) -> Verdict | None:
    if not product.colors:
        return None
    listed = ", ".join(sorted(product.colors))
    if not item.color:
        return Verdict(None, f"the colour of the unit (affected: {listed})")
    color_words = set(normalize.words(item.color))
    if normalize.fold(item.color) in product.colors or color_words & product.colors:
        return Verdict(True, f"colour {item.color} is affected")
    return Verdict(False, f"colour {item.color} is not affected ({listed})")


def check_lookup(item: Item, product: Product) -> Verdict | None:
    """Only the firm knows which serials are affected: never more than likely, and say where to ask."""
    if not product.serial_lookup:
        return None
    serial = label_serial(item, product)
    what = f"serial {serial}" if serial else "the serial number on the label"
    return Verdict(None, f"whether {what} is affected: only some are; enter it at {product.serial_lookup}")


CHECKS = (check_serial, check_manufactured, check_sold, check_code, check_color, check_lookup)
