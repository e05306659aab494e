"""Model numbers from recall prose: pure functions, precise rather than greedy.

A code is taken when it follows a model keyword ("model number", "Model:", "part numbers", "#"), or when
its shape alone says "model code" (letters and at least two digits, such as A1112, BS-30KP365, 5UM5E5).
Shape-only candidates are dropped in a serial, batch, UPC, bar-code or standard context, and tokens that
are years, dates, phone numbers, capacities, voltages, sizes, ordinals or Amazon product ids never count.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/-]*[A-Za-z0-9]|[A-Za-z0-9]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])|\n+|(?<=[a-z0-9])\.(?=[A-Z])")
ASIN = re.compile(r"^B0[0-9A-Z]{8}$")

_MODEL_KEY = re.compile(
    r"\b(?:models?(?:\s+(?:numbers?|nos?|codes?))?|model\s*#|part\s+numbers?|P/N|item\s+(?:numbers?|nos?)"
    r"|style\s+numbers?|SKU|catalog\s+numbers?)\s*(?:[:#]|\bis\b|\bare\b)?\s*",
    re.IGNORECASE,
)
_HASH_KEY = re.compile(r"(?:\b[A-Za-z]{1,6}\s?#|\bNo\.)\s*")
_OTHER_KEY = re.compile(
    r"\b(?:serial|S/?N|SN|lot|batch|date\s+codes?|manufactur\w*\s+codes?|codes?|UPCs?|GTIN|EAN|bar\s*codes?"
    r"|PO\s+number|IMEI|file\s+numbers?|recall\s+numbers?|ID\s+numbers?|product\s+ID|ASIN|standard|ASTM|UL"
    r"|ANSI|IEC|ISO|FCC\s+ID|certification)\b",
    re.IGNORECASE,
)
_UNITS = (
    r"mah|ah|wh|kwh|v|vac|vdc|volts?|w|watts?|a|amps?|ma|hz|khz|mhz|ghz|mm|cm|m|in|inch|inches|ft|foot|feet"
    r"|lbs?|pounds?|oz|ounces?|g|kg|ml|l|qt|quarts?|gal|gallons?|gb|tb|mb|k|mph|cells?|digits?|years?|months?"
    r"|pieces?|pack|ports?|speeds?|days?|hours?|minutes?|degrees?|layers?|way|p|x|s|st|nd|rd|th|pc|pcs"
)
_NOT_MODEL = re.compile(
    rf"^(?:(?:ac|dc)?\d+(?:[.,]\d+)?-?(?:{_UNITS})|\d+(?:-\d+)+-?(?:{_UNITS})|(?:19|20)\d\d|\d{{1,2}}-\d{{1,2}}-\d{{2,4}}"
    r"|\d{3}-\d{3}-\d{4}|\d+-in-\d+|(?:cr|lr|sr)\d{4}|ul\d+|usb-?c\d*|covid-?19|\d+(?:k|x)\d*|[a-z]-?\d)$",
    re.IGNORECASE,
)
_NUMBERS = re.compile(r"^\d+(?:-\d+)+$")  # "21-028": recall numbers, dates, counts, unless a keyword says model
_SEPARATORS = frozenset({",", "and", "or", "&", "/", ";", "(", ")", ":", "only", "including", "the", "variation"})


def clean(text: str) -> str:
    """Unicode-normalise dashes and spaces so that "BI\u2011B41" reads as "BI-B41"."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(clean(text)) if s.strip()]


def model_numbers(text: str) -> list[str]:
    """Model codes named in ``text``, in order of first appearance, without duplicates."""
    found: dict[str, str] = {}
    for sentence in sentences(text):
        strong = _strong(sentence)
        parts = {_key(part) for code in strong if " " in code for part in code.split()}
        for code in strong + [c for c in _by_shape(sentence) if _key(c) not in parts]:
            found.setdefault(_key(code), code)
    return list(found.values())


def retailer_ids(text: str) -> list[str]:
    """Amazon product ids (ASINs) such as B00LRK8EVO."""
    out: dict[str, None] = {}
    for token in _TOKEN.findall(clean(text)):
        if ASIN.match(token):
            out[token] = None
    return list(out)


def _key(code: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", code.upper())


def looks_like_code(token: str, *, strong: bool) -> bool:
    """True if ``token`` can be a model code; with ``strong`` context, bare numbers of 3+ digits pass too."""
    if len(token) > 24 or _NOT_MODEL.match(token) or ASIN.match(token):
        return False
    digit_count = sum(c.isdigit() for c in token)
    if strong:
        return (digit_count >= 1 and len(_key(token)) >= 3) or (token.isalpha() and token.isupper() and len(token) >= 3)
    if _NUMBERS.match(token) or not any(c.isalpha() for c in token):
        return False
    if digit_count < 2:  # "ATH-CK3TW" passes, "Note7" and "D4" do not
        return digit_count == 1 and "-" in token and token.isupper() and len(_key(token)) >= 6
    if any(c.isupper() for c in token):
        return True
    return bool(re.match(r"^[a-z]{1,3}\d{3,}[a-z]?$", token))


def _split(token: str) -> list[str]:
    """Split "A1642/A1647" into codes, but keep "3927000H11/A" whole."""
    parts = token.split("/")
    if len(parts) > 1 and all(sum(c.isdigit() for c in p) >= 1 and len(p) >= 3 for p in parts):
        return parts
    return [token]


def _tokens(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        offset = match.start()
        for part in _split(match.group()):
            out.append((offset, part))
            offset += len(part) + 1
    return out


def _strong(sentence: str) -> list[str]:
    """Codes listed right after a model keyword: "model numbers H7130, H7131 and H7132"."""
    out: list[str] = []
    for key in list(_MODEL_KEY.finditer(sentence)) + list(_HASH_KEY.finditer(sentence)):
        listed = _list_after(sentence[key.end() :])
        colon = sentence.find(":", key.end())
        if not listed and colon > 0 and re.search(r"(?:numbers|models)\s*$", key.group().strip(" :#"), re.I):
            listed = _list_after(sentence[colon + 1 :])  # "part numbers ... printed on a sticker: 42T4695, ..."
        out.extend(listed)
    return out


def _list_after(rest: str) -> list[str]:
    out: list[str] = []
    pending: str | None = None
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9/-]*[A-Za-z0-9]|[A-Za-z0-9]|[,;:&()/]", rest):
        if word.lower() in _SEPARATORS:
            if pending:
                out.append(pending)
            pending = None
            continue
        codes = _split(word)
        if not all(looks_like_code(c, strong=True) for c in codes):
            break
        if pending and len(codes) == 1 and not out and sum(c.isdigit() for c in word) >= 2:
            pending = f"{pending} {word}"  # "CYAP05 050100U": one code printed with a space
            continue
        if pending:
            out.append(pending)
        out.extend(codes[:-1])
        pending = codes[-1]
    if pending:
        out.append(pending)
    return out


def _by_shape(sentence: str) -> list[str]:
    keys = sorted(
        [(m.end(), True) for m in _MODEL_KEY.finditer(sentence)]
        + [(m.end(), False) for m in _OTHER_KEY.finditer(sentence)]
    )
    out: list[str] = []
    for offset, token in _tokens(sentence):
        if not looks_like_code(token, strong=False):
            continue
        before = [is_model for end, is_model in keys if end <= offset]
        if before and not before[-1]:
            continue
        out.append(token)
    return out
