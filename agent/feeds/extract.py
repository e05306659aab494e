"""Model numbers from recall prose: pure functions, precise rather than greedy.

A code is taken when it follows a model keyword ("model number", "Model:", "part numbers", "SKU", "#"),
when it stands in a table column headed "Model", or when its shape alone says "model code" (letters and at
least two digits, such as A1112, BS-30KP365, 5UM5E5). Codes listed next to one taken by shape are taken
too ("T1xe, T3x and T3xh-02"). Shape-only candidates are dropped in a serial, batch, UPC, bar-code or
standard context, and tokens that are years, dates, phone numbers, capacities, voltages, sizes, release
numbers, field names or Amazon product ids never count.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache, lru_cache

from agent.feeds import printed
from agent.feeds.brands import vocabulary
from agent.feeds.cells import model_column, named_models, unglue
from agent.feeds.families import column_siblings
from agent.feeds.text import clean

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])|\n+|(?<=[a-z0-9])\.(?=[A-Z][a-z])")
ASIN = re.compile(r"^B0[0-9A-Z]{8}$")
_QUOTES = "\"\u201c\u201d\u2018\u2019'"

_MODEL_KEY = re.compile(
    r"\b(?:models?(?:\s+(?:numbers?|nos?\.?|codes?|names?))?|model\s*#|part\s+(?:numbers?|nos?\.?)|P/N"
    r"|item\s+(?:numbers?|nos?\.?|#)|order\s+codes?|style\s+(?:numbers?|#)|SKUs?(?:\s+(?:numbers?|#))?|catalog\s+numbers?"
    r"|reference\s+numbers?)\s*(?:[:#]|\bis\b|\bare\b)?\s*",
    re.IGNORECASE,
)
_MODEL_AFTER = re.compile(r"\bthe ([A-Z][A-Z0-9-]{0,10}\d[A-Z0-9-]*) model\b")  # "the MP2 model of ..."
_QUOTED = re.compile(  # 'model number "F7 Pro"', 'the model number for the battery pack ("41424")'
    rf"(?:(?:for|of)\s+(?:the\s+)?[a-z][a-z' -]{{0,30}}\(\s*)?"
    rf"[{_QUOTES}]([A-Za-z0-9][A-Za-z0-9 ./-]{{0,20}})[{_QUOTES}]"
)
_OTHER_PRODUCT = re.compile(r"\bcompatible\s+with\b", re.IGNORECASE)
_VALUE_KEY = re.compile(r"\b(?:serial|S/N|lot|batch)\b", re.IGNORECASE)  # "... serial numbers: 22D226941"
_VERB = re.compile(r"(?:[a-z]+\s+){1,5}?(?:are|is|include)\s+")
_TYPE_KEY = re.compile(r"\bTYPE\s*:?\s*")  # "TYPE X" as printed on a label, upper case only
_HASH_KEY = re.compile(r"(?:\b[A-Za-z]{1,6}\s?#|\bNo\.)\s*")
_OTHER_KEY = re.compile(
    r"\b(?:serial|S/?N|SN|lot|batch|date\s+codes?|manufactur\w*\s+codes?|codes?|UPCs?|GTIN|EAN|bar\s*codes?"
    r"|MID|PO\s+numbers?|tracking\s+numbers?|IMEI|file\s+numbers?|recall\s+numbers?|release|ID\s+numbers?|product\s+ID|ASIN|standard|ASTM"
    r"|UL|ANSI|IEC|ISO|FCC\s+ID|certification|VINs?|vehicle\s+identification\s+numbers?|accession|rev(?:ision)?(?=\.?\s+[A-Z]*\d)|phone|call|toll-free|fax|text)\b",
    re.IGNORECASE,
)
_UNITS = (
    r"mah|ah|wh|kwh|v|vac|vdc|volts?|w|watts?|a|amps?|ma|hz|khz|mhz|ghz|mm|cm|m|in|inch|inches|ft|foot|feet"
    r"|lbs?|pounds?|oz|ounces?|g|kg|ml|l|lt|liters?|litres?|qt|quarts?|gal|gallons?|gb|tb|mb|k|mph|cells?"
    r"|digits?|years?|months?|pieces?|pack|ports?|speeds?|days?|hours?|minutes?|degrees?|layers?|way|p|x|s|st"
    r"|nd|rd|th|pc|pcs|cc|psi|btu|hp|rpm|db|lm|f|c|t|gpm|cfm|ct|count|drawers?|burners?|seats?|inches"
)
_NOT_MODEL = re.compile(
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
_GLOSS = re.compile(r"(?<=[A-Za-z0-9])\s*\([a-z][a-z -]{2,30}\)(?=\s*(?:,|and\b|or\b))")
_SEPARATORS = frozenset(
    {",", "and", "or", "&", "/", ";", "(", ")", ":", "only", "including", "the", "variation", "numbers", "models"}
)
_ABBREVIATIONS = re.compile(r"(?:\b(?:No|Nos|Co|Inc|Ltd|Corp|St|Mr|Mrs|Ms|Dr|approx|vs|U\.S|Jr|Sr)|\b[A-Z])\.$")
_RANGE_ENDS = re.compile(
    r"\b([A-Z0-9][A-Z0-9-]{4,})\s+(?:-|to|through|thru)\s+([A-Z0-9][A-Z0-9-]{4,})\b"
    r"|\b(?:[Bb]etween|[Ff]rom)\s+([A-Z0-9][A-Z0-9-]{3,})\s+(?:and|to)\s+([A-Z0-9][A-Z0-9-]{3,})\b"
)
_RANGE_START = re.compile(r"(?<![A-Za-z0-9-])([A-Z0-9][A-Za-z0-9-]{4,}\d)\s+(?:through|thru)\s")  # and its shape
_HEADER_WORDS = re.compile(r"(?:\s*(?:(?:[A-Z][a-z]*|[A-Z]+)(?![A-Za-z0-9])|/|#|\(first \d+ digits\)|No\.))*")
_NOT_KEY = re.compile(r"[^0-9A-Z]")
_DIGIT = re.compile(r"[0-9]")
_PLACEHOLDER_TAIL = re.compile(r"X{2,}$")
_DIGIT_PLACEHOLDER = re.compile(r"\dX{2,}$")
_STAR_END = r"(?!\*)(?![0-9](?![A-Za-z0-9.-]*\*))"  # "A1*" or "790.990121*790.990131*", never "1TC720E****0100"
_PROSE = re.compile(r"\b[a-z]{3,}\b")
_FIRST_CELL = re.compile(r"\s*(\d{4,10})(?![A-Za-z0-9-])")
_FIRST_DIGITS = re.compile(r"\(first (\d+) (?:digits|characters)\)", re.IGNORECASE)
_COLUMN_NAMES = re.compile(r"^(?:[A-Z][a-z]+ ){1,2}(?=\d{4,} )")  # "Model NumberDescription7526575 72\""
_TABLE_HEAD = re.compile(r"\bmodel(?:\s+(?:number|no\.?|#))?s?\s*$", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """Sentences and lines; a full stop after "No", "Co", "Inc" or an initial does not end one."""
    return list(_sentences(text))


@lru_cache(maxsize=1024)
def _sentences(text: str) -> tuple[str, ...]:  # every criterion reads the same description's sentences
    out: list[str] = []
    for part in _SENTENCE.split(clean(text)):
        if out and _ABBREVIATIONS.search(out[-1]) and part[:1] != "\n":
            out[-1] = f"{out[-1]} {part.strip()}"
        elif part.strip():
            out.append(part.strip())
    return tuple(out)


def _prefixed(code: str, sentence: str) -> str:
    """ "FEFBZ90GC*" and "3MGMR60XXX" in the notice: every model starting with FEFBZ90GC or 3MGMR60."""
    stem = _PLACEHOLDER_TAIL.sub("", code) if _DIGIT_PLACEHOLDER.search(code) else code
    starred = f"{code}*" in sentence and re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}\*{_STAR_END}", sentence)
    if stem != code or starred:
        return stem + "*" if len(key(stem)) >= 3 else code
    return code


def model_numbers(text: str, exclude: Iterable[str] = (), brands: Iterable[str] = ()) -> list[str]:
    """Model codes named in ``text``, in order of first appearance, without duplicates.

    ``exclude`` names words that are not models whatever their shape ("Vevor"); a code that starts with one
    of ``brands`` is a name, not a model ("Hover-1 Helix").
    """
    exclude = list(exclude)
    skip = {key(e) for e in exclude} | _not_model_keys()
    names = skip | {key(b) for b in brands}
    for brand in (b for b in exclude if b.isalnum() and len(b) >= 3 and b.upper() in text):
        text = _glued_to(brand.upper()).sub(brand.upper() + " ", text)
    found: dict[str, str] = {}
    table = False
    lines = sentences(printed.headed_cells(unglue(text)))
    for sentence, kept in zip(lines, _spec_tables(lines, named_models(text)), strict=True):
        strong = _strong(sentence)
        if table and len(sentence.split()) <= 10:
            strong += _row(sentence)
        table = bool(_TABLE_HEAD.search(sentence)) or (table and len(sentence.split()) <= 10)
        parts = {key(part) for code in strong if " " in code for part in code.split()}
        strong += _column_cells(sentence, [*strong, *found.values()])
        for candidate in strong + [c for c in _by_shape(sentence, kept) if key(c) not in parts]:
            first = key(candidate.split()[0])
            if key(candidate) not in skip and key(candidate) and (first not in names or " " not in candidate):
                code = _prefixed(candidate, sentence)
                found.setdefault(key(code) + "*" * code.endswith("*"), code)
    for name in printed.named_models(unglue(text)):  # "COMO 3.0 IGHCOMO SL 4.0": a brand may open these
        found.setdefault(key(name), name)
    codes = [code for k, code in found.items() if k.endswith("*") or k + "*" not in found]  # a prefix covers it
    return printed.with_series_letters(codes, unglue(text))


def _spec_tables(lines: list[str], named: frozenset[str]) -> list[frozenset[str]]:
    """For each sentence, the shapes of the models a table with a specification column holds (see
    ``cells.model_column``): the header's sentence and the rows after it that hold no prose."""
    out: list[frozenset[str]] = [frozenset()] * len(lines)
    for index, line in enumerate(lines):
        header = _table_header(line) if named else 0
        if header:
            rows = [line[header:], *itertools.takewhile(lambda s: not _PROSE.search(s), lines[index + 1 :])]
            kept = model_column(line[:header], " ".join(rows), named)
            out[index : index + len(rows)] = [kept] * len(rows)
    return out


