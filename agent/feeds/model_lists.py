"""Model codes listed after a keyword ("model numbers H7130, H7131 and H7132", "Model #", "SKU"), at the
end of a table row, or beside a code taken by its shape ("T1xe, T3x and T3xh-02").
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.feeds.model_codes import key, looks_like_code, not_model_keys, split_codes
from agent.feeds.patterns import Folded, may_hold

_QUOTES = "\"\u201c\u201d\u2018\u2019'"

_MODEL_KEY = re.compile(
    r"\b(?:models?(?:\s+(?:numbers?|nos?\.?|codes?|names?))?|model\s*#|part\s+(?:numbers?|nos?\.?)|P/N"
    r"|item\s+(?:numbers?|nos?\.?|#)|order\s+codes?|style\s+(?:numbers?|#)|SKUs?(?:\s+(?:numbers?|#))?|catalog\s+numbers?"
    r"|reference\s+numbers?)\s*(?:[:#]|\bis\b|\bare\b)?\s*",
    re.IGNORECASE,
)
_MODEL_WORDS = ("model", "part", "p/n", "item", "order", "style", "sku", "catalog", "reference")  # one per key
_MODEL_AFTER = re.compile(r"\bthe ([A-Z][A-Z0-9-]{0,10}\d[A-Z0-9-]*) model\b")  # "the MP2 model of ..."
_QUOTED = re.compile(  # 'model number "F7 Pro"', 'the model number for the battery pack ("41424")'
    rf"(?:(?:for|of)\s+(?:the\s+)?[a-z][a-z' -]{{0,30}}\(\s*)?"
    rf"[{_QUOTES}]([A-Za-z0-9][A-Za-z0-9 ./-]{{0,20}})[{_QUOTES}]"
)
_VALUE_KEY = re.compile(r"\b(?:serial|S/N|lot|batch)\b", re.IGNORECASE)  # "... serial numbers: 22D226941"
_VERB = re.compile(r"(?:[a-z]+\s+){1,5}?(?:are|is|include)\s+")
_TYPE_KEY = re.compile(r"\bTYPE\s*:?\s*")  # "TYPE X" as printed on a label, upper case only
_HASH_KEY = re.compile(r"(?:\b[A-Za-z]{1,6}\s?#|\bNo\.)\s*")
OTHER_KEY = Folded(
    r"\b(?:serial|s/?n|sn|lot|batch|date\s+codes?|manufactur\w*\s+codes?|codes?|upcs?|gtin|ean|bar\s*codes?"
    r"|mid|po\s+numbers?|tracking\s+numbers?|imei|file\s+numbers?|recall\s+numbers?|release|id\s+numbers?|product\s+id|asin|standard|astm"
    r"|ul|ansi|iec|iso|fcc\s+id|certification|vins?|vehicle\s+identification\s+numbers?|accession|rev(?:ision)?(?=\.?\s+[a-z]*\d)|phone|call|toll-free|fax|text)\b"
)
_GLOSS = re.compile(r"(?<=[A-Za-z0-9])\s*\([a-z][a-z -]{2,30}\)(?=\s*(?:,|and\b|or\b))")
_SEPARATORS = frozenset(
    {",", "and", "or", "&", "/", ";", "(", ")", ":", "only", "including", "the", "variation", "numbers", "models"}
)
_COLUMN_NAMES = re.compile(r"^(?:[A-Z][a-z]+ ){1,2}(?=\d{4,} )")  # "Model NumberDescription7526575 72\""
# Compiled here rather than looked up in re's cache on every call (each sentence and list asks for them).
_SERIES = re.compile(r"(?:that\s+)?(?:start(?:s|ing)?|begin(?:s|ning)?)\s+with\s+(?:the\s+)?(?:letters\s+)?|series\s+")
_ENDS_LIST = re.compile(r"(?:numbers|models|codes)(?:\s+(?:are|is))?\s*$", re.I)
_ROW_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9/.-]*[A-Za-z0-9]|[A-Za-z0-9]|[,;&]")
_LIST_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9/.-]*[A-Za-z0-9]|[A-Za-z0-9]|[,;:&()/]")
_LETTER_GROUP = re.compile(r"[A-Z]{2,3}")


def after_keywords(sentence: str) -> list[str]:
    """Codes listed right after a model keyword: "model numbers H7130, H7131 and H7132"."""
    # each pattern runs only on a sentence holding the words it needs
    out = [m[1] for m in _MODEL_AFTER.finditer(sentence)] if "the " in sentence and " model" in sentence else []
    hashed = "#" in sentence or "No." in sentence
    hashes = [m for m in _HASH_KEY.finditer(sentence) if not _other_field(sentence, m)] if hashed else []
    keys = [*model_keys(sentence), *hashes, *(_TYPE_KEY.finditer(sentence) if "TYPE" in sentence else ())]
    for found in keys:
        rest = sentence[found.end() :]
        quoted = _QUOTED.match(rest)
        if quoted and any(c.isdigit() for c in quoted[1]):
            out.append(quoted[1].strip())  # 'the model number "F7 Pro"': the quotes say where it ends
            continue
        starting = _SERIES.match(rest)  # "model series 39N7": every model of the series starts with 39N7
        prefixes = [f"{c}*" for c in _list_after(rest[starting.end() :]) if len(key(c)) >= 3] if starting else []
        if prefixes:
            out.extend(prefixes)
            continue
        verb = _VERB.match(rest)  # "the model numbers affected by this recall are 2292112, 2280182 and ..."
        listed = _list_after(rest) or (_list_after(rest[verb.end() :]) if verb else [])
        listed = listed or _list_after(_COLUMN_NAMES.sub("", rest, count=1))
        colon = sentence.find(":", found.end())
        ends_list = _ENDS_LIST.search(found.group().strip(" :#"))
        if not listed and colon > 0 and ends_list and not _VALUE_KEY.search(sentence, found.end(), colon):
            listed = _list_after(sentence[colon + 1 :])  # "part numbers ... printed on a sticker: 42T4695, ..."
        out.extend(listed)
    return out


def _other_field(sentence: str, found: re.Match[str]) -> bool:
    """ "MID #", "PO #", "Serial No.", "Accession No.": the number sign or "No." of another field."""
    if OTHER_KEY.match(found.group()):
        return True
    before = sentence[max(0, found.start() - 30) : found.start()].rstrip()
    return bool(before) and any(end == len(before) for _, end in OTHER_KEY.spans(before))


@lru_cache(maxsize=256)  # each sentence is read for keywords three times in a row
def model_keys(sentence: str) -> tuple[re.Match[str], ...]:
    return tuple(_MODEL_KEY.finditer(sentence)) if may_hold(sentence, _MODEL_WORDS) else ()


@lru_cache(maxsize=256)  # and for the keys of other fields as often
def other_keys(sentence: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each OTHER_KEY that ``finditer`` finds in ``sentence``."""
    return tuple(OTHER_KEY.spans(sentence))


