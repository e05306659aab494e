"""Home Assistant as a device source: every device in its registry becomes an observation.

HA's device id is the identity (it is stable for as long as the device stays in HA); its identifiers and
connections are kept so findings can be attached to the same device over MQTT discovery, and the first of
them lets a device that HA forgot and found again (a new device id) keep its item. Service entries
(integrations' own "devices") and disabled devices are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from agent.config.schema import HomeAssistantSettings
from agent.model import HomeAssistantFacts, Observation
from agent.sources.base import DeviceSource, SourceResult
from agent.sources.mdns.text import clean_text

if TYPE_CHECKING:
    from agent.sources.homeassistant.ws import Connection

MAX_DEVICES = 20_000


def _pairs(raw: Any) -> tuple[str, ...]:
    """HA's [[domain, value], ...] as sorted "domain:value" strings; malformed entries are dropped."""
    out = set()
    for entry in raw if isinstance(raw, list) else ():
        if isinstance(entry, list) and len(entry) == 2 and all(isinstance(p, str) for p in entry):
            kind, value = (clean_text(p) for p in entry)
            if kind and value:
                out.add(f"{kind}:{value}")
    return tuple(sorted(out))


def _text(device: Mapping[str, Any], key: str) -> str:
    value = device.get(key)
    return clean_text(value) if isinstance(value, str) else ""


def facts_from_device(device: Mapping[str, Any], areas: Mapping[str, str]) -> HomeAssistantFacts | None:
    """One registry entry as facts; None for an entry without an id."""
    device_id = _text(device, "id")
    if not device_id:
        return None
    texts = ("manufacturer", "model", "model_id", "name", "name_by_user", "serial_number", "sw_version", "hw_version")
    return HomeAssistantFacts(
        device_id=device_id,
        identifiers=_pairs(device.get("identifiers")),
        connections=_pairs(device.get("connections")),
        **{key: _text(device, key) for key in texts},
        area=areas.get(_text(device, "area_id"), ""),
    )


def wanted(device: Mapping[str, Any], *, include_services: bool = False) -> bool:
    if device.get("disabled_by"):
        return False
    return include_services or device.get("entry_type") != "service"


def observations_from_registry(
    devices: Iterable[Mapping[str, Any]], areas: Mapping[str, str], *, include_services: bool = False
) -> list[Observation]:
    out = []
    for device in devices:
        if not isinstance(device, Mapping) or not wanted(device, include_services=include_services):
            continue
        facts = facts_from_device(device, areas)
        if facts is not None and (facts.manufacturer or facts.model or facts.model_id or facts.label):
            # The device id is the identity; its first identifier (or connection) is where the merge looks when
            # the id is new, so a device removed from HA and added again keeps its item.
            anchor = next(iter(facts.identifiers + facts.connections), "")
            out.append(
                Observation(
                    source="homeassistant",
                    identity=f"ha:{facts.device_id}",
                    locator=anchor,
                    family="ha" if anchor else "",
                    homeassistant=facts,
                )
            )
    return out


def area_names(raw: Any) -> dict[str, str]:
    out = {}
    for area in raw if isinstance(raw, list) else ():
        if isinstance(area, dict) and isinstance(area.get("area_id"), str) and isinstance(area.get("name"), str):
            out[area["area_id"]] = clean_text(area["name"])
    return out


class HomeAssistantSource(DeviceSource):
    name = "homeassistant"

    def __init__(self, settings: HomeAssistantSettings) -> None:
        self.settings = settings
        self._stopping = False  # plain flags: stop() runs in signal handlers, which must take no lock
        self._open: Connection | None = None

    def stop(self) -> None:
        """A read in progress ends now (Home Assistant may take its whole timeout to answer) once its
        connection is open; opening it (connecting and logging in) still takes at most the timeout. Later
        reads do not start."""
        self._stopping = True
        connection = self._open
        if connection is not None:
            connection.abort()

    def _stopped(self) -> bool:  # read anew each time: stop() may come from a signal handler at any point
        return self._stopping

    def collect(self) -> SourceResult:
        if self._stopped():
            return SourceResult(source=self.name, skipped="not read: the service is stopping")
        try:
            from websockets.exceptions import WebSocketException

            from agent.sources.homeassistant.ws import Connection, HomeAssistantError
        except ImportError:
            return SourceResult(
                source=self.name, skipped="needs the homeassistant extra: pip install 'recall-agent[homeassistant]'"
            )
        s = self.settings
        try:
            with Connection(s.url, s.token, timeout=s.timeout, ca_file=s.ca_file) as ha:
                self._open = ha
                if self._stopped():  # stop() came while the connection was being opened
                    ha.abort()
                devices = ha.call("config/device_registry/list")
                areas = area_names(ha.call("config/area_registry/list"))
        except (OSError, TimeoutError, ValueError, WebSocketException, HomeAssistantError) as e:
            if self._stopped():
                return SourceResult(source=self.name, skipped=f"not read: the service stopped while reading {s.url}")
            return SourceResult(
                source=self.name, skipped=f"cannot read {s.url}: {clean_text(str(e)) or type(e).__name__}"
            )
        finally:
            self._open = None
        if not isinstance(devices, list):
            return SourceResult(source=self.name, skipped=f"{s.url} answered a device registry that is not a list")
        warnings: tuple[str, ...] = ()
        if len(devices) > MAX_DEVICES:
            warnings = (f"{len(devices)} devices; only the first {MAX_DEVICES} are read",)
        found = observations_from_registry(devices[:MAX_DEVICES], areas, include_services=s.include_services)
        return SourceResult(source=self.name, observations=tuple(found), warnings=warnings)