def _column_cells(sentence: str, known: list[str]) -> list[str]:
    """The first cell under a header that names the model column first, and numbers standing where such a
    model number does; never in prose about date codes ("date codes between 16919 and 11122")."""
    header = _table_header(sentence)
    cell = _FIRST_CELL.match(sentence, header) if header else None
    anchors = [cell[1]] if cell and not _NOT_MODEL.match(cell[1]) else []  # never a model year ("2025 KX450")
    if header or not _OTHER_KEY.search(sentence):
        return anchors + column_siblings(sentence, [*known, *anchors])
    return anchors


@lru_cache(maxsize=1024)  # brands come back in record after record
def _glued_to(brand: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Z0-9]){re.escape(brand)}(?=[A-Z]{{2,}}-?\d)")


@cache
def _not_model_keys() -> frozenset[str]:
    return frozenset(key(w) for w in vocabulary().not_models)


def retailer_ids(text: str) -> list[str]:
    """Amazon product ids (ASINs) such as B00LRK8EVO."""
    out: dict[str, None] = {}
    for token in _TOKEN.findall(clean(text)):
        if token.startswith("B0") and ASIN.match(token):
            out[token] = None
    return list(out)


def key(code: str) -> str:
    """A code as rules compare it: upper case, letters and digits only."""
    upper = code.upper()
    return upper if upper.isascii() and upper.isalnum() else _NOT_KEY.sub("", upper)


