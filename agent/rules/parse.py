"""Turn one parsed rule file into a validated, normalised Rule, collecting every problem."""

from __future__ import annotations

import re
from typing import Any

from agent import normalize
from agent.fields import Fields, Problems
from agent.rules import product_tables
from agent.rules.schema import CERTAINTIES, HAZARDS, ISSUER_TYPES, KINDS, Product, Reference, Rule

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
_PROSE_MARKS = re.compile(r"[();:]|\s-\s|\b(?:due to|models?|recall\w*|sold|made in)\b", re.IGNORECASE)
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "by", "de", "du", "la", "le", "von", "van", "y", "e", "&"})


def prose_in_brand(brand: str) -> str:
    """Why ``brand`` reads as a piece of prose rather than a brand name ("" if it reads as a name).

    "Govee smart electric space heaters (models H7130" is prose; "Lotsa LITES!", "woom" and
    "Army & Air Force Exchange Service" are names.
    """
    words = brand.split()
    lower = [w for w in words if w[:1].islower() and w not in _SMALL_WORDS]
    if len(brand) > 60 or len(words) > 6:
        return "is too long for a brand name"
    if _PROSE_MARKS.search(brand):
        return "holds sentence words or punctuation, not a brand name"
    if len(lower) >= 2 and len(words) >= 3:
        return "reads as a phrase, not a brand name"
    return ""


def rule_from_table(table: dict[str, Any], path: str, problems: Problems, origin: str) -> Rule | None:
    """Validate one rule; on any problem return None and leave the reasons in ``problems``."""
    before = len(problems.items)
    raw_id = table.get("id")
    f = Fields(table, problems, kind="rule", item=raw_id if isinstance(raw_id, str) else "")
    rule_id = f.text("id", required=True)
    if rule_id and not _ID.match(rule_id):
        f.bad("id", "use lower-case letters, digits and dashes (2 to 81 characters)")
    title = f.text("title", required=True)
    kind = f.text("kind", required=True, choices=KINDS)
    published = f.date("published", required=True)
    url = f.text("url", required=True)
    if url and not url.startswith(("https://", "http://")):
        f.bad("url", "expected an http(s) address")
    hazard = f.text("hazard", required=True)
    hazards = f.texts("hazards", required=True)
    for index, name in enumerate(hazards):
        if name not in HAZARDS:
            f.bad(f"hazards[{index}]", f"unknown hazard {name!r}; expected one of {', '.join(HAZARDS)}")
    remedy = f.text("remedy", required=True)
    check = f.text("check", required=True)
    certainty = f.text("certainty", choices=CERTAINTIES) or "exact"
    category = f.text("category")
    issuer_name, issuer_type, reference = _issuer(f)
    also = tuple(_reference(entry) for entry in f.tables("also"))
    products = _products(f, table)
    f.reject_unknown()
    if len(problems.items) > before or published is None:
        return None
    return Rule(
        id=rule_id,
        title=title,
        kind=kind,
        issuer=issuer_name,
        issuer_type=issuer_type,
        reference=reference,
        published=published,
        url=url,
        hazard=hazard,
        hazards=hazards,
        remedy=remedy,
        check=check,
        products=products,
        also=also,
        certainty=certainty,
        category=category,
        path=path,
        origin=origin,
    )


def _issuer(f: Fields) -> tuple[str, str, str]:
    """The [issuer] table: its name, type and reference number ("" each when it is missing)."""
    issuer = f.table_of("issuer")
    if issuer is None:
        f.add("missing required table [issuer]", "issuer")
        return "", "", ""
    found = (
        issuer.text("name", required=True),
        issuer.text("type", required=True, choices=ISSUER_TYPES),
        issuer.text("reference"),
    )
    issuer.reject_unknown()
    return found


def _products(f: Fields, table: dict[str, Any]) -> tuple[Product, ...]:
    """The [[products]] tables, at least one."""
    product_tables = f.tables("products")
    if "products" in table and not product_tables and isinstance(table["products"], list):
        f.bad("products", "must list at least one product")
    elif "products" not in table:
        f.add("missing required [[products]]", "products")
    return tuple(p for p in (_product(entry) for entry in product_tables) if p is not None)


def _reference(f: Fields) -> Reference:
    ref = Reference(issuer=f.text("issuer", required=True), reference=f.text("reference"), url=f.text("url"))
    f.reject_unknown()
    return ref


def _model_keys(f: Fields, models: tuple[str, ...]) -> tuple[set[str], list[str]]:
    """The normalised model codes, and the prefixes of the models written with a trailing "*"."""
    model_keys: set[str] = set()
    prefixes: list[str] = []
    for index, model in enumerate(models):
        key = normalize.model_code(model.rstrip("*"))
        if not key:
            f.bad(f"models[{index}]", f"{model!r} has no letters or digits")
        elif model.endswith("*"):
            if len(key) < 3:
                f.bad(f"models[{index}]", f"prefix {model!r} is too short to be safe (3 characters at least)")
            prefixes.append(key)
        else:
            model_keys.add(key)
    return model_keys, prefixes


def _product(f: Fields) -> Product | None:
    name = f.text("name", required=True)
    brands = f.texts("brands", required=True)
    for index, brand in enumerate(brands):
        prose = prose_in_brand(brand)
        if prose:
            f.bad(f"brands[{index}]", f"{brand!r} {prose}")
    models = f.texts("models")
    model_keys, prefixes = _model_keys(f, models)
    names = tuple(w for w in (normalize.words(n) for n in f.texts("names")) if w)
    upcs = frozenset(_checked(f, "upcs", normalize.digits, "has no digits"))
    retailer_ids = frozenset(_checked(f, "retailer_ids", normalize.model_code, "has no letters or digits"))
    usb = tuple(m for m in (product_tables.usb(entry) for entry in f.tables("usb")) if m is not None)
    mdns = tuple(product_tables.mdns(entry) for entry in f.tables("mdns"))
    if not any(key in f.table for key in ("models", "upcs", "retailer_ids", "usb", "mdns", "names")):
        f.bad(
            "models",
            f"product {name!r} lists no models, upcs, retailer_ids, usb, mdns or names: nothing could ever match it",
        )
    product = Product(
        name=name,
        brands=brands,
        brand_keys=frozenset(normalize.brand(b) for b in brands),
        models=models,
        model_keys=frozenset(model_keys),
        model_prefixes=tuple(prefixes),
        names=names,
        upcs=upcs,
        retailer_ids=retailer_ids,
        usb=usb,
        mdns=mdns,
        serial=product_tables.serial(f.table_of("serial")),
        manufactured=product_tables.window(f.table_of("manufactured")),
        sold=product_tables.window(f.table_of("sold")),
        codes=frozenset(normalize.model_code(c) for c in f.texts("codes")),
        no_code_included=f.flag("no_code_included"),
        colors=frozenset(normalize.fold(c) for c in f.texts("colors")),
        serial_lookup=f.text("serial_lookup"),
        units=f.integer("units"),
    )
    if product.serial_lookup and not product.serial_lookup.startswith(("https://", "http://")):
        f.bad("serial_lookup", "expected the http(s) address of the firm's serial checker")
    if product.no_code_included and not product.codes:
        f.bad("no_code_included", "only makes sense together with 'codes'")
    f.reject_unknown()
    return product


def _checked(f: Fields, key: str, convert: Any, problem: str) -> list[str]:
    out = []
    for index, value in enumerate(f.texts(key)):
        converted = convert(value)
        if not converted:
            f.bad(f"{key}[{index}]", f"{value!r} {problem}")
        else:
            out.append(converted)
    return out
