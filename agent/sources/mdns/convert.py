"""Turn one resolved DNS-SD service into MdnsFacts: which service types are browsed, and where the
vendor and model facts sit in each one's TXT record."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence

from agent.model import MdnsFacts
from agent.sources.mdns.text import MAX_VALUE, clean_properties, clean_text, strip_dot

MAX_ADDRESSES = 16

PRINTER_TYPES = (
    "_ipp._tcp",
    "_ipps._tcp",
    "_printer._tcp",
    "_pdl-datastream._tcp",
    "_uscan._tcp",
    "_uscans._tcp",
    "_scanner._tcp",
)
# Service types home devices announce. Order matters: earlier types give the model and instance first.
DEVICE_TYPES = (
    *PRINTER_TYPES,
    "_hap._tcp",
    "_hap._udp",
    "_googlecast._tcp",
    "_airplay._tcp",
    "_raop._tcp",
    "_device-info._tcp",
    "_companion-link._tcp",
    "_matter._tcp",
    "_matterc._udp",
    "_spotify-connect._tcp",
    "_sonos._tcp",
    "_amzn-wplay._tcp",
    "_androidtvremote2._tcp",
    "_hue._tcp",
    "_esphomelib._tcp",
    "_miio._udp",
    "_shelly._tcp",
    "_elg._tcp",
    "_nanoleafapi._tcp",
    "_wled._tcp",
    "_leap._tcp",
    "_axis-video._tcp",
    "_viziocast._tcp",
    "_ewelink._tcp",
)
# Browsed too, but a device seen only through one of these (a web server, a computer) is not an item
# unless it also names a model or a manufacturer.
WEAK_TYPES = ("_http._tcp", "_https._tcp")
ENUMERATION = "_services._dns-sd._udp.local."  # the question whose answers name every type on the network
# Enumerated types that say "a computer" and are not worth resolving.
IGNORED_TYPES = frozenset(
    {
        "_ssh._tcp",
        "_sftp-ssh._tcp",
        "_workstation._tcp",
        "_smb._tcp",
        "_afpovertcp._tcp",
        "_nfs._tcp",
        "_adisk._tcp",
        "_rfb._tcp",
        "_webdav._tcp",
        "_webdavs._tcp",
        "_ftp._tcp",
        "_services._dns-sd._udp",
        "_sleep-proxy._udp",
        "_rdlink._tcp",
        "_keyboard._tcp",
    }
)

_GENERIC_MODEL = ("model", "md", "mdl", "modelid", "model_name", "modelname", "usb_mdl")
_GENERIC_MAKER = ("manufacturer", "usb_mfg", "mfg", "mf", "vendor", "brand")
_PRINTER_MODEL = ("usb_mdl", "ty", "product", "mdl")
_MODEL_KEYS: Mapping[str, tuple[str, ...]] = {
    **{t: _PRINTER_MODEL for t in PRINTER_TYPES},
    "_googlecast._tcp": ("md",),
    "_airplay._tcp": ("model",),
    "_raop._tcp": ("am", "md"),
    "_hap._tcp": ("md",),
    "_hap._udp": ("md",),
    "_device-info._tcp": ("model",),
    "_companion-link._tcp": ("rpmd",),
    "_hue._tcp": ("modelid",),
}
_MAKER_KEYS: Mapping[str, tuple[str, ...]] = {
    **{t: ("usb_mfg", "mfg") for t in PRINTER_TYPES},
    "_airplay._tcp": ("manufacturer",),
}


TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing before the first question
if TYPE_CHECKING:
    from typing import Protocol

    class ResolvedService(Protocol):
        """The parts of zeroconf's ServiceInfo this module reads."""

        @property
        def type(self) -> str: ...
        @property
        def name(self) -> str: ...
        @property
        def server(self) -> str | None: ...
        @property
        def properties(self) -> Mapping[bytes, bytes | None]: ...
        def parsed_addresses(self) -> list[str]: ...


def full_type(type_: str) -> str:
    """``"_ipp._tcp"`` -> ``"_ipp._tcp.local."``."""
    return f"{type_}.local."


def first_questions() -> list[str]:
    """What a browse asks first: every known type (fully qualified), then the enumeration of the rest."""
    return [*(full_type(t) for t in sorted({*DEVICE_TYPES, *WEAK_TYPES})), ENUMERATION]


def service_type(type_: str) -> str:
    """``"_ipp._tcp.local."`` -> ``"_ipp._tcp"``; lower-case, as rules write it."""
    name = strip_dot(type_).lower()
    return name[: -len(".local")] if name.endswith(".local") else name


def service_priority(type_: str) -> int:
    """Lower comes first when picking the model, manufacturer and instance of a merged device."""
    if type_ in DEVICE_TYPES:
        return DEVICE_TYPES.index(type_)
    return len(DEVICE_TYPES) + (1 if type_ in WEAK_TYPES else 0)


def instance_name(name: str, type_: str) -> str:
    """The instance label of a full service name: ``"HP LaserJet._ipp._tcp.local."`` -> ``"HP LaserJet"``."""
    full = strip_dot(name)
    suffix = "." + strip_dot(type_)
    if full.lower().endswith(suffix.lower()):
        full = full[: -len(suffix)]
    return clean_text(full)


def model_from_txt(type_: str, txt: Sequence[tuple[str, str]]) -> str:
    """The model a service announces, by the key its protocol uses, else a generic key."""
    return _first(txt, (*_MODEL_KEYS.get(type_, ()), *_GENERIC_MODEL), strip_parens=True)


def manufacturer_from_txt(type_: str, txt: Sequence[tuple[str, str]]) -> str:
    return _first(txt, (*_MAKER_KEYS.get(type_, ()), *_GENERIC_MAKER))


def _first(txt: Sequence[tuple[str, str]], keys: Iterable[str], *, strip_parens: bool = False) -> str:
    values = dict(txt)
    for key in keys:
        value = values.get(key, "")
        if strip_parens and value.startswith("(") and value.endswith(")"):
            value = value[1:-1].strip()  # IPP "product" is written "(HP LaserJet 1000)"
        if value:
            return value
    return ""


def clean_addresses(addresses: Iterable[str]) -> tuple[str, ...]:
    """Valid IP addresses only, IPv4 first, without duplicates or zone ids."""
    parsed = set()
    for text in addresses:
        try:
            parsed.add(ipaddress.ip_address(str(text).split("%", 1)[0]))
        except ValueError:
            continue
    ordered = sorted(parsed, key=lambda a: (a.version, a.packed))
    return tuple(str(a) for a in ordered[:MAX_ADDRESSES])


def facts_from_service_info(info: ResolvedService) -> MdnsFacts:
    """What one resolved service says, cleaned and bounded. Never raises on hostile TXT data."""
    type_ = service_type(info.type)
    txt, _dropped = clean_properties(info.properties or {})
    return MdnsFacts(
        instance=instance_name(info.name, info.type),
        hostname=clean_text(strip_dot(info.server or "").lower(), MAX_VALUE),  # lower() can lengthen
        services=(clean_text(type_),),
        txt=txt,
        manufacturer=manufacturer_from_txt(type_, txt),
        model=model_from_txt(type_, txt),
        addresses=clean_addresses(info.parsed_addresses()),
    )
