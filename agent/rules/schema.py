"""Recall rules as validated, normalised records. The file format is documented in rules/README.md."""

from __future__ import annotations

from agent.dates import PartialDate
from agent.record import Record

KINDS = ("recall", "warning")
ISSUER_TYPES = ("manufacturer", "agency", "retailer")
HAZARDS = (
    "fire",
    "burn",
    "shock",
    "explosion",
    "chemical",
    "choking",
    "laceration",
    "fall",
    "injury",
    "strangulation",
    "entrapment",
    "poisoning",
    "carbon-monoxide",
    "other",
)
URGENT_HAZARDS = frozenset({"fire", "burn", "shock", "explosion"})
CERTAINTIES = ("exact", "extracted")


class SerialCriteria(Record, kw_only=True):
    """Serial numbers printed on the label. A serial passes if it satisfies any listed form."""

    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    ranges: tuple[tuple[str, str], ...] = ()
    exact: tuple[str, ...] = ()
    lengths: tuple[int, ...] = ()  # lengths alone narrow: "only units with a 16-digit serial"
    exclude_suffixes: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()  # "serial numbers containing 15914 as the fifth code"
    prefix_ranges: tuple[tuple[str, str], ...] = ()  # "the first six digits between 202408 and 202501"


class DateWindow(Record):
    start: PartialDate | None
    end: PartialDate | None

    def __str__(self) -> str:
        return f"{self.start or 'any time'} to {self.end or 'now'}"


class UsbMatcher(Record, kw_only=True):
    """A USB identity. Strings are globs (``*PowerConf S3*``) compared case-insensitively."""

    vendor_id: str
    product_id: str = ""
    manufacturer: str = ""
    product: str = ""
    serial: str = ""  # a glob on the descriptor serial
    serial_is_label: bool = False  # the descriptor serial equals the label serial for this product


class MdnsMatcher(Record, kw_only=True):
    """An mDNS/DNS-SD identity: service type, instance-name glob, TXT globs, model and manufacturer globs."""

    service: str = ""
    instance: str = ""
    txt: tuple[tuple[str, str], ...] = ()
    model: str = ""
    manufacturer: str = ""


class Product(Record, kw_only=True):
    """One product a notice covers. Identifiers say which product; criteria narrow which units."""

    name: str
    brands: tuple[str, ...]  # as written
    brand_keys: frozenset[str]  # normalised
    models: tuple[str, ...]  # as written
    model_keys: frozenset[str]  # normalised exact codes
    model_prefixes: tuple[str, ...]  # normalised, from entries written with a trailing "*"
    names: tuple[tuple[str, ...], ...]  # product-name phrases as word tuples
    upcs: frozenset[str] = frozenset()
    retailer_ids: frozenset[str] = frozenset()
    usb: tuple[UsbMatcher, ...] = ()
    mdns: tuple[MdnsMatcher, ...] = ()
    serial: SerialCriteria | None = None
    manufactured: DateWindow | None = None
    sold: DateWindow | None = None
    codes: frozenset[str] = frozenset()  # normalised batch or date codes
    no_code_included: bool = False
    colors: frozenset[str] = frozenset()
    serial_lookup: str = ""  # the firm's serial checker, when only it knows which serials are affected
    units: int | None = None


class Reference(Record, kw_only=True):
    issuer: str
    reference: str = ""
    url: str = ""


class Rule(Record, kw_only=True):
    id: str
    title: str
    kind: str
    issuer: str
    issuer_type: str
    reference: str
    published: PartialDate
    url: str
    hazard: str
    hazards: tuple[str, ...]
    remedy: str
    check: str
    products: tuple[Product, ...]
    also: tuple[Reference, ...] = ()
    certainty: str = "exact"
    category: str = ""  # e.g. "electronics"; feeds mark other records so they don't crowd reports
    path: str = ""
    origin: str = "shipped"  # shipped, system, user, extra, feed

    @property
    def urgent(self) -> bool:
        return bool(URGENT_HAZARDS.intersection(self.hazards))
