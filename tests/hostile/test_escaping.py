"""Strings from outside reach a terminal or a notification only made safe; look-alike names stay distinct."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile.hostile_support import HOSTILE, LINE_BREAK, TEXT, assert_safe, unsafe_characters
from hypothesis import given

from agent.notify.notice import Notice
from agent.notify.text import body, clean_line, summary
from agent.textsafe import ANSI_SEQUENCE, DEVICE, NOTIFICATION, TERMINAL, TextRule, char_class, paragraph, terminal

TRICKS = [
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00ad",
    "\U000e0041",
    "\u2028",
    "\x1b[2K",
    "\x00",
    "\x7f",
    "\x9b",
    "\t",
    "\r",
    "\n",
]

RULE = """\
id = "kettle-2024"
title = "Kettles recalled\\u202e\\u001b[2K\\nRECALLED: Toaster"
kind = "recall"
published = 2024-06-06
url = "https://example.org/notice\\u001b]8;;https://evil.example\\u0007"
hazard = "Fire\\u2028What to do: nothing"
hazards = ["fire"]
remedy = "Stop using it.\\r\\nRECALLED: Fridge"
check = "Look at the label."

[issuer]
name = "Example\\u202e Firm\\u001b[31m"
type = "manufacturer"
reference = "24\\n001"

[[products]]
name = "Kettle\\u200b"
brands = ["Example", "Evil\\u001b[2K"]
models = ["KT-100"]

[[products.usb]]
vendor_id = "291a"
product = "Hub\\u001b[1A"

[[products.mdns]]
service = "_hap._tcp\\n"
model = "KT\\u2066"
"""
# Five items that look alike when tricks are hidden, one that tries to forge a report line, all recalled.
INVENTORY = """\
version = 1

[items.plain]
name = "Kettle"
model = "KT-100"
brand = "Example"

[items.rlo]
name = "Kettle\\u202e"
model = "KT-100"
brand = "Example"

[items.zero-width]
name = "Ket\\u200btle"
model = "KT-100"
brand = "Example"

[items.erase]
name = "Kettle\\u001b[2K\\u001b[1A\\r"
model = "KT-100"
brand = "Example"

[items.forge]
name = "Kettle\\nRECALLED: Toaster  [item toaster]"
model = "KT-100"
brand = "Example"
notes = "\\u001b]0;title\\u0007"

