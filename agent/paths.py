"""Where files live: XDG directories in user mode, /var/lib and /etc in system mode. Everything overridable."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from agent.record import Record

APP = "recall-agent"
INVENTORY_ENV = "RECALL_AGENT_INVENTORY"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / fallback


@cache  # where the package is does not change while it runs; a scan asks several times
def shipped_rules_dir() -> Path:
    """The rules inside the installed package, or the source checkout's rules/ folder."""
    package = Path(__file__).resolve().parent
    installed = package / "data" / "rules"
    return installed if installed.is_dir() else package.parent / "rules"


class Layout(Record):
    inventory: Path
    config_dir: Path
    state_dir: Path
    cache_dir: Path
    system: bool

    @property
    def rule_dirs(self) -> list[tuple[Path, str]]:
        """Rule folders in load order; a later folder's rule replaces an earlier one with the same id."""
        dirs = [(shipped_rules_dir(), "shipped")]
        feeds = self.cache_dir / "feeds"
        if feeds.is_dir():
            dirs += [(d, "feed") for d in sorted(feeds.iterdir()) if d.is_dir() and not d.name.startswith(".")]
        if self.system:
            dirs.append((self.config_dir / "rules", "system"))
        else:
            dirs += [(Path("/etc") / APP / "rules", "system"), (self.config_dir / "rules", "user")]
        return dirs


def layout(*, system: bool = False, inventory: Path | None = None) -> Layout:
    if system:
        state = Path(os.environ.get("STATE_DIRECTORY", f"/var/lib/{APP}").split(":")[0])
        default_inventory = state / "inventory.toml"
        config = Path(os.environ.get("CONFIGURATION_DIRECTORY", f"/etc/{APP}").split(":")[0])
        # The service may write only its StateDirectory=, so the rule cache lives inside it.
        cache = Path(os.environ.get("CACHE_DIRECTORY", str(state / "cache")).split(":")[0])
    else:
        data = _xdg("XDG_DATA_HOME", ".local/share") / APP
        default_inventory = data / "inventory.toml"
        config = _xdg("XDG_CONFIG_HOME", ".config") / APP
        state = _xdg("XDG_STATE_HOME", ".local/state") / APP
        cache = _xdg("XDG_CACHE_HOME", ".cache") / APP
    env_inventory = os.environ.get(INVENTORY_ENV, "")
    chosen = inventory or (Path(env_inventory) if env_inventory else default_inventory)
    return Layout(inventory=chosen, config_dir=config, state_dir=state, cache_dir=cache, system=system)
