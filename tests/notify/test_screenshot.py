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


def both_drawn(counts: dict[tuple[int, int, int], int]) -> bool:
    return all(counts.get(colour, 0) > 10_000 for colour in (CRITICAL_BACKGROUND, NORMAL_BACKGROUND))


def photographed_once_drawn(
    dunst: Dunst, path: Path, timeout: float = 30
) -> tuple[Path, dict[tuple[int, int, int], int]]:
    """The screen once both notifications are drawn, or as it is when ``timeout`` seconds have passed:
    dunst counts a notification as displayed before it has drawn it."""
    deadline = time.monotonic() + timeout
    while True:
        picture = dunst.screenshot(path)
        counts = colours(picture)
        if both_drawn(counts) or time.monotonic() > deadline:
            return picture, counts
        time.sleep(0.1)


def test_a_screenshot_shows_both_notifications_as_dunst_draws_them(
    dunst_factory: Callable[[str], Dunst], connect: Callable[[], DBusConnection], tmp_path: Path
) -> None:
    dunst = dunst_factory("full")
    notifier = DesktopNotifier(connect=connect)
    assert notifier.send(ANKER).delivered and notifier.send(LIKELY).delivered
    picture, counts = photographed_once_drawn(dunst, tmp_path / "notifications.png")
    width, height = size(picture)
    # Two notifications side by side in one column, 300 px wide as Debian's dunstrc says, each drawn whole.
    assert 300 <= width <= 360 and 150 <= height <= 560, (width, height)
    assert counts.get(CRITICAL_BACKGROUND, 0) > 10_000, "no critical (red) notification on screen"
    assert counts.get(NORMAL_BACKGROUND, 0) > 10_000, "no normal (blue) notification on screen"
    keep = os.environ.get("RECALL_AGENT_SCREENSHOTS")
    if keep:
        shutil.copy(picture, Path(keep) / "notifications.png")
    notifier.close()
