"""What a person sees: a confirmed and a likely finding on dunst under Xvfb, photographed with ImageMagick.

The picture in the README comes from this test: set RECALL_AGENT_SCREENSHOTS to a folder to keep it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from jeepney.io.blocking import DBusConnection

from agent.notify.desktop import DesktopNotifier

from .conftest import Dunst
from .notices import ANKER, LIKELY

# Debian's dunstrc (and dunst's own defaults): the backgrounds of critical and normal notifications.
CRITICAL_BACKGROUND = (0x90, 0x00, 0x00)
NORMAL_BACKGROUND = (0x28, 0x55, 0x77)


def colours(picture: Path) -> dict[tuple[int, int, int], int]:
    """How many pixels of each colour the picture has."""
    done = subprocess.run(
        ["convert", str(picture), "-format", "%c", "histogram:info:-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    counts = {}
    for line in done.stdout.splitlines():
        found = re.match(r"\s*(\d+):\s*\(\s*(\d+),\s*(\d+),\s*(\d+)", line)
        if found:
            count, *rgb = (int(g) for g in found.groups())
            counts[(rgb[0], rgb[1], rgb[2])] = count
    return counts


def size(picture: Path) -> tuple[int, int]:
    done = subprocess.run(["identify", "-format", "%w %h", str(picture)], capture_output=True, text=True, check=True)
    width, height = done.stdout.split()
    return int(width), int(height)


def test_a_screenshot_shows_both_notifications_as_dunst_draws_them(
    dunst_factory: Callable[[str], Dunst], connect: Callable[[], DBusConnection], tmp_path: Path
) -> None:
    dunst = dunst_factory("full")
    notifier = DesktopNotifier(connect=connect)
    assert notifier.send(ANKER).delivered and notifier.send(LIKELY).delivered
    deadline = time.monotonic() + 10
    while dunst.displayed() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # one more frame: dunst draws after it counts
    picture = dunst.screenshot(tmp_path / "notifications.png")
    counts = colours(picture)
    width, height = size(picture)
    # Two notifications side by side in one column, 300 px wide as Debian's dunstrc says, each drawn whole.
    assert 300 <= width <= 360 and 150 <= height <= 560, (width, height)
    assert counts.get(CRITICAL_BACKGROUND, 0) > 10_000, "no critical (red) notification on screen"
    assert counts.get(NORMAL_BACKGROUND, 0) > 10_000, "no normal (blue) notification on screen"
    keep = os.environ.get("RECALL_AGENT_SCREENSHOTS")
    if keep:
        shutil.copy(picture, Path(keep) / "notifications.png")
    notifier.close()