def other_key_after(sentence: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of ``OTHER_KEY.search(sentence, pos)``, or None. Where no key of ``other_keys`` runs over
    ``pos``, the search tries the same places as ``finditer`` did from there on, so it finds the same one."""
    for start, end in other_keys(sentence):
        if start >= pos:
            return start, end
        if end > pos:
            return OTHER_KEY.search(sentence, pos)
    return None


def row_codes(line: str) -> list[str]:
    """The codes at the end of a table row under a "Model Number" heading: "Best View 28030, 28030Z"."""
    words = _ROW_WORD.findall(line)
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
    rest = _GLOSS.sub("", rest) if "(" in rest else rest  # "1323613 (e-start) and 1323614 (manual start)"
    words = [w.rstrip(".") for w in _LIST_WORD.findall(rest)]
    for index, word in enumerate(words):
        codes = split_codes(word)
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
        if _LETTER_GROUP.fullmatch(word) and key(word) not in not_model_keys() and not pending:
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
    if key(word) in not_model_keys() or " " in pending:
        return False
    if first and sum(c.isdigit() for c in word) >= 2 and looks_like_code(word, strong=True):
        return len(word) <= 8 and len(pending) <= 10  # longer pieces are two codes side by side
    return word.isalpha() and word.isupper() and len(word) <= 3 and any(c.isdigit() for c in pending)


def listed_siblings(sentence: str, tokens: list[tuple[int, str]], index: int) -> list[str]:
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
