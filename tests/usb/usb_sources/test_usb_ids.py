"""Vendor and product names from usb.ids and the project's table."""

from __future__ import annotations

from pathlib import Path

from conftest import skip_or_fail

from agent.model import UsbFacts
from agent.sources.usb.ids import SYSTEM_PATHS, UsbIds

from .trees import USB_IDS_SAMPLE


def test_names_from_the_file(usb_ids: UsbIds) -> None:
    assert usb_ids.vendor_name("0403") == "Future Technology Devices International, Ltd"
    assert usb_ids.product_name("0403", "6001") == "FT232 Serial (UART) IC"
    assert usb_ids.product_name("0403", "6010") == "FT2232C/D/H Dual UART/FIFO IC"
    assert usb_ids.product_name("46f4", "0001") == "QEMU HARDDRIVE"  # the last vendor before the class list


def test_unknown_ids(usb_ids: UsbIds) -> None:
    assert usb_ids.vendor_name("ffff") == ""
    assert usb_ids.product_name("0403", "ffff") == ""
    assert usb_ids.product_name("ffff", "0001") == ""
    # a product id of another vendor is not found under this one
    assert usb_ids.product_name("0627", "6001") == ""
    # class lines are not vendors
    assert usb_ids.vendor_name("0009") == ""


def test_project_table_fills_what_the_file_lacks(usb_ids: UsbIds) -> None:
    assert usb_ids.vendor_name("291a") == "Anker Innovations Limited"


def test_the_file_wins_over_the_project_table(tmp_path: Path) -> None:
    path = tmp_path / "usb.ids"
    path.write_text(USB_IDS_SAMPLE + "291a  Anker from usb.ids\n", encoding="utf-8")
    assert UsbIds(paths=[path]).vendor_name("291a") == "Anker from usb.ids"


def test_first_existing_path_is_used(tmp_path: Path) -> None:
    second = tmp_path / "second.ids"
    second.write_text("1234  Second\n", encoding="utf-8")
    third = tmp_path / "third.ids"
    third.write_text("1234  Third\n", encoding="utf-8")
    ids = UsbIds(paths=[tmp_path / "absent.ids", second, third])
    assert ids.path == second
    assert ids.vendor_name("1234") == "Second"


def test_no_file_leaves_only_the_project_table(tmp_path: Path) -> None:
    ids = UsbIds(paths=[tmp_path / "absent.ids"])
    assert ids.path is None
    assert ids.vendor_name("0403") == ""
    assert ids.vendor_name("291a") == "Anker Innovations Limited"


def test_the_file_is_read_on_first_use_only(tmp_path: Path) -> None:
    path = tmp_path / "usb.ids"
    ids = UsbIds(paths=[path])
    path.write_text("abcd  Written after construction\n", encoding="utf-8")
    assert ids.vendor_name("abcd") == "Written after construction"
    path.write_text("abcd  Changed later\n", encoding="utf-8")
    assert ids.vendor_name("abcd") == "Written after construction"


def test_undecodable_bytes_do_not_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "usb.ids"
    path.write_bytes(b"0001  Caf\xe9 Latin-1\n\t0002  Pr\xf6dukt\n0003  Next\n")
    ids = UsbIds(paths=[path])
    assert ids.vendor_name("0001") == "Caf\ufffd Latin-1"
    assert ids.product_name("0001", "0002") == "Pr\ufffddukt"
    assert ids.vendor_name("0003") == "Next"


def test_named_fills_the_facts(usb_ids: UsbIds) -> None:
    facts = usb_ids.named(UsbFacts(vendor_id="0403", product_id="6001", product="FT232R USB UART"))
    assert (facts.vendor_name, facts.product_name, facts.product) == (
        "Future Technology Devices International, Ltd",
        "FT232 Serial (UART) IC",
        "FT232R USB UART",
    )


def test_system_usb_ids_names_common_serial_adapters() -> None:
    ids = UsbIds()
    if ids.path is None:
        skip_or_fail(f"no usb.ids in {', '.join(str(p) for p in SYSTEM_PATHS)} (Debian package usb.ids)")
    assert ids.vendor_name("0403").startswith("Future Technology Devices")
    assert ids.product_name("10c4", "ea60").startswith("CP210")
    assert ids.product_name("1a86", "7523")
