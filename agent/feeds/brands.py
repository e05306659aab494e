"""The brands a recalled product carries, read from a notice: its prose, its title and its firms.

The brand printed on a product is often not the recalling firm's name. Notices say it in prose ("sold under
the X brand", "X is printed on the front", "brand name X", "the X logo"), put it first in the product
name and the title, and name the firms with their legal forms ("X Co., Ltd.", "Y LLC d/b/a X"; those are
read in firms.py). What counts as a legal form, a place or a generic word is data: agent/feeds/data/brands.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from agent import normalize
from agent.feeds.patterns import compiled
from agent.rules.parse import prose_in_brand

try:
    import tomli as tomllib
except ImportError:  # pragma: no cover - tomli is a dependency; Python 3.11+ works without it
    import tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]

_Q = "[\"\u201c\u201d\u2018\u2019']"
_WORD = r"[A-Za-z0-9][\w&'\u2019!.+-]*"
_CAP = r"(?:[A-Z0-9][\w&'\u2019!.+-]*)"
_NAME = rf"{_CAP}(?: {_CAP}){{0,3}}"
_QUOTED = rf"{_Q}({_WORD}(?: {_WORD}){{0,3}}){_Q}"
_MARK = r"(?:printed|engraved|stamped|embossed|imprinted|molded|moulded|written|etched|displayed|marked|labeled)"

# The notice says outright that this is the brand.
_SAID = tuple(
    re.compile(p)
    for p in (
        rf"\bsold under the (?:brand names?|brands?|names?) ({_NAME}(?:(?:, | and |, and ){_NAME})*)",
        rf"\bsold under the ({_NAME}) brand",
        rf"\bbrand names? (?:of |including |such as )?(?:{_QUOTED}|({_NAME}(?:(?:, | and |, and | or ){_NAME})*))",
        rf"\b(?:marked|labeled|printed|stamped) with the brand (?:{_QUOTED}|({_NAME}))",
        rf"\bthe brand {_QUOTED}",
        rf"(?:^|[\s(,])({_NAME}(?:, {_NAME})*(?:,? and {_NAME})?)[- ][Bb]rand(?:ed|s)?\b",
    )
)
# The notice says a name is printed on the product: a brand unless its words are common ones.
_PRINTED = tuple(
    re.compile(p)
    for p in (
        rf"{_QUOTED}(?: or {_QUOTED})?(?: and [^.]{{0,40}})? (?:is|are) (?:also )?(?:{_MARK}|in large|shown|located)",
        rf"{_QUOTED} (?:{_MARK}|appears|in large)",
        rf"\b(?:labeled|marked) with {_QUOTED}",
        rf"\bwith {_QUOTED} (?:labels|logos?|printed)",
        rf"\b[Tt]he (?:brand )?name {_QUOTED}",
        rf"\bthe name ({_NAME}) (?:{_MARK}|appears)",
        rf"(?:^|\. |, )({_NAME}) (?:is|are) {_MARK} on\b",
        rf"\b(?:[Tt]he |[Aa]n? )?({_NAME}(?: and {_NAME})?) logos?\b",
        rf"\bmarked ({_NAME}) on\b",
        rf"{_QUOTED} or {_QUOTED} on\b",
        rf"{_QUOTED} logos?\b",
    )
)
# Words each pattern above cannot match without (in order; "" for none): a pattern is run only on text holding them.
_SAID_NEEDS = ("sold under the ", "sold under the ", "brand name", "with the brand ", "the brand ", "rand")
_PRINTED_NEEDS = ("", "", "ed with ", "with ", "name ", "the name ", " on", "logo", "marked ", " or ", "logo")
_NEEDS = dict(zip(_SAID + _PRINTED, _SAID_NEEDS + _PRINTED_NEEDS, strict=True))
_AFTER_MODEL = re.compile(r"\bmodel(?: number| name)?:?\s*\W?$", re.IGNORECASE)
_TITLE_FIRM = re.compile(r"^(.+?)\s+(?:Recalls|Announces|Expands|Reannounces)\b")
_TITLE_AFTER = re.compile(r"\b(?:Recalls|Recall of|Recall Expansion of|Recall to Include(?: Additional)?)\s+(.+)$")
_TITLE_BY = re.compile(
    r"(?:;|\bRecalled)\s*(?:by\s+|(?:Manufactured|Imported|Distributed|Sold)(?:\s+Exclusively)?(?:\s+\w+\s+[\w.]+)?"
    r"\s+by\s+)(?:Amazon\s+seller\s+)?(.+?)(?:;|\(|\s+and\s+(?:Sold|Imported|Distributed|Manufactured)\b"
    r"|\s+(?:Due\s+to|Exclusively|on\s+[A-Z][\w.]*\.com)\b|$)"
)
_RECALLED = re.compile(r"^(.+?)\s+(?:Recalled|Recall Expanded|Recall)\b")
_FIRST_SENTENCE = re.compile(
    r"\b(?:recall|recalls|expansion)\s+(?:involves|includes)\s+(?:the\s+|all\s+|certain\s+)?(.+)"
)
_LIST_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_TOKEN = re.compile(r"[A-Za-z0-9][\w&'\u2019!.+-]*|&")
_BRANDED = re.compile(r"-[Bb]rand(?:ed|s)?$")
_DIGITS_OK = re.compile(r"^(?:\d[A-Za-z]{1,2}|[A-Za-z]{2,}-?\d{1,2})$")  # "3M", "Hover-1", "Super73"


@dataclass(frozen=True)
class Vocabulary:
    legal_suffixes: tuple[str, ...]
    place_prefixes: frozenset[str]
    trade_words: frozenset[str]
    not_brands: frozenset[str]
    not_models: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    data = tomllib.loads(resources.files("agent.feeds").joinpath("data/brands.toml").read_text(encoding="utf-8"))
    folded = {key: frozenset(w.casefold() for w in data[key]) for key in data if key != "legal_suffixes"}
    suffixes = sorted(data["legal_suffixes"], key=len, reverse=True)
    return Vocabulary(
        legal_suffixes=tuple(suffixes),
        place_prefixes=folded["place_prefixes"],
        trade_words=folded["trade_words"],
        not_brands=folded["not_brands"],
        not_models=folded["not_models"],
    )


def lower_words(*texts: str) -> frozenset[str]:
    """The words written in lower case somewhere in ``texts``: common words, never a brand as printed."""
    return frozenset({w.casefold() for t in texts for w in _TOKEN.findall(t) if w[0].islower()})


def printed(text: str, common: frozenset[str]) -> list[str]:
    """Brands the prose names: "sold under the X brand", "brand name X", "X is printed on", "the X logo".

    A name said to be printed is dropped when most of its words are common ones ("2000 Power Station").
    """
    said = _matches(_SAID, text)
    shown = [_without_line(n) for n in _matches(_PRINTED, text) if not _mostly_common(n, common)]
    return [b for b in said + shown if _plausible(b, strict=False)]


def _without_line(name: str) -> str:
    """ "Bella Pro Series" -> "Bella": two or more generic words after a name name the product line."""
    words = name.split()
    generic = 0
    while generic < len(words) - 1 and words[-1 - generic].casefold() in vocabulary().not_brands:
        generic += 1
    return " ".join(words[:-generic]) if generic >= 2 else name


def _matches(patterns: tuple[re.Pattern[str], ...], text: str) -> list[str]:
    found: list[str] = []
    for pattern in (p for p in patterns if _NEEDS[p] in text):
        for match in pattern.finditer(text):
            if _AFTER_MODEL.search(text[max(0, match.start() - 24) : match.start() + 1]):
                continue  # 'the model "Hover-1 Helix" is printed': a model name, not the brand
            for group in match.groups():
                if group:
                    found.extend(_tidy(n) for n in _LIST_SPLIT.split(group) if n)
    return found


def _mostly_common(name: str, common: frozenset[str]) -> bool:
    words = [w.casefold() for w in _TOKEN.findall(name) if any(c.isalpha() for c in w)]
    generic = [w for w in words if w in common or w.rstrip("s") in common or w + "s" in common]
    return not words or 2 * len(generic) >= len(words)


_NAME_LIST = re.compile(
    r"^((?:[A-Z][\w'+-]*(?: [A-Z][\w'+-]*){0,2}, )+(?:[A-Z][\w'+-]*(?: [A-Z][\w'+-]*){0,2}),? and "
    r"[A-Z][\w'+-]*(?: [A-Z][\w'+-]*){0,2}) [a-z]"
)


def leading(phrase: str, common: frozenset[str]) -> list[str]:
    """The brand words a product phrase opens with: "ESR HaloLock Wireless Power Banks" -> ["ESR"].

    A word is not a brand when it is generic (data) or written in lower case elsewhere in the notice;
    "X and Y ..." and "X, Y and Z ..." give each name.
    """
    vocab = vocabulary()
    listed = _NAME_LIST.match(phrase.strip())
    if listed:  # "Flow Pro, Airtech, Aloha Breeze and Comfort Essentials heaters"
        names = [n.strip() for n in _LIST_SPLIT.split(listed[1]) if n.strip()]
        return [n for n in names if _plausible(n, strict=True)]
    out: list[str] = []
    words = _TOKEN.findall(phrase.replace("\u2019s ", " ").replace("'s ", " "))
    index = 0
    while index < len(words):
        word = _BRANDED.sub("", words[index].rstrip(".,"))
        folded = word.casefold()
        if folded in vocab.not_brands or folded in common or (not word[0].isupper() and not word[0].isdigit()):
            break
        if any(c.isdigit() for c in word) and not _DIGITS_OK.match(word):
            break  # "ATH-CK3TW" opens a product name as its model code, not as a brand
        out.append(word)
        if index + 2 < len(words) and words[index + 1] in ("and", "&"):
            index += 2
            continue
        break
    return [w for w in out if _plausible(w, strict=True)]


def from_title(title: str, common: frozenset[str]) -> tuple[list[str], list[str]]:
    """(brands, firms) of a CPSC title: "X Recalls Y Heaters ...; Sold by Z" -> (["Y"], ["X", "Z"])."""
    firms: list[str] = []
    brands: list[str] = []
    firm = _TITLE_FIRM.match(title)
    if firm and not _RECALLED.match(firm[1]):
        firms.append(firm[1])
    after = _TITLE_AFTER.search(title)
    if after:
        products = re.split(r"\s+Due to\b|;", after[1])[0]
        if len(products.split()) > 1:  # "Recalls Strollers": a product word alone names no brand
            parts = _LIST_SPLIT.split(products)
            brands += leading(products, common)
            brands += [b for part in parts[1:] if len(part.split()) >= 3 for b in leading(part, common)]
    else:
        recalled = _RECALLED.match(title)
        if recalled:
            brands += leading(recalled[1], common)
    firms += [m[1] for m in _TITLE_BY.finditer(title)]
    return list(dict.fromkeys(brands)), firms


def from_first_sentence(description: str, common: frozenset[str]) -> list[str]:
    head = description[:400]
    match = _FIRST_SENTENCE.search(head) if "recall" in head or "expansion" in head else None  # what it needs
    return leading(match[1], common) if match else []


def merge(strong: Iterable[str], weak: Iterable[str], firms: Iterable[str]) -> list[str]:
    """Brands in order, one per brand key. A weak guess that only opens a strong name is dropped:
    "Urban" when the notice says "Urban Arrow" is printed."""
    strong = list(strong)
    weak = [w for w in weak if not any(s.startswith(w + " ") for s in strong)]
    by_key: dict[str, str] = {}
    for name in [*strong, *weak, *firms]:
        key = normalize.brand(name)
        if key and key not in by_key and not prose_in_brand(name):
            by_key[key] = name
    return list(by_key.values())


def lines(guesses: list[str], names: list[str], text: str) -> set[str]:
    """The ``guesses`` that are product lines: a guess the notice writes right after another of its
    ``names`` ("Razor Icon electric scooters", "Specialized Vado and Como e-bikes", "Siemens SolarReady")
    is that brand's product line, not a brand of its own."""
    return {g for g in guesses if any(_after_brand(g, other, text) for other in names if _distinct(g, other))}


