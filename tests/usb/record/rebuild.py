"""Rebuild a sysfs USB tree from the console dump printed by init.sh.

    python3 rebuild.py console.log OUT

OUT/sys/devices/... gets one directory per device and interface with its attribute files, byte for
byte; OUT/sys/bus/usb/devices/<name> are relative symlinks into it, as on a real system.
"""

from __future__ import annotations

import base64
import shutil
import sys
from pathlib import Path


def parse(lines: list[str]) -> tuple[str, list[tuple[str, str, dict[str, bytes]]]]:
    kernel = ""
    entries: list[tuple[str, str, dict[str, bytes]]] = []
    attr = ""
    chunks: list[str] = []

    def flush() -> None:
        if attr:
            entries[-1][2][attr] = base64.b64decode("".join(chunks))

    for raw in lines:
        line = raw.strip("\r\n")
        if line.startswith("@@BEGIN"):
            kernel = line.split(" ", 1)[1]
        elif line.startswith("@@ENTRY ") or line.startswith("@@ATTR ") or line.startswith("@@DONE"):
            flush()
            attr, chunks = "", []
            if line.startswith("@@ENTRY "):
                _, name, real = line.split(" ", 2)
                entries.append((name, real, {}))
            elif line.startswith("@@ATTR "):
                attr = line.split(" ", 1)[1]
        elif attr:
            chunks.append(line.strip())
    return kernel, entries


def rebuild(log: Path, out: Path) -> None:
    kernel, entries = parse(log.read_text(encoding="ascii", errors="replace").splitlines())
    if out.exists():
        shutil.rmtree(out)
    links = out / "sys/bus/usb/devices"
    links.mkdir(parents=True)
    for name, real, attrs in entries:
        target = out / real.lstrip("/")
        target.mkdir(parents=True, exist_ok=True)
        for attr, value in attrs.items():
            (target / attr).write_bytes(value)
        relative = Path("../../..") / Path(real).relative_to("/sys")
        (links / name).symlink_to(relative)
    (out / "RECORDED").write_text(f"kernel {kernel}\nentries {len(entries)}\n", encoding="utf-8")


if __name__ == "__main__":
    rebuild(Path(sys.argv[1]), Path(sys.argv[2]))
