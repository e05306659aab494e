"""Announce services with python-zeroconf until terminated. Run inside a test's namespace only.

Reads a JSON spec on stdin (see netns.Published.spec) and prints "registered <name>" per service.
"""

from __future__ import annotations

import asyncio
import base64
import json
import signal
import socket
import sys
from typing import Any

from zeroconf import ServiceInfo
from zeroconf.asyncio import AsyncZeroconf


def _bytes(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


def _info(spec: dict[str, Any]) -> ServiceInfo:
    properties: bytes | dict[bytes, bytes | None]
    if spec["raw_txt"] is not None:
        properties = base64.b64decode(spec["raw_txt"])
    else:
        properties = {_bytes(k) or b"": _bytes(v) for k, v in spec["txt"]}
    addresses = [socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET, a) for a in spec["addresses"]]
    return ServiceInfo(
        spec["type"],
        spec["name"],
        port=spec["port"],
        properties=properties,
        server=spec["server"],
        addresses=addresses,
    )


async def publish(spec: dict[str, Any]) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    aiozc = AsyncZeroconf(interfaces=spec["bind"])
    try:
        infos = [_info(service) for service in spec["services"]]
        # Probe all names at once, not one after another.
        waits = await asyncio.gather(*(aiozc.async_register_service(info) for info in infos))
        await asyncio.gather(*waits)
        for info in infos:
            print("registered", info.name, flush=True)
        await stop.wait()
    finally:
        await aiozc.async_unregister_all_services()
        await aiozc.async_close()


def main() -> None:
    asyncio.run(publish(json.load(sys.stdin)))


if __name__ == "__main__":
    main()