def _distinct(name: str, other: str) -> bool:
    folded, other_folded = name.casefold(), other.casefold()
    return folded != other_folded and not folded.startswith(other_folded) and not other_folded.startswith(folded)


def _after_brand(name: str, brand: str, text: str) -> bool:
    """True if ``text`` writes ``brand name`` or ``brand X and name`` (one line word X between)."""
    if name not in text or brand not in text:  # both are written as they are, or the pattern cannot match
        return False
    if "\0" in name or "\0" in brand:
        return bool(compiled(_LINE.format(brand=re.escape(brand), name=re.escape(name))).search(text))
    at = text.find(brand)
    while at >= 0:  # each place the brand is written, as a search of _LINE tries them
        if not (at and _WORDISH.match(text, at - 1)) and _LINE_REST.match(f"{name}\0{text[at + len(brand) :]}"):
            return True
        at = text.find(brand, at + 1)
    return False


_LINE = r"(?<![\w-]){brand}(?:[-\s][Bb]rand(?:ed)?)?\s+(?:[A-Z][\w+-]*\s+(?:and|&|or)\s+)?{name}(?![\w-])"
# What follows the brand in _LINE, for every name without a pattern of its own: "name NUL the text after the
# brand", \1 the name as written.
_LINE_REST = re.compile(r"([^\0]*)\0" + _LINE.split("{brand}")[1].format(name=r"\1"))
_WORDISH = re.compile(r"[\w-]")  # what _LINE's look-behind refuses before the brand
_WHITE = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:[Tt]he|[Aa]n?|[Aa]ll)\s+")


