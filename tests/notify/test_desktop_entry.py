"""The desktop entry and icon installed with the package: what the notifications' desktop-entry hint names."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sysconfig
from pathlib import Path

from conftest import skip_or_fail

from agent.notify.desktop import APP_ICON, APP_NAME

DATA = Path(sysconfig.get_paths()["data"])  # where the installer put the package's shared data
ENTRY = DATA / "share" / "applications" / f"{APP_NAME}.desktop"
ICON = DATA / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_NAME}.svg"
ICON_THEMES = Path("/usr/share/icons")


def entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(ENTRY.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_the_hint_names_a_desktop_entry_that_the_package_installs() -> None:
    assert ENTRY.is_file(), f"{ENTRY} is not installed"
    fields = entry()
    assert (fields["Type"], fields["Icon"], fields["Exec"]) == ("Application", APP_NAME, "recall-agent notifier")
    assert fields["NoDisplay"] == "true"  # it names the notifications' sender; it is not a menu entry
    assert ICON.is_file() and ICON.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_the_desktop_entry_is_valid() -> None:
    if shutil.which("desktop-file-validate") is None:
        skip_or_fail("needs desktop-file-validate (desktop-file-utils, in tests/system-packages.txt)")
    done = subprocess.run(["desktop-file-validate", str(ENTRY)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_notification_icon_is_a_name_the_installed_icon_themes_have() -> None:
    found = sorted(ICON_THEMES.glob(f"*/*/*/{APP_ICON}.*")) if ICON_THEMES.is_dir() else []
    if not found:
        skip_or_fail(f"no icon theme under {ICON_THEMES} has {APP_ICON} (adwaita-icon-theme comes with dunst)")
    assert APP_ICON.endswith("-symbolic")
    assert any(path.suffix in (".svg", ".png") for path in found)
