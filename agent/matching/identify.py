"""Does an item look like the product a notice covers, and how strongly?"""

from __future__ import annotations

import functools

from agent import normalize
from agent.matching import brands, hints, names, policy
from agent.matching.brands import Relation
from agent.matching.item_view import Code, ItemView
from agent.matching.product_facts import Facts, facts
from agent.model import MdnsFacts, UsbFacts
from agent.record import Record
from agent.rules.schema import MdnsMatcher, Product, Rule, UsbMatcher

MIN_CODE_WITHOUT_BRAND = 5  # a code found outside the model field, with no brand known, must be this long


class Identification(Record):
    strong: bool  # strong enough for likely or confirmed
    evidence: str
    brand_known: bool = True  # False: the brand must still be checked on the label
    brand_check: str = ""  # what to check about the brand, when brand_known is False
    by_name: bool = False  # identified by a distinctive product name only: the model must be checked
    brand_only: bool = False  # only the brand matched (evidence "" when not even a name hint): a satisfied
    # identifying criterion settles it


def glob(pattern: str, value: str) -> bool:
    if not pattern:
        return True
    from fnmatch import fnmatchcase  # with re, loaded by the first rule that names a pattern

    return fnmatchcase(normalize.fold(value), normalize.fold(pattern))


def model_matches(code: str, product: Product) -> bool:
    if code in policy.load().not_models:
        return False
    return code in product.model_keys or any(code.startswith(p) for p in product.model_prefixes)


def named_in_notice(view: ItemView, leads: tuple[tuple[str, ...], ...]) -> bool:
    """A feed's rule may miss a printed brand its notice names: "Trane and American Standard Packaged Units".
    ``leads``: the words a feed's notice names its brands with (``Facts.leads``)."""
    if not leads or not view.brand_text:
        return False
    said = _said(view.brand_text)
    if not said:
        return False
    size = len(said)
    return any(lead[i : i + size] == said for lead in leads for i in range(len(lead) - size + 1))


@functools.lru_cache(maxsize=4096)
def _said(brand_text: str) -> tuple[str, ...]:
    """The words of a brand as typed, or none when every one of them is generic."""
    said = normalize.words(brand_text)
    return () if all(w in policy.load().generic_words for w in said) else said


def brand_relation(view: ItemView, product: Product, known: Facts) -> tuple[Relation | None, bool]:
    """How the item's brand relates to the notice's, and whether any brand is known for the item at all."""
    return relation_to(view, known.implied, known.declared, product.brands, known.leads)


def relation_to(
    view: ItemView,
    implied: frozenset[str],
    declared: frozenset[str],
    listed: tuple[str, ...],
    leads: tuple[tuple[str, ...], ...],
) -> tuple[Relation | None, bool]:
    """``brand_relation`` from the parts of a notice it reads (``agent.matching.gate`` keeps only those)."""
    if view.brand:
        if view.brand in implied or named_in_notice(view, leads):
            return Relation.SAME, True
        relation = brands.relation(view.brand, declared)
        if relation is None and brands.begins_with(view.brand_text, listed):
            relation = Relation.PART
        return relation, True
    return name_relation(view, implied)


def name_relation(view: ItemView, implied: frozenset[str]) -> tuple[Relation | None, bool]:
    """``relation_to`` for an item without a brand: the same when its name holds one of the notice's."""
    if view.name_brands & implied:
        return Relation.SAME, True
    return None, False


def brand_note(view: ItemView, product: Product, relation: Relation | None) -> str:
    listed = ", ".join(product.brands)
    if relation in (Relation.TYPO, Relation.PART):
        return f"the brand on the label: the notice names {listed}; the item says {view.brand_text}"
    if relation is Relation.PARENT:
        return f"the brand on the label: the notice names {listed}, which belongs with {view.brand_text}"
    return f"the brand on the label (affected: {listed})"


