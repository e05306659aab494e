"""Run MdnsSource once and print the SourceResult as JSON. Run inside a test's namespace only.

Usage: scan_once.py [--window S] [--interface NAME ...] [--inject | --inject-closed] [--ask-first]
``--inject`` opens a Zeroconf here, hands it to the source and reports whether the source closed it.
``--ask-first`` plays another querier on this host just before the scan: from port 5353 it multicasts a
question for every type the scan browses and waits for the multicast answers, so each responder has just
multicast what the scan asks for.
"""

from __future__ import annotations

import argparse
import json
import socket
import time

from zeroconf import IPVersion, Zeroconf
from zeroconf._dns import DNSQuestion
from zeroconf._protocol.outgoing import DNSOutgoing

from agent.record import asdict
from agent.sources.mdns.convert import DEVICE_TYPES
from agent.sources.mdns.net import current_interfaces
from agent.sources.mdns.source import MdnsProgress, MdnsSource

ASK_FIRST_WAIT = 0.3  # seconds for the multicast answers to the other querier (RFC 6762: 20-120 ms)


def ask_first() -> None:
    """Multicast a question for every device type from port 5353 on each IPv4 interface, then wait."""
    out = DNSOutgoing(0)
    for type_ in DEVICE_TYPES:
        out.add_question(DNSQuestion(f"{type_}.local.", 12, 1))
    for where in current_interfaces(None).bind:
        if not isinstance(where, str):
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(("", 5353))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(where))
            for packet in out.packets():
                sock.sendto(packet, ("224.0.0.251", 5353))
    time.sleep(ASK_FIRST_WAIT)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=float, default=2.0)
    parser.add_argument("--interface", action="append")
    parser.add_argument("--inject", action="store_true")
    parser.add_argument("--inject-closed", action="store_true", help="inject a Zeroconf that is already closed")
    parser.add_argument("--ask-first", action="store_true", help="another querier asks just before the scan")
    args = parser.parse_args()
    if args.ask_first:
        ask_first()
    progress: list[MdnsProgress] = []
    zc = Zeroconf(ip_version=IPVersion.All) if args.inject or args.inject_closed else None
    if zc is not None and args.inject_closed:
        zc.close()
    source = MdnsSource(window=args.window, interfaces=args.interface, zeroconf=zc, progress=progress.append)
    started = time.monotonic()
    result = source.collect()
    elapsed = time.monotonic() - started
    out = asdict(result)
    out["elapsed"] = elapsed
    out["progress"] = [str(p) for p in progress]
    out["progress_done"] = [p.done for p in progress]
    if zc is not None:
        out["injected_closed"] = zc.done
        zc.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
