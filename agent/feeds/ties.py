"""Which models of a notice each stated criterion belongs to, so a rule gets one product per model group.

A notice often gives serials or dates for some models only: "Model BPB002 ... Serial numbers starting with
35S are included ... Model PB0003 ... All serial numbers are included", or a table "WG305 ... Serial No.
Starts With ... HT21-401-002-01 ... 10/10/2024 - 12/01/2024". One product holding every criterion would
tell the owner of a PB0003 or of a Hyper Tough saw that the unit is not affected. Here a criterion is tied
to the models named in its own sentence or table row, or, in a sentence naming none, to the models of the
last sentence that named some. Where the tie cannot be read (a table whose values come before the model,
a criterion before any model is named) it stays with every model, as a notice-wide criterion.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from typing import Any

from agent.feeds import criteria, date_codes
from agent.feeds.extract import sentences
from agent.feeds.model_codes import key
from agent.feeds.patterns import standing

Criteria = dict[str, Any]
_TAIL = r"(?![A-Za-z])(?!\d(?![0-9A-Z]{5,}(?![A-Za-z0-9])))"  # "TRX1503314306C8": a part number run into it
UNTIED = ""  # the owner of a criterion whose models cannot be read: it narrows none
_LIST_GAP = re.compile(r"[\s,;/&()*]*(?:(?:and|or|models?|numbers?)[\s,;/&()*]+)*", re.IGNORECASE)


def of_text(text: str, models: list[str]) -> Criteria:
    """The product fields of the criteria ``text`` states: serial, manufactured, codes, no_code_included."""
    return copy.deepcopy(_of_text(text, tuple(models)))


@lru_cache(maxsize=1024)  # groups() reads the same sentences and pieces again for each model
def _of_text(text: str, models: tuple[str, ...]) -> Criteria:
    out: Criteria = {}
    codes, no_code = date_codes.codes(text, models)
    if codes:
        out["codes"] = codes
        if no_code:
            out["no_code_included"] = True
    serial = criteria.serial(text, models)
    if serial:
        out["serial"] = serial
    window = date_codes.manufactured(text)
    if window:
        out["manufactured"] = window
    return out


def groups(text: str, models: list[str]) -> list[tuple[list[str], Criteria]]:
    """(models, criteria) per group of models sharing the same criteria, in the notice's order.

    One group of every model, with the criteria of the whole text, when no criterion is tied to a subset.
    """
    whole = of_text(text, models)
    if len(models) < 2 or not whole:
        return [(models, whole)]
    shared, owned = _assign(text, models)
    per_model = {m: _own_ranges(m, of_text("\n".join([*shared, *owned[m]]), models), models) for m in models}
    keyed: dict[str, list[str]] = {}
    for model in models:
        keyed.setdefault(json.dumps(per_model[model], sort_keys=True), []).append(model)
    if len(keyed) == 1 and not owned[UNTIED] and per_model[models[0]] == whole:
        return [(models, whole)]
    return [(group, per_model[group[0]]) for group in keyed.values()]


def _assign(text: str, models: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The texts whose criteria hold for every model, and those of each model (and of ``UNTIED``)."""
    shared: list[str] = []
    owned: dict[str, list[str]] = {m: [] for m in [*models, UNTIED]}
    context: list[str] = []
    for sentence in sentences(criteria.unglue_models(text, models)):
        named = _mentions(sentence, models)
        for owners, piece in _pieces(sentence, named, models, context):
            if not owners or set(owners) == set(models):
                shared.append(piece)
            else:
                for model in owners:
                    owned[model].append(piece)
        if named:
            context = list(dict.fromkeys(m for _, _, m in named))
    return shared, owned


def _own_ranges(model: str, stated: Criteria, models: list[str]) -> Criteria:
    """``stated`` without the serial ranges that begin with another model's code ("TM694B1605C00008" is a
    TM694B's); a model left with only such ranges gets no serial criterion, since none of them is its own."""
    ranges = (stated.get("serial") or {}).get("ranges") or []
    owners = [_range_owner(r, models) for r in ranges]
    if not any(owners):
        return stated
    mine = [r for r, owner in zip(ranges, owners, strict=True) if owner in (None, model)]
    serial = {k: v for k, v in stated["serial"].items() if k != "ranges"}
    if not mine:
        return {k: v for k, v in stated.items() if k != "serial"}
    return {**stated, "serial": {**serial, "ranges": mine}}


def _range_owner(bounds: list[str], models: list[str]) -> str | None:
    """The model whose code both ends of a serial range begin with (the longest such code), or None."""
    ends = [key(b) for b in bounds]
    fits = [m for m in models if len(key(m)) >= 4 and all(e.startswith(key(m)) and e != key(m) for e in ends)]
    return max(fits, key=lambda m: len(key(m)), default=None)


def _mentions(sentence: str, models: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, model) of every model named in ``sentence``, in order; the longest code wins a place.

    A "model" that is one of the sentence's own serial values ("ranging from 31706-35058, Y1025-Y1310")
    names no model there.
    """
    values = {key(v) for v in _values(_of_text(sentence, tuple(models)))}  # read only: no copy
    found: list[tuple[int, int, str]] = []
    for model in sorted((m for m in models if key(m.rstrip("*")) not in values), key=len, reverse=True):
        code = model.rstrip("*")
        tail = None if model.endswith("*") else _LONG_END if len(code) >= 5 else _END
        for start, end in standing(code, sentence, tail):
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, model))
    return sorted(found)


_END = re.compile("(?![A-Za-z0-9])")
_LONG_END = re.compile(_TAIL)


def _pieces(
    sentence: str, named: list[tuple[int, int, str]], models: list[str], context: list[str]
) -> list[tuple[list[str], str]]:
    """The sentence cut into (owning models, text) pieces; no owners means every model."""
    if not named:
        return [(context, sentence)]
    clusters: list[tuple[int, list[str]]] = []  # (start, models) of each run "A, B and C"
    end = -1
    for start, stop, model in named:
        if clusters and _LIST_GAP.fullmatch(sentence[end:start]):
            clusters[-1][1].append(model)
        else:
            clusters.append((start, [model]))
        end = stop
    everyone = [m for _, ms in clusters for m in ms]
    head = sentence[: clusters[0][0]]
    if len(clusters) == 1:
        return [(everyone, sentence)]
    bounds = [start for start, _ in clusters] + [len(sentence)]
    pieces = [(ms, f"{head} {sentence[bounds[i] : bounds[i + 1]]}") for i, (_, ms) in enumerate(clusters)]
    stated = (_states(sentence[bounds[i] : bounds[i + 1]], models) for i in range(len(clusters)))
    if not any(stated) and not any(_states(text, models) for _, text in pieces):  # the first that states ends it
        return [(everyone, sentence)]  # "serial numbers 1 to 9 of models A and B": the whole sentence
    if _states(head, models):  # values before the first model too: which row is whose cannot be read
        return [([UNTIED], sentence)]
    return pieces


def _values(stated: Criteria) -> list[str]:
    """Every serial value and range of ``stated``, a range also as "lo-hi"."""
    out: list[str] = []
    for values in (stated.get("serial") or {}).values():
        for value in values:
            out += [*map(str, value), "-".join(map(str, value))] if isinstance(value, list) else [str(value)]
    return out


def _states(text: str, models: list[str]) -> bool:
    return bool(_of_text(text, tuple(models)))  # read only: no copy
