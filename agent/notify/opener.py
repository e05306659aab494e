"""Opening a notice's web page in the person's browser, the way their desktop would."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading

logger = logging.getLogger(__name__)

# xdg-open follows the desktop's own choice of browser; gio open is there where GLib is but xdg-utils is not.
OPENERS: tuple[tuple[str, ...], ...] = (("xdg-open",), ("gio", "open"))


def open_url(url: str) -> bool:
    """Start the desktop's opener for an http(s) URL without waiting for the browser; False if none ran."""
    if not url.startswith(("https://", "http://")):  # never hand a file path or an option to the opener
        logger.warning("not opening %r: only http and https links are opened", url)
        return False
    for command in OPENERS:
        exe = shutil.which(command[0])
        if exe is None:
            continue
        try:
            proc = subprocess.Popen(
                [exe, *command[1:], url],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as e:
            logger.warning("could not run %s: %s", exe, e)
            continue
        threading.Thread(target=proc.wait, name="url-opener", daemon=True).start()  # reap it, no zombie
        return True
    logger.warning("no xdg-open or gio found to open %s", url)
    return False
