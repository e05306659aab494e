"""Build hook: shell completion, the man page and the table of the parser (for completion and the quick
parse), made from the parser as the wheel is built, and the `recall-agent` script (shell_files.LAUNCHER)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ShellFilesHook(BuildHookInterface):  # type: ignore[type-arg]  # generic in newer hatchling
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        sys.path.insert(0, self.root)
        try:
            from agent.cli.shell_files import LAUNCHER, PROGRAM, TREE_MODULE, generated, generated_tree
        finally:
            sys.path.remove(self.root)
        self._folder = tempfile.TemporaryDirectory(prefix="recall-agent-share-")
        for relative, text in generated().items():
            path = Path(self._folder.name) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            build_data["shared_data"][str(path)] = f"share/{relative}"
        tree = Path(self._folder.name) / "command_tree.py"
        tree.write_text(generated_tree(), encoding="utf-8")
        build_data["force_include"][str(tree)] = TREE_MODULE
        launcher = Path(self._folder.name) / PROGRAM
        launcher.write_text(LAUNCHER, encoding="utf-8")
        launcher.chmod(0o755)
        build_data["shared_scripts"][str(launcher)] = PROGRAM

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        self._folder.cleanup()