def identify(view: ItemView, product: Product, rule: Rule) -> Identification | None:
    """The strongest identification of the item as ``product``, or None."""
    for upc in view.upcs:
        if upc.key in product.upcs:
            return Identification(True, f"UPC {upc.raw} ({upc.where}) is listed")
    for code in view.codes:
        if code.key in product.retailer_ids:
            return Identification(True, f"retailer product id {code.raw} ({code.where}) is listed")
    known = facts(rule, product)
    relation, brand_known = brand_relation(view, product, known)
    found = _by_model(view, product, relation, brand_known, known)
    if found:
        return found
    device = _by_device(view, product)
    if device and device.strong:
        return device
    if view.typed_model and (product.model_keys or product.model_prefixes):
        return device  # a known model that is not listed beats the name
    if brand_known and relation is None:
        return device
    return _by_name(view, product, known, BrandFit(relation, brand_known)) or device


def _by_model(
    view: ItemView, product: Product, relation: Relation | None, known: bool, notice: Facts
) -> Identification | None:
    for code in view.codes:
        if not model_matches(code.key, product):
            continue
        if _bare_number(code.key) and not names.kinds_agree(frozenset(), view.words, notice.notice_words):
            continue  # "Husqvarna 450 chainsaw" is no "450" motorcycle: a bare number needs the kind to agree
        where = "" if code.field == "model" else f" (found in {code.where})"
        if relation is Relation.SAME:
            return Identification(True, f"brand {_brand_said(view, product)} and model {code.raw}{where} are listed")
        if relation is not None:
            note = brand_note(view, product, relation)
            return Identification(True, f"model {code.raw}{where} is listed", False, note)
        if not known and _long_enough(code):
            return Identification(True, f"model {code.raw}{where} is listed", False, brand_note(view, product, None))
    return None


def _bare_number(key: str) -> bool:
    return key.isdigit() and len(key) <= BARE_NUMBER


BARE_NUMBER = 4  # digits of a model code that is only a number ("450"): an engine size, a series


def _long_enough(code: Code) -> bool:
    if code.field in ("model", "network"):
        return True
    return len(code.key) >= MIN_CODE_WITHOUT_BRAND and any(c.isalpha() for c in code.key)


def _brand_said(view: ItemView, product: Product) -> str:
    return view.brand_text or f"{product.brands[0]} (in the name)"


def _by_device(view: ItemView, product: Product) -> Identification | None:
    item = view.item
    found = [usb_match(item.usb, m) for m in product.usb] if item.usb else []
    found += [mdns_match(item.mdns, m) for m in product.mdns] if item.mdns else []
    best: Identification | None = None
    for candidate in found:
        if candidate and (best is None or candidate.strong > best.strong):
            best = candidate
    return best


class BrandFit(Record):
    relation: Relation | None
    known: bool  # the item's brand is known at all


def _by_name(view: ItemView, product: Product, known: Facts, fit: BrandFit) -> Identification | None:
    """A distinctive product name gives a strong identification; generic words alone stay weak."""
    own = names.brand_words((view.brand_text,)) if view.brand_text else frozenset()  # a brand is no product name
    if names.contradicts(view.words - view.counts, known.notice_words, known.brand_words | own):
        return _brand_only(fit, known, None)  # the item names a version the notice never mentions
    lines = _lines(known, view, own, product)
    if lines and not lines & view.words:
        return _brand_only(fit, known, None)  # "Polaris Ranger" is none of "Polaris Sportsman ..."
    weak: Identification | None = None
    for phrase in known.phrases:
        distinctive = phrase.distinctive - own
        also = _line_words(view, phrase, own)
        if not names.kinds_agree(phrase.kinds, view.words, known.notice_words):
            continue
        said = fit.relation is Relation.SAME or set(names.tokens(phrase.text)) <= view.words
        if said and phrase.head and (phrase.head in view.words or _related_kind(view, phrase)):
            if not distinctive and not also and fit.relation is Relation.SAME and _by_kind(phrase, known, view):
                return Identification(
                    True, f"brand {_brand_said(view, product)} and {phrase.text!r} match", by_name=True
                )
            hint = hints.kind_hint(view, phrase, product, own, known.notice_words) if not view.typed_model else ""
            weak = weak or (Identification(False, hint) if hint else None)
        full = phrase.met_by(view.words, names.item_kinds(view.words), own, also)
        mostly = fit.relation is Relation.SAME and known.loose
        if not full and not (mostly and phrase.mostly_met_by(view.words, own | view.counts, known.notice_words)):
            continue
        what = f"the name contains {phrase.text!r}" if full else f"the name holds most of {phrase.text!r}"
        if not fit.known:
            hint = hints.unbranded_hint(view, phrase, product)
            weak = weak or (Identification(False, hint) if hint else None)
            continue
        note = "" if fit.relation is Relation.SAME else brand_note(view, product, fit.relation)
        return Identification(True, what, not note, note, by_name=True)
    return _brand_only(fit, known, weak)


