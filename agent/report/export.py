"""The inventory for other tools: CSV (which `inventory import` reads back), JSON and CycloneDX 1.6.

Serial numbers, notes and locations stay out unless asked for: an exported file tends to travel.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from agent.matching.finding import Finding
from agent.model import Item

PRIVATE = ("serial", "notes", "location")
CSV_COLUMNS = (
    "id", "name", "brand", "model", "serial", "manufactured", "purchased", "upc", "retailer_id", "code",
    "color", "location", "notes", "source", "imported",
)  # fmt: skip


def _row(item: Item, private: bool) -> dict[str, str]:
    row = {key: str(getattr(item, key) or "") for key in CSV_COLUMNS}
    row["name"] = item.name or item.display_name
    if not private:
        for key in PRIVATE:
            row.pop(key)
    return row


def to_csv(items: Sequence[Item], *, private: bool = False) -> str:
    columns = [c for c in CSV_COLUMNS if private or c not in PRIVATE]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow(_row(item, private))
    return out.getvalue()


def to_json(items: Sequence[Item], *, private: bool = False) -> str:
    from agent.report.json_report import item_json

    documents = []
    for item in items:
        data = item_json(item)
        if not private:
            for key in PRIVATE:
                data[key] = ""
            if data["usb"]:
                data["usb"]["serial"] = ""
        documents.append(data)
    return json.dumps({"format": 1, "private": private, "items": documents}, indent=2, ensure_ascii=False)


def to_cyclonedx(items: Sequence[Item], findings: Sequence[Finding], *, private: bool = False) -> str:
    try:
        from agent.report import cyclonedx
    except ImportError as e:
        from agent.errors import UsageError

        raise UsageError("CycloneDX export needs the optional extra: pip install 'recall-agent[cyclonedx]'") from e
    return cyclonedx.render(items, findings, private=private)
