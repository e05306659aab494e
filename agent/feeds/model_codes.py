"""What a model code looks like: its key, its shape, the tokens of a sentence, Amazon product ids."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from agent.feeds.brands import vocabulary
from agent.feeds.text import clean

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/.-]*[A-Za-z0-9]|[A-Za-z0-9]")
ASIN = re.compile(r"^B0[0-9A-Z]{8}$")
_UNITS = (
    r"mah|ah|wh|kwh|v|vac|vdc|volts?|w|watts?|a|amps?|ma|hz|khz|mhz|ghz|mm|cm|m|in|inch|inches|ft|foot|feet"
    r"|lbs?|pounds?|oz|ounces?|g|kg|ml|l|lt|liters?|litres?|qt|quarts?|gal|gallons?|gb|tb|mb|k|mph|cells?"
    r"|digits?|years?|months?|pieces?|pack|ports?|speeds?|days?|hours?|minutes?|degrees?|layers?|way|p|x|s|st"
    r"|nd|rd|th|pc|pcs|cc|psi|btu|hp|rpm|db|lm|f|c|t|gpm|cfm|ct|count|drawers?|burners?|seats?|inches"
)
NOT_MODEL = re.compile(
    rf"^(?:(?:ac|dc)?\d+(?:[.,]\d+)?-?(?:{_UNITS})|\d+(?:[.-]\d+)+-?(?:{_UNITS})|(?:19|20)\d\d(?:s|-\d\d)?"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{4}|(?:1-)?\d{3}-\d{3}-\d{4}"
    r"|\d{3}-[A-Z]{3,}.*|\d+-in-\d+|(?:cr|lr|sr|ag)\d{2,4}|x{3,}.*|.*x{4,}[a-z0-9].*|ul\d+|usb-?c\d*|covid-?19|\d+(?:k|x)\d*|[a-z]-?\d"
    r"|\d+(?:\.\d+)?[a-z]?/\d+(?:\.\d+)?[a-z]*|\d+\.\d+|\d+\.\d+[a-z]{2,}.*|\d+(?:st|nd|rd|th))$",
    re.IGNORECASE,
)
# A vehicle identification number: 17 letters and digits without I, O or Q, the last four digits (the
# production sequence). It is a serial, never a model, wherever it stands.
_VIN = re.compile(r"^(?=.*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{13}[0-9]{4}$")
_PLACEHOLDERS = re.compile(r"(?<=[A-Z0-9])xx(?![a-z])")  # "CSFxxABTRxx-V1-4933": a serial's pattern, x for any
_NUMBERS = re.compile(r"^\d+(?:-\d+)+$")  # "21-028": recall numbers, dates, counts, unless a keyword says model
_LOWER_WORD = re.compile(r"[a-z]{4,}")
_NOT_KEY = re.compile(r"[^0-9A-Z]")
_UNIT_LIKE = re.compile(r"\d+\.\d+[A-Za-z]?|\d{3,}[A-Z]{1,2}")  # "model 1.5", "models 130C and 130L"
_LOWER_CODE = re.compile(r"^[a-z]{1,3}\d{3,}[a-z]?$")


@cache
def not_model_keys() -> frozenset[str]:
    return frozenset(key(w) for w in vocabulary().not_models)


def retailer_ids(text: str) -> list[str]:
    """Amazon product ids (ASINs) such as B00LRK8EVO."""
    out: dict[str, None] = {}
    text = clean(text)
    if "B0" not in text:  # every id starts with it
        return []
    for token in _TOKEN.findall(text):
        if token.startswith("B0") and ASIN.match(token):
            out[token] = None
    return list(out)


@lru_cache(maxsize=65536)  # the same codes are keyed again and again
def key(code: str) -> str:
    """A code as rules compare it: upper case, letters and digits only."""
    upper = code.upper()
    return upper if upper.isascii() and upper.isalnum() else _NOT_KEY.sub("", upper)


@lru_cache(maxsize=65536)  # the same tokens come back in every sentence and record
def looks_like_code(token: str, *, strong: bool) -> bool:
    """True if ``token`` can be a model code; with ``strong`` context, bare numbers of 3+ digits pass too."""
    if strong and _UNIT_LIKE.fullmatch(token):
        return len(key(token)) >= 3  # "model 1.5", "models 130C and 130L": what a unit would look like
    if len(token) > 20 or NOT_MODEL.match(token) or ASIN.match(token) or _VIN.match(token):
        return False
    if _LOWER_WORD.search(token) or _PLACEHOLDERS.search(token):
        return False
    digit_count = sum(c.isdigit() for c in token)
    if strong:
        if token.isdigit():
            return 3 <= len(token) <= 10  # longer runs of digits are UPCs, serials or cells run together
        if digit_count:
            return len(key(token)) >= 3
        return token.isupper() and "-" in token and len(key(token)) >= 5  # "LP-BRMDYL-BLK", never "GAS"
    if _NUMBERS.match(token) or not any(c.isalpha() for c in token):
        return False
    if digit_count < 2:  # "ATH-CK3TW" passes, "Note7" and "D4" do not
        return digit_count == 1 and "-" in token and token.isupper() and len(key(token)) >= 6
    if any(c.isupper() for c in token):
        return True
    return bool(_LOWER_CODE.match(token))


def split_codes(token: str) -> list[str]:
    """Split "A1642/A1647" into codes and "GCV170/200" into GCV170 and GCV200, but keep "3927000H11/A",
    "DF36450G/BK/P" and "D-RE-PSC-127/20-4P1SP" whole."""
    if "/" not in token:
        return [token]
    parts = token.split("/")
    if not all(sum(c.isdigit() for c in p) >= 1 and len(p) >= 2 for p in parts):
        return [token]
    head = re.match(r"(.*?)(\d+)$", parts[0])
    if head and all(p.isdigit() and len(p) == len(head[2]) for p in parts[1:]):
        return [parts[0], *(head[1] + p for p in parts[1:])]  # "GCV170/200": the digits change, the letters stay
    if all(p[0].isalpha() and len(p) >= 3 for p in parts[1:]):
        return parts
    return [token]


def code_tokens(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        offset = match.start()
        token = match.group().rstrip(".")
        if "/" not in token:  # what split_codes gives such a token: itself
            out.append((offset, token))
            continue
        for part in split_codes(token):
            out.append((offset, part))
            offset += len(part) + 1
    return out
