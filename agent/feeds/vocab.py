"""Agency wording mapped to the rule vocabulary: hazards and product categories."""

from __future__ import annotations

import re

# Checked in order; each hazard of the schema vocabulary with the words agencies use for it.
_HAZARD_WORDS: tuple[tuple[str, str], ...] = (
    ("carbon-monoxide", r"carbon monoxide|\bCO poisoning"),
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

_ELECTRONICS = re.compile(
    r"batter(?:y|ies)|power ?banks?|charg(?:er|ing)|adapters?|heaters?|e-?bikes?|electric bicycle|scooter|hoverboard"
    r"|earbuds?|earphones?|headphones?|speakers?|monitor|laptop|notebook computer|computer|tablet|phone"
    r"|smartwatch|watch|doorbell|camera|television|\btv\b|router|thermostat|smart (?:home|plug)|lights?\b|lamp"
    r"|extension cord|power strip|surge|outlet|air fryer|fryer|oven|microwave|toaster|kettle|blender|coffee"
    r"|cooker|dishwasher|refrigerator|freezer|washer|dryer|dehumidifier|humidifier|air purifier|\bfans?\b"
    r"|vacuum|iron\b|hair dryer|appliance|electric|lithium|generator|sound machine|projector|console",
    re.IGNORECASE,
)
_OTHER_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("children", r"stroller|crib|infant|baby|toddler|child|bassinet|high chair|pacifier|car seat"),
    ("toys", r"\btoys?\b|\bdolls?\b|puzzle|rattle|game"),
    ("furniture", r"dresser|chest|furniture|cabinet|chair|table|\bbeds?\b|shel(?:f|ves)|bookcase|mattress"),
    ("clothing", r"jacket|pajama|garment|shirt|hoodie|sweatshirt|dress|shoes?|boots?|sandals?|clothing"),
    ("sports", r"bicycle|helmet|\bbikes?\b|\batv\b|trampoline|kayak|exercise|fitness"),
    ("outdoor", r"grill|mower|trimmer|chainsaw|pool|ladder|tent"),
)


_HAZARD_PATTERNS = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _HAZARD_WORDS)
_CATEGORY_PATTERNS = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _OTHER_CATEGORIES)


def hazards(*texts: str) -> list[str]:
    """The schema hazard names mentioned in any of ``texts``; ["other"] when none is recognised."""
    joined = " ".join(texts)
    found = [name for name, pattern in _HAZARD_PATTERNS if pattern.search(joined)]
    return found or ["other"]


def category(*texts: str) -> str:
    """ "electronics" for consumer electronics and electrical appliances, else the first category that fits."""
    joined = " ".join(texts)
    if _ELECTRONICS.search(joined):
        return "electronics"
    for name, pattern in _CATEGORY_PATTERNS:
        if pattern.search(joined):
            return name
    return "other"
