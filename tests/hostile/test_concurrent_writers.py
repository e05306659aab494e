"""CLI edits, the daemon's merges and acknowledgements on one inventory at once: no update is lost."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agent.inventory import store
from agent.inventory.merge import merge
from agent.model import Observation, UsbFacts

CLI_WORKERS, CLI_ADDS = 3, 6
MERGERS, MERGES = 2, 10
ACKS = 12
NOW = dt.datetime(2024, 6, 6, 12, 0, tzinfo=dt.timezone.utc)


def _cli_adds(inventory: Path, worker: int) -> None:
    for n in range(CLI_ADDS):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "agent",
                "inventory",
                "add",
                f"Thing {worker}-{n}",
                "--id",
                f"cli-{worker}-{n}",
                "--inventory",
                str(inventory),
                "--model",
                f"M{n}",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def _merges(inventory: Path, worker: int) -> None:
    for n in range(MERGES):
        facts = UsbFacts(
            vendor_id="291a",
            product_id=f"{worker:02x}{n:02x}",
            product=f"Gadget {worker} {n}",
            serial=f"SER{worker}X{n}Y",
        )
        seen = Observation(source="usb", identity=f"usb:291a:{worker}:{n}", locator=f"1-{n}", usb=facts)
        merge(inventory, [seen], NOW + dt.timedelta(minutes=n))


def _acknowledge(inventory: Path) -> None:
    for n in range(ACKS):
        store.set_handled(
            inventory,
            f"owned-{n % 3}",
            f"rule-{n}",
            {"status": "checked", "date": dt.date(2024, 6, 6), "reason": "marked handled"},
        )


def test_cli_edits_merges_and_acknowledgements_lose_nothing(tmp_path: Path) -> None:
    inventory = tmp_path / "data" / "inventory.toml"
    for n in range(3):
        store.add_item(inventory, {"name": f"Owned {n}"}, item_id=f"owned-{n}")
    with ThreadPoolExecutor(CLI_WORKERS + MERGERS + 1) as pool:
        jobs = [pool.submit(_cli_adds, inventory, w) for w in range(CLI_WORKERS)]
        jobs += [pool.submit(_merges, inventory, w) for w in range(MERGERS)]
        jobs.append(pool.submit(_acknowledge, inventory))
        for job in jobs:
            job.result()
    items = {item.id: item for item in store.load(inventory).items}
    cli = {f"cli-{w}-{n}" for w in range(CLI_WORKERS) for n in range(CLI_ADDS)}
    assert cli <= set(items)
    discovered = {item.discovered for item in items.values() if item.source == "usb"}
    assert discovered == {f"usb:291a:{w}:{n}" for w in range(MERGERS) for n in range(MERGES)}
    handled = {h.rule for n in range(3) for h in items[f"owned-{n}"].handled}
    assert handled == {f"rule-{n}" for n in range(ACKS)}
    assert len(items) == 3 + len(cli) + MERGERS * MERGES
