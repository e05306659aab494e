"""Ask one-shot questions (agent/sources/mdns/oneshot.py) and print what came back, as JSON. Run inside a
test's namespace only.

Usage: oneshot_once.py TYPE... [--service TYPE NAME] [--ask-first]
No browser runs, so Zeroconf itself asks nothing; ``responders`` are the addresses whose unicast answers
reached the one-shot port, ``services`` what the cache then holds for each type, ``resolved`` the TXT
record and host of the service asked for.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from zeroconf import ServiceInfo, Zeroconf

from agent.sources.mdns.net import current_interfaces
from agent.sources.mdns.oneshot import OneShot

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from net.scan_once import ask_first

WAIT = 0.5  # seconds for the answers; responders answer one-shot questions at once


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("types", nargs="+")
    parser.add_argument("--service", nargs=2, metavar=("TYPE", "NAME"))
    parser.add_argument("--ask-first", action="store_true")
    args = parser.parse_args()
    if args.ask_first:
        ask_first()
    plan = current_interfaces(None)
    zc = Zeroconf(interfaces=list(plan.bind))
    oneshot = OneShot(plan)
    try:
        oneshot.attach(zc)
        oneshot.ask_types(args.types)
        resolved = None
        if args.service:
            oneshot.ask_service(*args.service)
        time.sleep(WAIT)
        if args.service:
            info = ServiceInfo(*args.service)
            if info.load_from_cache(zc):
                txt = {k.decode(): (v or b"").decode() for k, v in info.properties.items()}
                resolved = {"server": info.server, "txt": txt}
        cache = zc.cache
        services = {t: sorted(getattr(r, "alias", "") for r in cache.get_all_by_details(t, 12, 1)) for t in args.types}
        print(json.dumps({"responders": sorted(oneshot.responders), "services": services, "resolved": resolved}))
    finally:
        oneshot.close()
        zc.close()


if __name__ == "__main__":
    main()