[items.forge.handled."rule\\nRECALLED: x"]
status = "checked"
reason = "\\u001b[2J"
"""


@pytest.mark.parametrize("rule", [TERMINAL, DEVICE, NOTIFICATION], ids=lambda r: r.name)
def test_printable_text_is_in_no_class_and_passes_every_rule_unchanged(rule: TextRule) -> None:
    printable = "".join(chr(n) for n in range(0x20, 0x7F)) + "’充é\u0301ß€"
    assert printable.isprintable() and all(char_class(c) == "" for c in printable)
    assert all(char_class(chr(n)) == "" for n in range(0x110000) if chr(n).isprintable())  # what the fast path skips
    expected = printable.strip() if rule.collapse else printable  # the leading space goes where runs collapse
    assert rule.apply(printable, 1000) == expected
    assert rule.apply("tab\there", 100) != "tab\there"  # the fast path leaves out only printable text


@pytest.mark.parametrize("trick", TRICKS)
def test_terminal_shows_every_trick(trick: str) -> None:
    shown = terminal(f"Kettle{trick}")
    assert shown != "Kettle"
    assert not unsafe_characters(shown)
    assert not LINE_BREAK.search(shown)


@pytest.mark.parametrize("trick", TRICKS)
def test_a_notification_neither_carries_nor_forges(trick: str) -> None:
    text = clean_line(f"Kettle{trick}RECALLED: x")
    assert not unsafe_characters(text)
    assert not LINE_BREAK.search(text)


@HOSTILE
@given(TEXT, TEXT)
def test_different_names_print_differently(a: str, b: str) -> None:
    """Escaping is one to one (after NFC): names that differ in any invisible way print differently."""
    import unicodedata

    if unicodedata.normalize("NFC", a) != unicodedata.normalize("NFC", b) and len(a) < 40 and len(b) < 40:
        assert terminal(a) != terminal(b)
    assert_safe(terminal(a), 200)
    assert_safe(paragraph(a), 2000)


@HOSTILE
@given(TEXT, TEXT, TEXT, TEXT)
def test_notification_text_is_safe(name: str, title: str, hazard: str, url: str) -> None:
    notice = Notice(item_id="kettle", item_name=name, rule_id="r", title=title, hazard=hazard, remedy="Stop.", url=url)
    assert_safe(summary(notice))
    for markup, actions in ((False, True), (True, True), (False, False), (True, False)):
        lines = body(notice, markup=markup, actions=actions, hyperlinks=markup).split("\n")
        assert lines.count("Stop.") == 1  # what to do is always there, whatever the hazard text holds
        for line in lines:
            assert_safe(line)
        if markup:
            assert "<" not in "".join(lines).replace('<a href="', "").replace("</a>", "")


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "kettle.toml").write_text(RULE, encoding="utf-8")
    inventory = tmp_path / "inventory.toml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "agent", *args, "--inventory", str(inventory), "--rules", str(tmp_path / "rules")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


def _assert_terminal_safe(output: str) -> list[str]:
    lines = output.split("\n")
    for line in lines:
        assert_safe(line)
        assert not LINE_BREAK.search(line)
        assert not line.lstrip().startswith("RECALLED: Toaster"), "a forged report line"
        assert not line.lstrip().startswith("RECALLED: Fridge"), "a forged report line"
    return lines


def test_the_report_tells_look_alike_items_apart(tmp_path: Path) -> None:
    done = _cli(tmp_path, "scan", "--source", "inventory", "--no-save")
    assert done.returncode == 1, done.stderr
    lines = _assert_terminal_safe(done.stdout)
    _assert_terminal_safe(done.stderr)
    headings = [line for line in lines if line.startswith("RECALLED: ")]
    assert len(headings) == 5, done.stdout
    names = [h.split("  [item ")[0] for h in headings]
    assert len(set(names)) == 5, names  # five different names, even without the item ids


def test_inventory_list_and_show(tmp_path: Path) -> None:
    listing = _cli(tmp_path, "inventory", "list")
    assert listing.returncode == 0, listing.stderr
    rows = _assert_terminal_safe(listing.stdout)
    assert len({row.split()[1] for row in rows[1:] if row}) == 5
    for item in ("plain", "rlo", "zero-width", "erase", "forge"):
        shown = _cli(tmp_path, "inventory", "show", item)
        assert shown.returncode == 0, shown.stderr
        _assert_terminal_safe(shown.stdout)
    assert "handled rule\\x0aRECALLED: x: checked" in _cli(tmp_path, "inventory", "show", "forge").stdout


def test_rules_list_show_and_check(tmp_path: Path) -> None:
    for args in (("rules", "list"), ("rules", "show", "kettle-2024"), ("rules", "check")):
        done = _cli(tmp_path, *args)
        assert done.returncode == 0, (args, done.stderr)
        _assert_terminal_safe(done.stdout)
        _assert_terminal_safe(done.stderr)
    (tmp_path / "rules" / "broken.toml").write_text(
        'id = "x\\nRECALLED: Toaster\\u001b[2K"\n"k\\n\\u202e" = 1\n', encoding="utf-8"
    )
    checked = subprocess.run(
        [sys.executable, "-m", "agent", "rules", "check", str(tmp_path / "rules")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert checked.returncode == 1
    problems = _assert_terminal_safe(checked.stdout.rstrip("\n"))
    assert problems and all(p.startswith(str(tmp_path / "rules" / "broken.toml") + ": ") for p in problems)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("\x1b[1;31mred\x1b[0m", "red"),
        ("\x1b]8;;https://x.test\x07link\x1b]8;;\x1b\\", "link"),
        ("a\x1bMb\x9b2Jc", "abc"),
        ("no escape", "no escape"),
    ],
)
def test_terminal_sequences_are_found_and_dropped(text: str, plain: str) -> None:
    """The pattern compiled on first use finds every kind of sequence and only those."""
    assert ANSI_SEQUENCE.sub("", text) == plain
    found = ANSI_SEQUENCE.search(text)
    assert (found is None) == (text == plain)
    assert found is None or text.startswith(found.group(0), found.start())
