"""Which discovery sources exist, built lazily so a command imports only what it uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from agent.record import Record
from agent.sources import ALL, DISCOVERY  # noqa: F401  # named here too, beside the builders
from agent.sources.base import DeviceSource, SourceResult
from agent.sources.usb import SYSFS_ROOT

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing before the network's first question
if TYPE_CHECKING:
    from typing import Protocol

    from agent.config.schema import HomeAssistantSettings

    class Watch(Protocol):
        """Something that schedules rescans from its own thread until closed."""

        def close(self) -> None: ...

else:
    Watch = object  # a Protocol for type checkers only


class SourceOptions(Record, kw_only=True):
    sysfs_root: str = ""
    mdns_window: float = 3.0
    interfaces: tuple[str, ...] = ()
    progress: Callable[[object], None] | None = None  # told each step of a long discovery
    homeassistant: HomeAssistantSettings | None = None  # the configuration's [homeassistant], if any


class Unavailable(DeviceSource):
    """A source that cannot be built here; it reports why and the scan goes on."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def collect(self) -> SourceResult:
        return SourceResult(source=self.name, skipped=self.reason)


def build(name: str, options: SourceOptions) -> DeviceSource:
    try:
        if name == "usb":
            return _usb(options)
        if name == "mdns":
            from agent.sources.mdns.source import MdnsSource

            return MdnsSource(
                window=options.mdns_window,
                interfaces=list(options.interfaces) or None,
                progress=options.progress,
            )
        if name == "homeassistant":
            if options.homeassistant is None:
                return Unavailable(name, "not configured: add a [homeassistant] section to the configuration file")
            from agent.sources.homeassistant.source import HomeAssistantSource

            return HomeAssistantSource(options.homeassistant)
    except ImportError as e:
        return Unavailable(name, f"cannot be loaded: {e}")
    raise ValueError(f"unknown source {name!r}; expected one of {', '.join(ALL)}")


def _usb(options: SourceOptions, linux_sys: Path = Path("/sys/bus")) -> DeviceSource:
    """sysfs, the main path; pyusb and libusb (the optional ``pyusb`` extra) only where there is no sysfs."""
    root = Path(options.sysfs_root) if options.sysfs_root else SYSFS_ROOT
    if options.sysfs_root and (root / "bus" / "usb" / "devices").is_dir():
        root = root / "bus" / "usb" / "devices"  # the top of a sysfs tree, such as a recorded `sys`
    if options.sysfs_root or root.is_dir():
        from agent.sources.usb.sysfs import UsbSysfsSource

        return UsbSysfsSource(root)
    if linux_sys.is_dir():  # Linux, and the kernel has no USB bus here
        return Unavailable("usb", f"no USB bus on this machine ({root} does not exist)")
    try:
        from agent.sources.usb.pyusb import PyUsbSource
    except ImportError as e:
        reason = f"no USB sysfs at {root}, and pyusb is not installed: pip install 'recall-agent[pyusb]' ({e})"
        return Unavailable("usb", reason)
    return PyUsbSource()


class Watched(Record):
    """A source for the daemon and the watcher that tells it when to look again (None: rescans only)."""

    source: DeviceSource
    watch: Watch | None


def watched(name: str, options: SourceOptions, schedule: Callable[[str], None]) -> Watched:
    """The daemon's source ``name`` with its watcher. A watcher that cannot start costs liveliness only:
    it is logged, and the source is still scanned at every rescan (or says why it cannot be)."""
    if name == "mdns":
        return _mdns_watched(options, schedule)
    source = build(name, options)
    if name != "usb":
        return Watched(source, None)
    try:
        from agent.sources.usb.watch import UsbWatchThread

        root = Path(options.sysfs_root) if options.sysfs_root else SYSFS_ROOT
        return Watched(source, UsbWatchThread(schedule, root))
    except Exception as e:  # a missing watcher costs liveliness, not correctness
        import logging

        logging.getLogger(__name__).warning("not watching %s: %s; periodic rescans still run", name, e)
        return Watched(source, None)


def _mdns_watched(options: SourceOptions, schedule: Callable[[str], None]) -> Watched:
    """The watcher follows the network (it starts when a usable interface comes up and binds again when
    they change); the source scans with the watcher's Zeroconf of the moment, reading the answers it keeps."""
    try:
        from agent.sources.mdns.follow import MdnsFollower
        from agent.sources.mdns.source import MdnsSource
    except ImportError as e:
        return Watched(Unavailable("mdns", f"cannot be loaded: {e}"), None)
    watch = MdnsFollower(schedule, list(options.interfaces) or None)
    return Watched(MdnsSource(window=options.mdns_window, zeroconf_now=watch.zeroconf), watch)
