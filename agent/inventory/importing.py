"""Import items from the CSV exports of other home-inventory apps, again and again without duplicates.

Every imported item remembers its row as ``imported = "<format>:<reference>"``: the app's own stable id
where the export has one (Homebox's import ref, Snipe-IT's asset tag, Part-DB's id), else a digest of
the row's name, brand, model and serial. A second import of the same file updates those items instead
of adding them again.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent import datetimes as dt
from agent.dates import parse_partial_date
from agent.errors import UsageError
from agent.model import Item
from agent.textsafe import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath

MAX_CSV = 20_000_000
FIELDS = ("name", "brand", "model", "serial", "purchased", "upc", "code", "color", "location", "notes")
# For each format: our field -> the columns that can carry it, first found wins; "ref" is the stable id.
FORMATS: dict[str, dict[str, tuple[str, ...]]] = {
    "homebox": {
        "name": ("HB.name",),
        "brand": ("HB.manufacturer",),
        "model": ("HB.model_number",),
        "serial": ("HB.serial_number",),
        "purchased": ("HB.purchase_date", "HB.purchase_time"),
        "location": ("HB.location",),
        "notes": ("HB.notes", "HB.description"),
        "ref": ("HB.import_ref", "HB.asset_id"),
    },
    "snipeit": {
        "name": ("Item Name", "Asset Name", "Name"),
        "brand": ("Manufacturer",),
        "model": ("Model Number", "Model No.", "Model"),
        "serial": ("Serial Number", "Serial"),
        "purchased": ("Purchase Date",),
        "location": ("Location",),
        "notes": ("Notes",),
        "ref": ("Asset Tag", "ID"),
    },
    "partdb": {
        "name": ("name",),
        "brand": ("manufacturer",),
        "model": ("manufacturer_product_number", "mpn"),
        "location": ("storage_location", "storelocation"),
        "notes": ("description", "comment"),
        "ref": ("id",),
    },
    "csv": {**{name: (name,) for name in FIELDS}, "ref": ("imported", "id")},
}


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    ref: str
    values: dict[str, str]


@dataclass(slots=True)
class Plan:
    """What an import would do: items to add, fields to change, and rows it cannot use."""

    added: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    changed: list[tuple[str, dict[str, tuple[str, str]]]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def detect(header: Sequence[str]) -> str:
    names = set(header)
    if any(h.startswith("HB.") for h in names):
        return "homebox"
    if "Item Name" in names or "Asset Tag" in names:
        return "snipeit"
    if "manufacturer_product_number" in names or "storelocation" in names:
        return "partdb"
    return "csv"


def read_rows(path: Path, kind: str, mapping: Mapping[str, str], today: dt.date) -> tuple[str, list[Row], list[str]]:
    """The usable rows of the file, and one problem line for each row that cannot be used."""
    text = _read(path)
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    if not header:
        raise UsageError(f"{path}: no header line: the first line must name the columns")
    kind = detect(header) if kind == "auto" else kind
    columns = {**FORMATS[kind], **{k: (v,) for k, v in mapping.items()}}
    unknown = [v for v in mapping.values() if v not in header]
    if unknown:
        raise UsageError(f"{path}: no column named {', '.join(repr(u) for u in unknown)} (it has {', '.join(header)})")
    rows, problems = [], []
    for row in reader:
        line = reader.line_num
        values = {}
        for name, candidates in columns.items():
            column = next((c for c in candidates if c in header), None)
            if column is not None and (row.get(column) or "").strip():
                values[name] = " ".join(str(row[column]).split())
        ref = values.pop("ref", "")
        if not values:
            continue
        problem = _check(values, today)
        if problem:
            problems.append(terminal(f"{path}:{line}: {problem}; row skipped", 2000))
            continue
        values.setdefault("name", values.get("model", ""))
        kept = kind == "csv" and ":" in ref  # our own export carries the reference it was imported with
        rows.append(Row(line, ref if kept else f"{kind}:{ref or _digest(values)}", values))
    return kind, rows, problems


def _read(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CSV + 1)
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror or e}") from e
    if len(data) > MAX_CSV:
        raise UsageError(f"{path}: larger than {MAX_CSV // 1_000_000} MB; refusing to read it")
    try:
        return data.decode("utf-8-sig")  # spreadsheets often start a UTF-8 file with a byte-order mark
    except UnicodeDecodeError as e:
        raise UsageError(f"{path}: not UTF-8 text (byte {e.start}); save the export as UTF-8 CSV") from e


def _check(values: dict[str, str], today: dt.date) -> str:
    if not values.get("name") and not values.get("model"):
        return "no name and no model"
    if "purchased" in values:
        raw = values["purchased"][:10]
        try:
            date = parse_partial_date(raw)
        except ValueError as e:
            return f"purchase date: {e}"
        if date.first > today:
            return f"purchase date {raw} is in the future"
        values["purchased"] = str(date)
    upc = values.get("upc", "").replace(" ", "").replace("-", "")
    if upc and (not upc.isdigit() or not 8 <= len(upc) <= 14):
        return f"UPC {values['upc']!r}: expected 8 to 14 digits"
    return ""


def _digest(values: Mapping[str, str]) -> str:
    key = "\x1f".join(values.get(k, "").casefold() for k in ("name", "brand", "model", "serial"))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def plan(items: Sequence[Item], rows: Sequence[Row]) -> Plan:
    by_ref = {item.imported: item for item in items if item.imported}
    by_id = {item.id: item for item in items}
    out = Plan()
    for row in rows:
        kind, _, ref = row.ref.partition(":")
        known = by_ref.get(row.ref) or (by_id.get(ref) if kind == "csv" else None)
        if known is None:
            out.added.append((row.ref, row.values))
            continue
        changes = {
            k: (str(getattr(known, k) or ""), v) for k, v in row.values.items() if str(getattr(known, k) or "") != v
        }
        if changes:
            out.changed.append((known.id, changes))
        else:
            out.unchanged += 1
    return out


def apply(path: StrPath, planned: Plan) -> list[str]:
    """Write the plan in one locked, atomic edit; return the ids of the added items in order."""
    import tomlkit

    from agent.inventory.store import editing, item_table, items_table, new_id, set_fields

    ids = []
    with editing(path) as doc:
        table = items_table(doc)
        for ref, values in planned.added:
            item_id = new_id(set(table), values.get("name", ""), values.get("model", ""))
            entry = tomlkit.table()
            set_fields(entry, {**values, "imported": ref})
            table.add(item_id, entry)
            ids.append(item_id)
        for item_id, changes in planned.changed:
            set_fields(item_table(doc, path, item_id), {k: new for k, (_, new) in changes.items()})
    return ids
