"""What one item says about itself, read once: identifiers in every field, its brand, the words of its name."""

from __future__ import annotations

import itertools

from agent import normalize
from agent.matching import brands, names, policy
from agent.model import Item
from agent.record import Record

_TOKEN_CHARS = normalize.Chars(normalize.ALNUM | set("./-"))
# Digits with a dot or dash inside are a model, not a UPC: compiled (and kept by re) the first time a model
# of 8 to 14 digits is read.
_PUNCTUATED = r"[0-9][.\-/][0-9]"
_BARE_NUMBER = 4  # digits of a number that is part of a typed model, not a model
_FIELDS = {
    "network": "what the device announces",
    "model": "the model field",
    "name": "the name",
    "upc": "the UPC field",
    "retailer_id": "the retailer id",
}


class Code(Record):
    key: str  # normalised like a rule's model codes
    field: str  # where it was found: model, name, upc, retailer_id, code, network
    raw: str

    @property
    def where(self) -> str:
        return _FIELDS.get(self.field, f"the {self.field} field")


class ItemView(Record):
    item: Item
    codes: tuple[Code, ...]  # candidate model codes and retailer ids
    upcs: tuple[Code, ...]  # candidate UPC/GTIN digits
    brand: str  # the brand family typed in, or announced by the device; "" when unknown
    brand_text: str
    words: frozenset[str]  # the name's words, as names.tokens gives them
    name_brands: frozenset[str]  # brand keys that the name's first words could be
    typed_model: str  # the model field's code when it holds a model (not a UPC or a product id)
    counts: frozenset[str] = frozenset()  # numbers of the name that count units ("30" of "30 pack")


def view(item: Item) -> ItemView:
    codes: list[Code] = []
    upcs: list[Code] = []
    typed_model = ""
    if item.model:
        typed_model = _read_field(item.model, "model", codes, upcs)
    elif item.mdns and item.mdns.model:
        codes.append(Code(normalize.model_code(item.mdns.model), "network", item.mdns.model))
    elif item.homeassistant:  # HA's model is often a marketing name; model_id the code on the label
        ha = item.homeassistant
        codes += [Code(normalize.model_code(m), "network", m) for m in (ha.model_id, ha.model) if m]
    for value, field in ((item.upc, "upc"), (item.retailer_id, "retailer_id"), (item.code, "code")):
        if value:
            _read_field(value, field, codes, upcs)
    if item.name:
        _read_name(item.name, codes, upcs)
    brand_text = _brand_text(item)
    return ItemView(
        item=item,
        codes=_unique(codes),
        upcs=_unique(upcs),
        brand=brands.key(brand_text) if brand_text else "",
        brand_text=brand_text,
        words=names.item_words(item.display_name),
        name_brands=_name_brands(item.display_name),
        typed_model=typed_model,
        counts=_counts(item.display_name),
    )


def _read_field(value: str, field: str, codes: list[Code], upcs: list[Code]) -> str:
    """Codes in one field; returns the model code when the field holds a model rather than a UPC or id."""
    digits = normalize.digits(value)
    key = normalize.model_code(value)
    if key.isdigit() and 8 <= len(key) <= 14:
        upcs.append(Code(digits, field, value.strip()))
        import re  # only a code of 8 to 14 digits needs it

        if field != "model" or not re.search(_PUNCTUATED, value.strip()):
            return "" if field == "model" else key
        codes.append(Code(key, field, value.strip()))  # "790.99013100": a model of digits, written as one
        return key
    if _asin(key):
        codes.append(Code(key, field, value.strip()))
        return ""
    # A model code holds only capitals and digits: one that is neither all letters nor all digits has both.
    if field == "code" and not (len(key) >= 5 and not key.isalpha() and not key.isdigit()):
        return ""
    if key:
        codes.append(Code(key, field, value.strip()))
    for token in _tokens(value) if " " in value.strip() or "," in value else ():
        if not (token.isdigit() and len(token) <= _BARE_NUMBER):  # "450" of "FC 450" is no model of its own
            codes.append(Code(normalize.model_code(token), field, token))
    return key


def _read_name(name: str, codes: list[Code], upcs: list[Code]) -> None:
    found = _tokens(normalize.fold(name))
    candidates = list(found)
    for first, second in itertools.pairwise(found):
        if first.isalpha() and len(first) <= 4 and second[:1].isdigit():
            candidates.append(f"{first}{second}")  # "A 1112"
    skip = policy.load().not_models
    for token in candidates:
        key = normalize.model_code(token)
        if key.isdigit() and 8 <= len(key) <= 14:
            upcs.append(Code(normalize.digits(key), "name", token))
        elif key.isdigit() and len(key) <= _BARE_NUMBER:
            continue  # "450" in "Husqvarna FC 450" is a number of the name, no model of its own
        elif _asin(key) or (len(key) >= 3 and not key.isalpha() and key not in skip):  # a digit among capitals
            codes.append(Code(key, "name", token))


def _tokens(text: str) -> list[str]:
    """Words of letters and digits with dots, dashes and slashes inside ("A-1112", "3.0"), as the pattern
    ``[A-Za-z0-9][A-Za-z0-9./-]*[A-Za-z0-9]|[A-Za-z0-9]`` finds them."""
    return [t for run in _TOKEN_CHARS.runs(text) if (t := run.strip("./-"))]


def _asin(key: str) -> bool:
    """An Amazon product id ("B0" and eight capitals or digits) of a model code (which holds no newline)."""
    return len(key) == 10 and key.startswith("B0") and all(c in normalize.UPPER_ALNUM for c in key)


def _counts(name: str) -> frozenset[str]:
    """Numbers followed by a word of counting ("30 pack", "2 count"): how many, not which version."""
    words = names.tokens(name)
    return frozenset(a for a, b in itertools.pairwise(words) if a.isdigit() and b in _COUNTING)


_COUNTING = frozenset({"pack", "count", "ct", "pc", "pcs", "piece", "set", "pair"})


def _brand_text(item: Item) -> str:
    if item.brand:
        return item.brand
    if item.usb:
        return item.usb.manufacturer or item.usb.vendor_name
    if item.mdns and item.mdns.manufacturer:
        return item.mdns.manufacturer
    if item.homeassistant and item.homeassistant.manufacturer:
        return item.homeassistant.manufacturer
    return ""


def _name_brands(name: str) -> frozenset[str]:
    """The brand keys a name could start with or hold: single words and pairs ("Velvet Caviar")."""
    words = normalize.words(name)
    found = {brands.key(w) for w in words}
    found |= {brands.key(f"{a} {b}") for a, b in itertools.pairwise(words)}
    return frozenset([k for k in found if len(k) >= 2])


def _unique(codes: list[Code]) -> tuple[Code, ...]:
    seen: dict[tuple[str, str], Code] = {}
    for code in codes:
        if code.key:
            seen.setdefault((code.key, code.field), code)
    return tuple(seen.values())
