"""Does an item look like the product a notice covers, and how strongly?"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from agent import normalize
from agent.model import Item, MdnsFacts, UsbFacts
from agent.rules.schema import MdnsMatcher, Product, UsbMatcher

# USB-to-serial and similar bridge chips sit inside thousands of unrelated products.
GENERIC_USB = frozenset(
    {
        ("10c4", "ea60"),
        ("10c4", "ea70"),
        ("10c4", "ea71"),  # Silicon Labs CP210x
        ("0403", "6001"),
        ("0403", "6010"),
        ("0403", "6011"),
        ("0403", "6014"),
        ("0403", "6015"),  # FTDI
        ("1a86", "7523"),
        ("1a86", "5523"),
        ("1a86", "55d4"),  # WCH CH340 / CH341 / CH9102
        ("067b", "2303"),
        ("067b", "23a3"),  # Prolific PL2303
        ("0557", "2008"),  # ATEN UC-232A (PL2303 inside)
        ("05e3", "0608"),
        ("05e3", "0610"),  # Genesys Logic hubs
        ("1a40", "0101"),  # Terminus FE 1.1 hub
        ("0bda", "5411"),
        ("0bda", "0411"),  # Realtek hubs
        ("2109", "2813"),
        ("2109", "0813"),  # VIA Labs hubs
    }
)


@dataclass(frozen=True, slots=True)
class Identification:
    strong: bool  # strong enough for likely or confirmed
    evidence: str
    brand_known: bool = True  # False: matched by model only, the brand must still be checked


def glob(pattern: str, value: str) -> bool:
    return not pattern or fnmatchcase(normalize.fold(value), normalize.fold(pattern))


def item_models(item: Item) -> tuple[str, ...]:
    """Model codes known for the item: the one typed in, else what the device announced."""
    if item.model:
        return (normalize.model_code(item.model),)
    if item.mdns and item.mdns.model:
        return (normalize.model_code(item.mdns.model),)
    if item.homeassistant:  # HA's model is often a marketing name; model_id the code on the label
        ha = item.homeassistant
        return tuple(dict.fromkeys(normalize.model_code(m) for m in (ha.model_id, ha.model) if m))
    return ()


def item_brands(item: Item) -> frozenset[str]:
    if item.brand:
        return frozenset({normalize.brand(item.brand)})
    found = set()
    if item.usb:
        found |= {normalize.brand(s) for s in (item.usb.manufacturer, item.usb.vendor_name) if s}
    if item.mdns and item.mdns.manufacturer:
        found.add(normalize.brand(item.mdns.manufacturer))
    if item.homeassistant and item.homeassistant.manufacturer:
        found.add(normalize.brand(item.homeassistant.manufacturer))
    return frozenset(b for b in found if b)


def _announced_model(item: Item) -> str:
    if item.mdns and item.mdns.model:
        return item.mdns.model
    if item.homeassistant:
        return item.homeassistant.model_id or item.homeassistant.model
    return ""


def model_matches(code: str, product: Product) -> bool:
    return code in product.model_keys or any(code.startswith(p) for p in product.model_prefixes)


def usb_match(usb: UsbFacts, matcher: UsbMatcher) -> Identification | None:
    if usb.vendor_id != matcher.vendor_id:
        return None
    if matcher.product_id and usb.product_id != matcher.product_id:
        return None
    if not (
        glob(matcher.manufacturer, usb.manufacturer)
        and glob(matcher.product, usb.product)
        and glob(matcher.serial, usb.serial)
    ):
        return None
    ids = f"{usb.vendor_id}:{usb.product_id}"
    if (usb.vendor_id, usb.product_id) in GENERIC_USB:
        return Identification(False, f"USB id {ids} is a generic chip used in many products")
    if matcher.product_id or matcher.product or matcher.serial:
        said = f" ({usb.product})" if matcher.product and usb.product else ""
        return Identification(True, f"USB device {ids}{said} matches")
    return Identification(False, f"USB vendor id {usb.vendor_id} matches, but nothing more specific")


def mdns_match(mdns: MdnsFacts, matcher: MdnsMatcher) -> Identification | None:
    if matcher.service and matcher.service.rstrip(".").removesuffix(".local") not in {
        s.rstrip(".").removesuffix(".local") for s in mdns.services
    }:
        return None
    if not (
        glob(matcher.instance, mdns.instance)
        and glob(matcher.model, mdns.model)
        and glob(matcher.manufacturer, mdns.manufacturer)
    ):
        return None
    for key, pattern in matcher.txt:
        value = mdns.txt_value(key)
        if value is None or not glob(pattern, value):
            return None
    strong = bool(matcher.model or matcher.txt or matcher.instance)
    what = mdns.model or mdns.instance or mdns.hostname
    return Identification(strong, f"network device {what!r} announces a matching identity")


def identify(item: Item, product: Product) -> Identification | None:
    """The strongest identification of ``item`` as ``product``, or None."""
    best: Identification | None = None
    brands = item_brands(item)
    brand_ok = not brands or not product.brand_keys or bool(brands & product.brand_keys)
    models = item_models(item)
    if item.upc and normalize.digits(item.upc) in product.upcs:
        return Identification(True, f"UPC {item.upc} is listed")
    if item.retailer_id and normalize.model_code(item.retailer_id) in product.retailer_ids:
        return Identification(True, f"retailer product id {item.retailer_id} is listed")
    if models and brand_ok and any(model_matches(m, product) for m in models):
        model = item.model or _announced_model(item)
        if brands:
            return Identification(True, f"brand {item.brand or sorted(brands)[0]} and model {model} are listed")
        return Identification(True, f"model {model} is listed", brand_known=False)
    found = [usb_match(item.usb, m) for m in product.usb] if item.usb else []
    found += [mdns_match(item.mdns, m) for m in product.mdns] if item.mdns else []
    for candidate in found:
        if candidate and (best is None or candidate.strong > best.strong):
            best = candidate
    if best and best.strong:
        return best
    model_excludes = bool(models) and bool(product.model_keys or product.model_prefixes)
    if not model_excludes and brand_ok and product.names:
        name_words = set(normalize.words(item.display_name))
        for phrase in product.names:
            if set(phrase) <= name_words:
                return Identification(False, f"the name contains {' '.join(phrase)!r}; the model is not known")
    return best
