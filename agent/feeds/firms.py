"""The firms a notice names, as brands: legal forms and places cut off, "d/b/a" names, the core of a name.

The legal forms, places and trade words are data: agent/feeds/data/brands.toml.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.feeds.brands import normalize_space, vocabulary

_NOT_A_FIRM = re.compile(r"(?:Made|Manufactured) in\b|(?:one|two|three|four|five|six|several|various)\s", re.I)

_PLACE_TAIL = re.compile(r",?\s+(?:of|in|from|based in)\s+[A-Z].*$|,\s*$")
_TOWN_TAIL = re.compile(r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)+$")  # "X, Batesville, Arkansas"
_PARENS = re.compile(r"\s*\([^)]*\)")
_DBA = re.compile(
    r",?\s+(?:d/b/a/?|d\.b\.a\.|dba|doing business as|trading as|t/a)\s+|,\s+(?:a\s+)?(?:subsidiary|division) of\s+",
    re.IGNORECASE,
)


def firm_names(name: str) -> list[str]:
    """A firm as brands: legal form and place cut off, "d/b/a" names and the core of a Chinese legal name.

    "Shenzhen Fengqisi Car Industry Co., Ltd., dba FENGQS, of China" -> ["Shenzhen Fengqisi Car Industry",
    "Fengqisi", "FENGQS"].
    """
    return list(_firm_names(name))


@lru_cache(maxsize=4096)  # the same firms recall product after product
def _firm_names(name: str) -> tuple[str, ...]:
    name = _PARENS.sub("", normalize_space(name))
    if _NOT_A_FIRM.match(name):
        return ()  # "Made in China", "six manufacturers": the record names no firm here
    out: list[str] = []
    for piece in _DBA.split(name):
        part = _TOWN_TAIL.sub("", strip_legal(_PLACE_TAIL.sub("", piece).strip(" ,.;")))
        if not part:
            continue
        out.append(part)
        core = _core(part) or _without_trade(part)
        if core and core != part:
            out.append(core)
    return tuple(out)


def strip_legal(name: str) -> str:
    """ "Anker Innovations Limited" -> "Anker Innovations"; "X Co., Ltd." -> "X"; repeated forms too."""
    tails, any_tail = _legal_tails()
    changed = True
    while changed:
        changed = False
        folded = name.casefold().rstrip(".")
        if not folded.endswith(any_tail):
            break  # no suffix ends it: the loop below would find none
        for tail, ends in tails:
            if folded.endswith(ends):
                name = name.rstrip(".")[: -len(tail)].rstrip(" ,.")
                changed = True
                break
    return name.strip(" ,")


@lru_cache(maxsize=1)
def _legal_tails() -> tuple[tuple[tuple[str, tuple[str, str]], ...], tuple[str, ...]]:
    """Each legal suffix as strip_legal compares it, in the vocabulary's order (longest first), with the two
    endings that mean it (after a space or a comma); and all those endings together."""
    tails = [suffix.casefold().rstrip(".") for suffix in vocabulary().legal_suffixes]
    pairs = tuple((tail, (" " + tail, "," + tail)) for tail in tails)
    return pairs, tuple(end for _, ends in pairs for end in ends)


def _without_trade(name: str) -> str:
    """ "Black Diamond Equipment" -> "Black Diamond", "Hatch Baby" -> "Hatch": trade words cut off the end."""
    words = name.split()
    while len(words) > 1 and (words[-1].casefold() in vocabulary().trade_words or not words[-1].isalnum()):
        words.pop()
    return " ".join(words)


def _core(name: str) -> str:
    """ "Shenzhen Topstar Industry" -> "Topstar": the words between a place and the trade words."""
    vocab = vocabulary()
    words = name.split()
    start = 0
    while start < len(words) - 1 and (
        words[start].casefold() in vocab.place_prefixes or " ".join(words[start : start + 2]).casefold() == "hong kong"
    ):
        start += 2 if " ".join(words[start : start + 2]).casefold() == "hong kong" else 1
    if start == 0:
        return ""
    end = start
    while end < len(words) and words[end].casefold() not in vocab.trade_words:
        end += 1
    return " ".join(words[start:end])