def normalize_space(text: str) -> str:
    return _WHITE.sub(" ", text).strip()


def _tidy(name: str) -> str:
    name = _BRANDED.sub("", _ARTICLE.sub("", normalize_space(name)))
    return name.removesuffix("\u2019s").removesuffix("'s").strip(" ,.;:\"'\u201c\u201d\u2018\u2019")


_NUMBERED_FIELD = re.compile(r"(?:\bNo\.|#)\s*:?\s*\d")


def _plausible(name: str, *, strict: bool) -> bool:
    """A short name with a letter, not a generic word, not a code, not a sentence.

    ``strict`` (a guess from a title or product name): the first word may not be generic either.
    """
    words = name.split()
    if not words or len(words) > 4 or len(name) > 40 or not any(c.isalpha() for c in name):
        return False
    if _NUMBERED_FIELD.search(name):
        return False  # "Accession No. 2430278-000", "Item #:15712EAM": a numbered field of the label
    vocab = vocabulary()
    first = words[0].casefold()
    if name.casefold() in vocab.not_brands or name.casefold() in vocab.not_models:
        return False
    if strict and (first in vocab.not_brands or first.split("-")[0] in vocab.not_brands):
        return False
    if len(name) < 2 or (len(name) == 2 and not name.isupper() and not name[0].isdigit()):
        return False  # "Go", "U+": pieces of a product name
    return not any(c.isdigit() for c in w) or _DIGITS_OK.match(w) is not None if (w := words[0]) else False
