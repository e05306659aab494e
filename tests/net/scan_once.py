"""Run MdnsSource once and print the SourceResult as JSON. Run inside a test's namespace only.

Usage: scan_once.py [--window S] [--interface NAME ...] [--inject | --inject-closed]
``--inject`` opens a Zeroconf here, hands it to the source and reports whether the source closed it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time

from zeroconf import IPVersion, Zeroconf

from agent.sources.mdns.source import MdnsProgress, MdnsSource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=float, default=2.0)
    parser.add_argument("--interface", action="append")
    parser.add_argument("--inject", action="store_true")
    parser.add_argument("--inject-closed", action="store_true", help="inject a Zeroconf that is already closed")
    args = parser.parse_args()
    progress: list[MdnsProgress] = []
    zc = Zeroconf(ip_version=IPVersion.All) if args.inject or args.inject_closed else None
    if zc is not None and args.inject_closed:
        zc.close()
    source = MdnsSource(window=args.window, interfaces=args.interface, zeroconf=zc, progress=progress.append)
    started = time.monotonic()
    result = source.collect()
    elapsed = time.monotonic() - started
    out = dataclasses.asdict(result)
    out["elapsed"] = elapsed
    out["progress"] = [str(p) for p in progress]
    out["progress_done"] = [p.done for p in progress]
    if zc is not None:
        out["injected_closed"] = zc.done
        zc.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
