"""The configuration's error: one line naming the file, the setting and the problem."""

from __future__ import annotations

from agent.errors import InputFileError


class ConfigError(InputFileError):
    """The configuration file, or a file it names, cannot be used as it is."""