@lru_cache(maxsize=65536)  # the same tokens come back in every sentence and record
def looks_like_code(token: str, *, strong: bool) -> bool:
    """True if ``token`` can be a model code; with ``strong`` context, bare numbers of 3+ digits pass too."""
    if strong and re.fullmatch(r"\d+\.\d+[A-Za-z]?|\d{3,}[A-Z]{1,2}", token):
        return len(key(token)) >= 3  # "model 1.5", "models 130C and 130L": what a unit would look like
    if len(token) > 20 or _NOT_MODEL.match(token) or ASIN.match(token) or _VIN.match(token):
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
    return bool(re.match(r"^[a-z]{1,3}\d{3,}[a-z]?$", token))


def _split(token: str) -> list[str]:
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


def _tokens(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        offset = match.start()
        for part in _split(match.group().rstrip(".")):
            out.append((offset, part))
            offset += len(part) + 1
    return out


def _strong(sentence: str) -> list[str]:
    """Codes listed right after a model keyword: "model numbers H7130, H7131 and H7132"."""
    out: list[str] = [m[1] for m in _MODEL_AFTER.finditer(sentence)]
    hashes = [m for m in _HASH_KEY.finditer(sentence) if not _other_field(sentence, m)]
    keys = [*_model_keys(sentence), *hashes, *_TYPE_KEY.finditer(sentence)]
    for found in keys:
        rest = sentence[found.end() :]
        quoted = _QUOTED.match(rest)
        if quoted and any(c.isdigit() for c in quoted[1]):
            out.append(quoted[1].strip())  # 'the model number "F7 Pro"': the quotes say where it ends
            continue
        starting = re.match(  # "model series 39N7": every model of the series starts with 39N7
            r"(?:that\s+)?(?:start(?:s|ing)?|begin(?:s|ning)?)\s+with\s+(?:the\s+)?(?:letters\s+)?|series\s+", rest
        )
        prefixes = [f"{c}*" for c in _list_after(rest[starting.end() :]) if len(key(c)) >= 3] if starting else []
        if prefixes:
            out.extend(prefixes)
            continue
        verb = _VERB.match(rest)  # "the model numbers affected by this recall are 2292112, 2280182 and ..."
        listed = _list_after(rest) or (_list_after(rest[verb.end() :]) if verb else [])
        listed = listed or _list_after(_COLUMN_NAMES.sub("", rest, count=1))
        colon = sentence.find(":", found.end())
        ends_list = re.search(r"(?:numbers|models|codes)(?:\s+(?:are|is))?\s*$", found.group().strip(" :#"), re.I)
        if not listed and colon > 0 and ends_list and not _VALUE_KEY.search(sentence, found.end(), colon):
            listed = _list_after(sentence[colon + 1 :])  # "part numbers ... printed on a sticker: 42T4695, ..."
        out.extend(listed)
    return out


def _other_field(sentence: str, found: re.Match[str]) -> bool:
    """ "MID #", "PO #", "Serial No.", "Accession No.": the number sign or "No." of another field."""
    if _OTHER_KEY.match(found.group()):
        return True
    before = sentence[max(0, found.start() - 30) : found.start()].rstrip()
    return bool(before) and any(m.end() == len(before) for m in _OTHER_KEY.finditer(before))


@lru_cache(maxsize=256)  # each sentence is read for keywords three times in a row
def _model_keys(sentence: str) -> tuple[re.Match[str], ...]:
    return tuple(_MODEL_KEY.finditer(sentence))


def _row(line: str) -> list[str]:
    """The codes at the end of a table row under a "Model Number" heading: "Best View 28030, 28030Z"."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9/.-]*[A-Za-z0-9]|[A-Za-z0-9]|[,;&]", line)
    out: list[str] = []
    for word in reversed(words):
        if word in ",;&":
            continue
        if not looks_like_code(word, strong=True) or not any(c.isdigit() for c in word):
            break
        out.insert(0, word)
    return out


def _list_after(rest: str) -> list[str]:
    out: list[str] = []
    pending: str | None = None
    letters = ""  # "NZ 9110.3": a letter group printed before the digits
    rest = _GLOSS.sub("", rest)  # "1323613 (e-start) and 1323614 (manual start)": a note in lower case
    words = [w.rstrip(".") for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9/.-]*[A-Za-z0-9]|[A-Za-z0-9]|[,;:&()/]", rest)]
    for index, word in enumerate(words):
        codes = _split(word)
        if letters:
            if any(c.isdigit() for c in codes[0]) and looks_like_code(codes[0], strong=True):
                codes = [f"{letters} {codes[0]}", *codes[1:]]
            elif out and word == "," and len(letters) == 3 and _coded(words[index + 1 : index + 2]):
                out.append(letters)  # "models 750, 1000, TGB, GC1K": a letter code between codes
            letters = ""
        if word.lower() in _SEPARATORS:
            if pending:
                out.append(pending)
            pending = None
            continue
        if re.fullmatch(r"[A-Z]{2,3}", word) and key(word) not in _not_model_keys() and not pending:
            letters = word
            continue
        if pending and _is_tail(word, pending, first=not out):
            pending = f"{pending} {word}"  # "CYAP05 050100U", "BY-300 FS": one code printed with a space
            continue
        if not all(looks_like_code(c.split()[-1], strong=True) for c in codes):
            head = word.split(".")[0]  # "55715.4-foot-wide models": a list ended where a sentence began
            if (pending or out) and head != word and looks_like_code(head, strong=True):
                out.extend(c for c in (pending, head) if c)
                pending = None
            break
        if pending:
            out.append(pending)
        out.extend(codes[:-1])
        pending = codes[-1]
    if pending:
        out.append(pending)
    return out


def _coded(words: list[str]) -> bool:
    return bool(words) and any(c.isdigit() for c in words[0]) and looks_like_code(words[0], strong=True)


def _is_tail(word: str, pending: str, *, first: bool) -> bool:
    """A second part of a code printed with a space: digits ("CYAP05 050100U") or 1-3 capitals ("FS")."""
    if key(word) in _not_model_keys() or " " in pending:
        return False
    if first and sum(c.isdigit() for c in word) >= 2 and looks_like_code(word, strong=True):
        return len(word) <= 8 and len(pending) <= 10  # longer pieces are two codes side by side
    return word.isalpha() and word.isupper() and len(word) <= 3 and any(c.isdigit() for c in pending)


def _by_shape(sentence: str, kept: frozenset[str] = frozenset()) -> list[str]:
    if not _DIGIT.search(sentence):
        return []  # only a token with a digit can look like a code without a keyword before it
    keys = sorted(
        [(m.end(), True) for m in _model_keys(sentence)] + [(m.end(), False) for m in _OTHER_KEY.finditer(sentence)]
    )
    key_ends = [end for end, _ in keys]
    tokens = _tokens(sentence)
    header = _table_header(sentence)
    ends = {key(e) for m in _RANGE_ENDS.finditer(sentence) for e in m.groups() if e}
    starts = {printed.shape(m[1]) for m in _RANGE_START.finditer(sentence, header)} if header else set()
    columns = printed.serial_columns(sentence[header:]) if header else frozenset()
    first_digits = _FIRST_DIGITS.search(sentence, 0, header) if header else None
    other = _OTHER_PRODUCT.search(sentence)  # "heaters compatible with ... Pioneer 700 (SXS700)": not theirs

    def serial(token: str) -> bool:  # under the header: a serial column's value or one end of a range
        return bool(
            _serial_like(token)
            or key(token) in ends
            or printed.shape(token) in columns
            or printed.shape(token) in starts
            or printed.joined_range(token)
            or (first_digits and len(key(token)) == int(first_digits[1]))  # "(first 8 digits)": serial starts
        )

    out: list[str] = []
    for index, (offset, token) in enumerate(tokens):
        if not looks_like_code(token, strong=False) or (other and offset > other.start()):
            continue
        if len(token) <= 6 and sentence.startswith("**", offset + len(token)):
            continue  # "T1253**********": a serial's pattern, stars where any character may stand
        if kept and offset >= header and printed.shape(token) not in kept:
            continue  # a specification column's value beside the models the prose named
        before = bisect_right(key_ends, offset)  # the keywords that end before the token
        if header and offset >= header:
            if serial(token):
                continue  # a table's serial column, or one end of a range
        elif before and not keys[before - 1][1]:
            continue
        siblings = _siblings(sentence, tokens, index)
        if header and offset >= header and any(map(serial, siblings)):
            continue  # the values of one list are of one field: a serial among them makes them all serials
        out.append(token)
        out.extend(siblings)
    return out


def _serial_like(token: str) -> bool:
    """Ten digits or more, not in short hyphenated groups as an item number ("HT21-401-002-01") is."""
    digits = [sum(c.isdigit() for c in part) for part in token.split("-")]
    return sum(digits) >= 10 and max(digits) >= 6


def _table_header(sentence: str) -> int:
    """Where the rows of a table begin whose header names the model column first ("Model Serial Number
    Range R09894 ..."), or 0. Under such a header a model code is no serial, whatever column follows."""
    found = _model_keys(sentence)
    if not found:
        return 0
    model = found[0]  # the first match, as a search finds it
    other = _OTHER_KEY.search(sentence, model.end())
    if not other or other.start() - model.end() > 60:
        return 0
    between = sentence[model.end() : other.start()]
    if any(c.isdigit() for c in between):
        return 0
    words = _HEADER_WORDS.match(sentence[other.end() :])
    return other.end() + (words.end() if words else 0)


def _siblings(sentence: str, tokens: list[tuple[int, str]], index: int) -> list[str]:
    """Codes in the same "A, B and C" list as a code taken by shape, with its first letter and a digit."""
    out: list[str] = []
    token = tokens[index][1]
    for step in (-1, 1):
        here = index
        while 0 <= here + step < len(tokens):
            there = here + step
            if tokens[there][1] in ("and", "or") and 0 <= there + step < len(tokens):
                there += step  # "T3xm and T3xh-02": the word is the gap, not a code
            start, end = sorted((tokens[here][0], tokens[there][0]))
            gap = sentence[start + len(tokens[min(here, there)][1]) : end].strip()
            candidate = tokens[there][1]
            if gap not in (",", "and", ", and", "or", ", or", "/") or candidate[0] != token[0]:
                break
            if not any(c.isdigit() for c in candidate) or not looks_like_code(candidate, strong=True):
                break
            out.append(candidate)
            here = there
    return out
