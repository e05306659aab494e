"""A slow mDNS device: it answers questions about its one service only ``delay`` seconds after it hears them.

Run inside a test's namespace only. Reads a JSON spec on stdin (see netns.LateResponder), prints
"listening" once its socket is ready and "answered <question>" for every answer it sends. It answers the
PTR, SRV, TXT and A questions for its own names, with the other records as additional answers, to the
mDNS group on the interface address it was given; every other packet is ignored.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from typing import Any

from zeroconf._dns import DNSAddress, DNSPointer, DNSRecord, DNSService, DNSText
from zeroconf._protocol.incoming import DNSIncoming
from zeroconf._protocol.outgoing import DNSOutgoing
from zeroconf.const import _CLASS_IN, _FLAGS_AA, _FLAGS_QR_RESPONSE, _TYPE_A, _TYPE_PTR, _TYPE_SRV, _TYPE_TXT

GROUP, PORT, TTL = "224.0.0.251", 5353, 120


def records(spec: dict[str, Any]) -> list[DNSRecord]:
    txt = b"".join(bytes([len(p)]) + p for p in (f"{k}={v}".encode() for k, v in spec["txt"].items()))
    return [
        DNSPointer(spec["type"], _TYPE_PTR, _CLASS_IN, TTL, spec["name"]),
        DNSService(spec["name"], _TYPE_SRV, _CLASS_IN, TTL, 0, 0, spec["port"], spec["server"]),
        DNSText(spec["name"], _TYPE_TXT, _CLASS_IN, TTL, txt),
        DNSAddress(spec["server"], _TYPE_A, _CLASS_IN, TTL, socket.inet_aton(spec["address"])),
    ]


def serve(spec: dict[str, Any]) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("", PORT))
    local = socket.inet_aton(spec["address"])
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(GROUP) + local)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, local)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    own = records(spec)
    names = {r.name.lower() for r in own}
    waiting: set[str] = set()
    lock = threading.Lock()

    def answer(question: str) -> None:
        out = DNSOutgoing(_FLAGS_QR_RESPONSE | _FLAGS_AA)
        first = next(r for r in own if r.name.lower() == question)
        out.add_answer_at_time(first, 0)
        for record in own:
            if record is not first:
                out.add_additional_answer(record)
        for packet in out.packets():
            sock.sendto(packet, (GROUP, PORT))
        with lock:
            waiting.discard(question)
        print("answered", question, flush=True)

    print("listening", flush=True)
    while True:
        data, _ = sock.recvfrom(9000)
        message = DNSIncoming(data, None, None, time.monotonic() * 1000)
        if not message.valid or not message.is_query():
            continue
        for question in message.questions:
            name = question.name.lower()
            with lock:
                if name not in names or name in waiting:
                    continue
                waiting.add(name)
            threading.Timer(spec["delay"], answer, (name,)).start()


if __name__ == "__main__":
    serve(json.load(sys.stdin))
