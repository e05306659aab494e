"""Agency wording mapped to the rule vocabulary: hazards and product categories.

Every pattern is matched regardless of case. The patterns are written in lower case, so they are searched
as they are in the lower-cased text, which is several times quicker than a case-insensitive search and
finds the same: for ASCII patterns the two differ only where the text holds one of the four letters that
case-insensitive matching folds onto an ASCII one (\u0130 \u0131 \u017f \u212a), and such a text is
searched case-insensitively.
"""

from __future__ import annotations

import re

from agent.feeds.patterns import literal_heads

# Checked in order; each hazard of the schema vocabulary with the words agencies use for it.
_HAZARD_WORDS: tuple[tuple[str, str], ...] = (
    ("carbon-monoxide", r"carbon monoxide|\bco poisoning"),
    ("fire", r"\bfires?\b|ignit|flam|smok|melt"),
    ("burn", r"\bburns?\b|scald"),
    ("shock", r"shock|electrocut"),
    ("explosion", r"explo|ruptur|burst"),
    ("chemical", r"chemical|battery acid|leak"),
    ("poisoning", r"poison|\blead\b|toxic|ingest"),
    ("choking", r"chok|aspirat"),
    ("laceration", r"lacerat|\bcuts?\b|sharp"),
    ("fall", r"\bfalls?\b|tip-?over"),
    ("strangulation", r"strangul"),
    ("entrapment", r"entrap|suffocat"),
    ("injury", r"injur|crash|pinch|impact"),
)

_ELECTRONICS = (
    r"batter(?:y|ies)|power ?banks?|charg(?:er|ing)|adapters?|heaters?|e-?bikes?|electric bicycle|scooter|hoverboard"
    r"|earbuds?|earphones?|headphones?|speakers?|monitor|laptop|notebook computer|computer|tablet|phone"
    r"|smartwatch|watch|doorbell|camera|television|\btv\b|router|thermostat|smart (?:home|plug)|lights?\b|lamp"
    r"|extension cord|power strip|surge|outlet|air fryer|fryer|oven|microwave|toaster|kettle|blender|coffee"
    r"|cooker|dishwasher|refrigerator|freezer|washer|dryer|dehumidifier|humidifier|air purifier|\bfans?\b"
    r"|vacuum|iron\b|hair dryer|appliance|electric|lithium|generator|sound machine|projector|console"
)
_OTHER_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("children", r"stroller|crib|infant|baby|toddler|child|bassinet|high chair|pacifier|car seat"),
    ("toys", r"\btoys?\b|\bdolls?\b|puzzle|rattle|game"),
    ("furniture", r"dresser|chest|furniture|cabinet|chair|table|\bbeds?\b|shel(?:f|ves)|bookcase|mattress"),
    ("clothing", r"jacket|pajama|garment|shirt|hoodie|sweatshirt|dress|shoes?|boots?|sandals?|clothing"),
    ("sports", r"bicycle|helmet|\bbikes?\b|\batv\b|trampoline|kayak|exercise|fitness"),
    ("outdoor", r"grill|mower|trimmer|chainsaw|pool|ladder|tent"),
)


_FOLDS_ONTO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


class Words:
    """One vocabulary pattern: searched case-insensitively, or as written in lower-cased text, where a text
    holding none of the words its alternatives begin with is not searched at all (patterns.literal_heads)."""

    __slots__ = ("anycase", "heads", "lower")

    def __init__(self, pattern: str) -> None:
        if pattern != pattern.lower():
            raise ValueError(f"vocabulary patterns are written in lower case: {pattern!r}")
        self.anycase = re.compile(pattern, re.IGNORECASE)
        self.lower = re.compile(pattern)
        self.heads = literal_heads(pattern)

    def found(self, text: str, lowered: bool) -> bool:
        """Whether the pattern matches ``text``, which is lower-cased when ``lowered``."""
        if not lowered:
            return self.anycase.search(text) is not None
        if self.heads is not None and not any(head in text for head in self.heads):
            return False
        return self.lower.search(text) is not None


_HAZARD_PATTERNS = tuple((name, Words(pattern)) for name, pattern in _HAZARD_WORDS)
_ELECTRONICS_PATTERN = Words(_ELECTRONICS)
_CATEGORY_PATTERNS = tuple((name, Words(pattern)) for name, pattern in _OTHER_CATEGORIES)


def _searchable(texts: tuple[str, ...]) -> tuple[str, bool]:
    """The joined texts as they are searched, and whether they are lower-cased for the quick search."""
    joined = " ".join(texts)
    return (joined, False) if _FOLDS_ONTO_ASCII.search(joined) else (joined.lower(), True)


def hazards(*texts: str) -> list[str]:
    """The schema hazard names mentioned in any of ``texts``; ["other"] when none is recognised."""
    text, lowered = _searchable(texts)
    found = [name for name, pattern in _HAZARD_PATTERNS if pattern.found(text, lowered)]
    return found or ["other"]


def category(*texts: str) -> str:
    """ "electronics" for consumer electronics and electrical appliances, else the first category that fits."""
    text, lowered = _searchable(texts)
    if _ELECTRONICS_PATTERN.found(text, lowered):
        return "electronics"
    for name, pattern in _CATEGORY_PATTERNS:
        if pattern.found(text, lowered):
            return name
    return "other"
