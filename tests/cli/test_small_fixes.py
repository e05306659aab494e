"""The small ones: plurals, -v, zeroconf's chatter, feed cache modes, BOM, CRLF, --upc, future dates, no USB bus,
a sysfs tree given at its top, and a source choice that leaves nothing to scan."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import Run

Cli = Callable[..., Run]
TREE = Path(__file__).parents[1] / "data" / "sysfs" / "many" / "sys"
RECORD = Path(__file__).parents[1] / "feeds" / "data" / "cpsc-recall-7938.json"


def test_counts_read_as_english(cli: Cli) -> None:
    cli("inventory", "add", "Kettle")
    text = " ".join(cli("scan", "--source", "inventory").out.split())
    assert "1 item against" in text and "1 items" not in text


def test_verbose_scan_lists_devices_and_rule_sources(cli: Cli) -> None:
    plain = cli("scan", "--source", "usb", "--sysfs-root", str(TREE), "--no-save")
    verbose = cli("scan", "-v", "--source", "usb", "--sysfs-root", str(TREE), "--no-save")
    assert "[usb:0627:0001:" not in plain.out
    assert "QEMU QEMU USB Tablet (0627:0001) [usb:0627:0001:" in " ".join(verbose.out.split())
    assert "rules from shipped:" in verbose.out


def test_zeroconf_warnings_stay_out_of_a_normal_run() -> None:
    program = (
        "import logging, sys\n"
        "from agent.cli import main\n"
        "sys.argv = ['recall-agent', 'scan', '--source', 'inventory']\n"
        "orig = main.main\n"
        "import agent.cli.scan_cmd as s\n"
        "def run(args):\n"
        "    logging.getLogger('zeroconf').warning('zeroconf internal chatter')\n"
        "    logging.getLogger('agent.x').warning('our own warning')\n"
        "    return 0\n"
        "s.run = run\n"
        "sys.exit(orig(['scan', '--source', 'usb', '--no-save']))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert "our own warning" in done.stderr and "zeroconf internal chatter" not in done.stderr


def test_feed_cache_is_private_to_its_user(cli: Cli, isolated_home: Path) -> None:
    assert cli("rules", "import", "cpsc", str(RECORD)).code == 0
    feeds = isolated_home / "cache" / "recall-agent" / "feeds"
    assert stat.S_IMODE(feeds.stat().st_mode) == 0o700  # nobody else can reach the files inside
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "public recall data" in readme and "0644" in readme


def test_a_byte_order_mark_is_named(cli: Cli, inventory_path: Path) -> None:
    inventory_path.parent.mkdir(parents=True, exist_ok=True)
    inventory_path.write_bytes(b'\xef\xbb\xbfversion = 1\n\n[items.kettle]\nname = "Kettle"\n')
    result = cli("scan", "--source", "inventory")
    assert result.code == 2
    assert result.err.strip() == (
        f"recall-agent: error: {inventory_path}:1: starts with a byte-order mark (BOM), which TOML does not allow; "
        "save it as UTF-8 without BOM"
    )


def test_editing_a_crlf_file_keeps_crlf(cli: Cli, inventory_path: Path) -> None:
    inventory_path.parent.mkdir(parents=True, exist_ok=True)
    inventory_path.write_bytes(b'version = 1\r\n\r\n[items.kettle]\r\nname = "Kettle"\r\n')
    assert cli("inventory", "add", "Lamp", "--brand", "Acme").code == 0
    assert cli("inventory", "edit", "kettle", "--notes", "descaled").code == 0
    data = inventory_path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"") and b'brand = "Acme"\r\n' in data


def test_upc_and_purchase_dates_are_checked(cli: Cli) -> None:
    bad_upc = cli("inventory", "add", "Lamp", "--upc", "abc")
    assert bad_upc.code == 2 and bad_upc.err.strip() == (
        "recall-agent: error: --upc 'abc': a UPC, EAN or GTIN is 8 to 14 digits"
    )
    future = cli("inventory", "add", "Lamp", "--purchased", "2999-01")
    assert future.code == 2 and "--purchased 2999-01: that date is in the future" in future.err
    assert cli("inventory", "add", "Lamp", "--upc", "0 12345 67890 5").code == 0


def test_no_usb_bus_is_a_skipped_source(cli: Cli, tmp_path: Path) -> None:
    cli("inventory", "add", "Kettle")
    empty = tmp_path / "devices"
    empty.mkdir()
    result = cli("scan", "--source", "usb", "--sysfs-root", str(empty))
    text = " ".join(result.out.split())
    assert f"Source usb: skipped: no USB devices under {empty}" in text and "usb: 0 devices" not in text
    if not Path("/sys/bus/usb").exists():  # this machine itself has no USB bus
        real = " ".join(cli("scan", "--source", "usb").out.split())
        assert "Source usb: skipped: no USB bus on this machine" in real


def test_a_sysfs_tree_given_at_its_top_is_read(cli: Cli) -> None:
    cli("inventory", "add", "Kettle")
    top = cli("scan", "--source", "usb", "--sysfs-root", str(TREE), "--no-save")
    deep = cli("scan", "--source", "usb", "--sysfs-root", str(TREE / "bus" / "usb" / "devices"), "--no-save")
    assert "Source usb: 38 devices" in top.out and "Source usb: 38 devices" in deep.out


def test_a_source_choice_that_leaves_nothing_is_refused(cli: Cli) -> None:
    result = cli("scan", "--source", "mdns", "--no-network")
    assert result.code == 2
    assert "--source mdns with --no-network leaves nothing to scan" in result.err
    assert os.environ.get("CI") is None or result.out == ""
