"""Where files live: XDG directories in user mode, /var/lib and /etc in system mode. Everything overridable.

Paths are strings here and in the modules a scan uses (os.path, not pathlib: importing pathlib, with the
URL parsing and regular expressions it brings, took a sixth of the start-up of a scan of the inventory).
Functions that take a path take a string or any path object (``StrPath``) and give back strings.
"""

from __future__ import annotations

import os
from functools import cache

from agent.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from typing import TypeAlias

    StrPath: TypeAlias = "str | os.PathLike[str]"

APP = "recall-agent"
INVENTORY_ENV = "RECALL_AGENT_INVENTORY"


def clean(path: StrPath) -> str:
    """``path`` written as pathlib writes it: no empty or ``.`` parts, no trailing slash; ``..`` is kept
    (what it leads to depends on symbolic links)."""
    text = os.fspath(path)
    parts = "/".join(part for part in text.split("/") if part and part != ".")
    return "/" + parts if text.startswith("/") else parts or "."


def parent(path: StrPath) -> str:
    """The folder ``path`` is in, as pathlib's ``parent`` gives it: "." for a bare name."""
    return os.path.dirname(os.fspath(path)) or "."


def _xdg(variable: str, fallback: str) -> str:
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return clean(value)
    return os.path.join(clean(os.path.expanduser("~")), fallback)


@cache  # where the package is does not change while it runs; a scan asks several times
def shipped_rules_dir() -> str:
    """The rules inside the installed package, or the source checkout's rules/ folder."""
    package = os.path.dirname(os.path.realpath(__file__))
    installed = os.path.join(package, "data", "rules")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(package), "rules")


class Layout(Record):
    inventory: str
    config_dir: str
    state_dir: str
    cache_dir: str
    system: bool

    @property
    def rule_dirs(self) -> list[tuple[str, str]]:
        """Rule folders in load order; a later folder's rule replaces an earlier one with the same id."""
        dirs = [(shipped_rules_dir(), "shipped")]
        feeds = os.path.join(self.cache_dir, "feeds")
        if os.path.isdir(feeds):
            found = (os.path.join(feeds, name) for name in sorted(os.listdir(feeds)) if not name.startswith("."))
            dirs += [(d, "feed") for d in found if os.path.isdir(d)]
        if self.system:
            dirs.append((os.path.join(self.config_dir, "rules"), "system"))
        else:
            dirs += [(os.path.join("/etc", APP, "rules"), "system"), (os.path.join(self.config_dir, "rules"), "user")]
        return dirs


def _first(variable: str, default: str) -> str:
    """The first of the folders systemd gives in ``variable`` (colon-separated), else ``default``."""
    return clean(os.environ.get(variable, default).split(":")[0])


def layout(*, system: bool = False, inventory: StrPath | None = None) -> Layout:
    if system:
        state = _first("STATE_DIRECTORY", f"/var/lib/{APP}")
        default_inventory = os.path.join(state, "inventory.toml")
        config = _first("CONFIGURATION_DIRECTORY", f"/etc/{APP}")
        # The service may write only its StateDirectory=, so the rule cache lives inside it.
        cache = _first("CACHE_DIRECTORY", os.path.join(state, "cache"))
    else:
        data = os.path.join(_xdg("XDG_DATA_HOME", ".local/share"), APP)
        default_inventory = os.path.join(data, "inventory.toml")
        config = os.path.join(_xdg("XDG_CONFIG_HOME", ".config"), APP)
        state = os.path.join(_xdg("XDG_STATE_HOME", ".local/state"), APP)
        cache = os.path.join(_xdg("XDG_CACHE_HOME", ".cache"), APP)
    env_inventory = os.environ.get(INVENTORY_ENV, "")
    chosen = clean(inventory) if inventory else clean(env_inventory) if env_inventory else default_inventory
    return Layout(inventory=chosen, config_dir=config, state_dir=state, cache_dir=cache, system=system)