def _related_kind(view: ItemView, phrase: names.Phrase) -> bool:
    """The item's name calls the thing by a kind of the notice's kind ("PTV" for a golf car vehicle); a "light"
    is not one of the notice's "light bulbs"."""
    said = names.item_kinds(view.words)
    broader = policy.load().broader_kinds
    return bool(said) and all(phrase.head in broader.get(kind, ()) for kind in said)


def _brand_only(fit: BrandFit, known: Facts, weak: Identification | None) -> Identification | None:
    if fit.relation is Relation.SAME and not known.has_models:
        # A satisfied serial or printed code settles it; without a name hint there is no finding at all.
        return Identification(False, weak.evidence if weak else "", brand_only=True)
    return weak


def _line_words(view: ItemView, phrase: names.Phrase, own: frozenset[str]) -> frozenset[str]:
    """Words of another brand of the notice that the item's name holds beside its own brand: a product line
    ("Knog" typed, "Blinder 1300" in the name)."""
    if not view.brand:
        return frozenset()
    return frozenset(w for w in phrase.line & view.words - own if brands.key(w) != view.brand)


def _by_kind(phrase: names.Phrase, known: Facts, view: ItemView) -> bool:
    """The notice names its product by brand and kind alone ("Charmast power banks"), or the item's name holds
    the whole of a longer description ("Govee smart electric space heater")."""
    if not all(names.related(kind, phrase.nouns) for kind in names.item_kinds(view.words)):
        return False  # "Knog desk light" is not one of "Knog bike lights"
    return phrase.text in known.by_kind or (len(phrase.kinds) >= MIN_DESCRIPTION and phrase.kinds <= view.words)


def _lines(known: Facts, view: ItemView, own: frozenset[str], product: Product) -> frozenset[str]:
    """The lines a notice names when its name follows the item's brand with another of its brands and then the
    product ("Polaris Sportsman 850", "Dupray Neat steam cleaners"; not "Hyper Tough, Worx and Portland"): the
    words of those other brands, one of which the item's name must hold."""
    if not view.brand:
        return frozenset()
    # Not the words of a longer name of the item's brand ("Golf" of "Yamaha Golf Car", "Industries" ...).
    others = [b for b in product.brands if not normalize.brand(b).startswith(view.brand)]
    other = names.brand_words(others) - own
    for phrase in known.phrases:
        words = names.tokens(phrase.text)
        for a, b, c in zip(words, words[1:], words[2:], strict=False):
            if (a in own or brands.key(a) == view.brand) and b in other and c not in known.brand_words | _AND:
                return other
    return frozenset()


_AND = frozenset({"and", "or"})


MIN_DESCRIPTION = 4  # generic words of a notice's name that, all in the item's name, describe its product


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
    said = f" ({usb.product})" if matcher.product and usb.product else ""
    chip = policy.load().generic_chip(usb.vendor_id, usb.product_id)
    if chip and not (matcher.product or matcher.serial):
        return Identification(False, f"USB id {ids} is a generic chip ({chip}) used in many products")
    if matcher.product_id or matcher.product or matcher.serial:
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
