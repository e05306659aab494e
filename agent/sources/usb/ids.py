"""Vendor and product names for USB ids: the system's usb.ids plus a small table of the project's own.

usb.ids is large (about 25,000 lines), so it is read on the first look-up only and indexed by vendor;
the product lines of a vendor are searched when one of its products is asked for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from agent.model import UsbFacts
from agent.record import replace

log = logging.getLogger(__name__)

SYSTEM_PATHS = (
    Path("/usr/share/hwdata/usb.ids"),
    Path("/usr/share/misc/usb.ids"),
    Path("/usr/share/usb.ids"),
    Path("/var/lib/usbutils/usb.ids"),
)

# Vendors usb.ids lacks, keyed by four lower-case hex digits. usb.ids wins where it knows the vendor.
PROJECT_VENDORS: Mapping[str, str] = {
    "291a": "Anker Innovations Limited",
}
PROJECT_PRODUCTS: Mapping[tuple[str, str], str] = {}

_VENDOR_LINE = re.compile(r"^([0-9a-f]{4})  +(.*?)\s*$", re.MULTILINE)


class UsbIds:
    """Look-ups in the first usb.ids of ``paths`` that exists, then in the project's tables."""

    def __init__(
        self,
        paths: Sequence[Path] = SYSTEM_PATHS,
        vendors: Mapping[str, str] = PROJECT_VENDORS,
        products: Mapping[tuple[str, str], str] = PROJECT_PRODUCTS,
    ) -> None:
        self._paths = tuple(paths)
        self._own_vendors = vendors
        self._own_products = products
        self._text: str | None = None
        self._vendors: dict[str, tuple[str, int, int]] = {}  # id -> (name, start, end of its product block)
        self._products: dict[tuple[str, str], str] = {}

    @property
    def path(self) -> Path | None:
        """The usb.ids file in use, if any."""
        return next((p for p in self._paths if p.is_file()), None)

    def vendor_name(self, vendor_id: str) -> str:
        entry = self._index().get(vendor_id)
        return entry[0] if entry else self._own_vendors.get(vendor_id, "")

    def product_name(self, vendor_id: str, product_id: str) -> str:
        key = (vendor_id, product_id)
        if key not in self._products:
            self._products[key] = self._find_product(vendor_id, product_id)
        return self._products[key] or self._own_products.get(key, "")

    def named(self, facts: UsbFacts) -> UsbFacts:
        """``facts`` with vendor_name and product_name filled in where they are known."""
        return replace(
            facts,
            vendor_name=self.vendor_name(facts.vendor_id),
            product_name=self.product_name(facts.vendor_id, facts.product_id),
        )

    def _find_product(self, vendor_id: str, product_id: str) -> str:
        entry = self._index().get(vendor_id)
        if entry is None or self._text is None:
            return ""
        _, start, end = entry
        needle = f"\n\t{product_id}  "
        at = self._text.find(needle, start, end)
        if at < 0:
            return ""
        line_end = self._text.find("\n", at + 1)
        return self._text[at + len(needle) : line_end if line_end >= 0 else None].strip()

    def _index(self) -> dict[str, tuple[str, int, int]]:
        if self._text is None:
            self._text = self._read()
            matches = list(_VENDOR_LINE.finditer(self._text))
            ends = [m.start() for m in matches[1:]] + [len(self._text)] if matches else []
            for here, end in zip(matches, ends, strict=True):
                self._vendors.setdefault(here[1], (here[2], here.end(), end))
        return self._vendors

    def _read(self) -> str:
        path = self.path
        if path is None:
            return ""
        try:
            return path.read_bytes().decode("utf-8", errors="replace")
        except OSError as e:
            log.warning("cannot read %s: %s", path, e)
            return ""
