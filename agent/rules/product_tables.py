"""The tables inside one [[products]] entry of a rule: serial criteria, date windows, USB and mDNS matchers."""

from __future__ import annotations

from typing import Any

from agent import normalize
from agent.fields import Fields
from agent.rules.schema import DateWindow, MdnsMatcher, SerialCriteria, UsbMatcher


def serial(f: Fields | None) -> SerialCriteria | None:
    if f is None:
        return None
    criteria = SerialCriteria(
        prefixes=tuple(normalize.model_code(p) for p in f.texts("prefixes")),
        suffixes=tuple(normalize.model_code(p) for p in f.texts("suffixes")),
        exclude_suffixes=tuple(normalize.model_code(p) for p in f.texts("exclude_suffixes")),
        ranges=_ranges(f, "ranges"),
        prefix_ranges=_ranges(f, "prefix_ranges"),
        exact=tuple(normalize.model_code(p) for p in f.texts("exact")),
        contains=tuple(normalize.model_code(p) for p in f.texts("contains")),
        lengths=f.converted("lengths", _lengths) or (),
    )
    if not f.table:
        f.add(f"field '{f.prefix.rstrip('.')}': the serial table lists no criteria", f.prefix.rstrip("."))
    f.reject_unknown()
    return criteria


def _ranges(f: Fields, key: str) -> tuple[tuple[str, str], ...]:
    """Pairs of serials (or serial beginnings) of equal length, the first not after the second; serial
    ranges of plain numbers without a leading zero may grow in length ("9466976" to "10040916")."""
    ranges: list[tuple[str, str]] = []
    raw_ranges = f.converted(key, lambda v: v if isinstance(v, list) else _raise("expected a list of pairs"))
    for index, pair in enumerate(raw_ranges or []):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair)):
            f.bad(f"{key}[{index}]", 'expected a pair of serials like ["AB0100", "AB0199"]')
            continue
        lo, hi = (normalize.model_code(p) for p in pair)
        numbered = key == "ranges" and lo.isdigit() and hi.isdigit() and lo[:1] != "0"  # 9466976 to 10040916
        if len(lo) != len(hi) and not numbered:
            f.bad(f"{key}[{index}]", f"the ends {pair[0]!r} and {pair[1]!r} differ in length")
        elif (int(lo) > int(hi)) if numbered else lo > hi:
            f.bad(f"{key}[{index}]", f"the range starts after it ends ({pair[0]!r} > {pair[1]!r})")
        else:
            ranges.append((lo, hi))
    return tuple(ranges)


def _lengths(value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value):
        raise ValueError("expected a list of positive whole numbers")
    return tuple(value)


def window(f: Fields | None) -> DateWindow | None:
    if f is None:
        return None
    start, end = f.date("from"), f.date("to")
    f.reject_unknown()
    if start is None and end is None:
        f.add(f"field '{f.prefix.rstrip('.')}': give 'from', 'to' or both", f.prefix.rstrip("."))
        return None
    if start and end and start.first > end.last:
        f.bad("from", f"the window starts ({start}) after it ends ({end})")
    return DateWindow(start, end)


def usb(f: Fields) -> UsbMatcher | None:
    vendor = f.converted("vendor_id", normalize.hex_id)
    if "vendor_id" not in f.table:
        f.add(f"missing required field '{f.prefix}vendor_id'", f"{f.prefix}vendor_id")
    product = f.converted("product_id", normalize.hex_id) or ""
    matcher = UsbMatcher(
        vendor_id=vendor or "",
        product_id=product,
        manufacturer=f.text("manufacturer"),
        product=f.text("product"),
        serial=f.text("serial"),
        serial_is_label=f.flag("serial_is_label"),
    )
    f.reject_unknown()
    return matcher if vendor else None


def mdns(f: Fields) -> MdnsMatcher:
    txt_table = f.table_of("txt")
    txt: list[tuple[str, str]] = []
    if txt_table is not None:
        for key, value in txt_table.table.items():
            if not isinstance(value, str):
                txt_table.bad(key, "expected a string glob")
            else:
                txt.append((key.lower(), value))
    matcher = MdnsMatcher(
        service=f.text("service"),
        instance=f.text("instance"),
        txt=tuple(txt),
        model=f.text("model"),
        manufacturer=f.text("manufacturer"),
    )
    if matcher == MdnsMatcher():
        f.add(
            f"field '{f.prefix.rstrip('.')}': an mdns block needs at least one field",
            f.prefix.rstrip("."),
        )
    f.reject_unknown()
    return matcher


def _raise(message: str) -> Any:
    raise ValueError(message)
