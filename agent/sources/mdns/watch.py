"""Keeping an eye on the network between the daemon's scans: a new or changed announcement of a device
service type schedules a rescan (events are hints, the scan is the truth)."""

from __future__ import annotations

from collections.abc import Callable

from zeroconf import ServiceBrowser, ServiceListener, Zeroconf

from agent.sources.mdns.convert import DEVICE_TYPES
from agent.sources.mdns.net import current_interfaces

Schedule = Callable[[str], None]


class MdnsWatch:
    """Keeps browsing the device service types between scans; a new or changed service schedules a rescan."""

    def __init__(
        self, schedule: Schedule, interfaces: list[str] | None = None, *, bind: tuple[str | int, ...] = ()
    ) -> None:
        if not bind:
            plan = current_interfaces(interfaces)
            if not plan.bind:
                raise OSError("; ".join(plan.problems) or "no multicast-capable network interface is up")
            bind = plan.bind

        class Listener(ServiceListener):
            def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
                schedule("a network device announced itself")

            def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
                schedule("a network device changed its announcement")

            def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
                """A device leaving changes nothing the inventory keeps."""

        self.zeroconf = Zeroconf(interfaces=list(bind))
        self._browser = ServiceBrowser(
            self.zeroconf, [f"{t}.local." for t in sorted(DEVICE_TYPES)], listener=Listener()
        )

    def close(self) -> None:
        self._browser.cancel()
        self.zeroconf.close()
