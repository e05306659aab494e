"""Opening a notice's web page in the person's browser, the way their desktop would."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading

logger = logging.getLogger(__name__)

# xdg-open follows the desktop's own choice of browser; gio open is there where GLib is but xdg-utils is not.
OPENERS: tuple[tuple[str, ...], ...] = (("xdg-open",), ("gio", "open"))
# Inside a systemd unit (INVOCATION_ID is set), the browser would inherit the unit's sandbox (seccomp
# filters, no W+X memory) and break; systemd-run starts the opener as a transient unit of its own instead.
DETACH = ("systemd-run", "--user", "--quiet", "--collect", "--")


def open_url(url: str) -> bool:
    """Start the desktop's opener for an http(s) URL without waiting for the browser; False if none ran."""
    if not url.startswith(("https://", "http://")):  # never hand a file path or an option to the opener
        logger.warning("not opening %r: only http and https links are opened", url)
        return False
    for command in OPENERS:
        exe = shutil.which(command[0])
        if exe is None:
            continue
        if os.environ.get("INVOCATION_ID") and shutil.which(DETACH[0]) and _detached([*command, url]):
            return True
        if _started([exe, *command[1:], url]):
            return True
    logger.warning("no xdg-open or gio found to open %s", url)
    return False


def _detached(command: list[str]) -> bool:
    try:
        done = subprocess.run([*DETACH, *command], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        logger.warning("systemd-run could not start %s: %s", command[0], e)
        return False
    if done.returncode != 0:
        logger.warning("systemd-run could not start %s: %s", command[0], done.stderr.strip()[:200])
    return done.returncode == 0


def _started(command: list[str]) -> bool:
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as e:
        logger.warning("could not run %s: %s", command[0], e)
        return False
    threading.Thread(target=proc.wait, name="url-opener", daemon=True).start()  # reap it, leave no zombie
    return True
