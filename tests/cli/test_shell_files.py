"""Shell completion and the man page: made from the parser, shipped as generated, installed by pip, working."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import skip_or_fail

from agent.cli.shell_files import COMPLETIONS, MAN_PAGE, generated

INSTALLED_SHARE = Path(sys.prefix) / "share"


def test_pip_install_puts_them_where_shells_and_man_look() -> None:
    """The build made them from the parser of this very tree, so they match what it makes now."""
    for relative, text in generated().items():
        installed = INSTALLED_SHARE / relative
        assert installed.is_file(), f"{installed} was not installed"
        assert installed.read_text(encoding="utf-8") == text


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_bash_completes_commands_and_options(tmp_path: Path) -> None:
    script = INSTALLED_SHARE / COMPLETIONS["bash"]
    if shutil.which("recall-agent", path=_env()["PATH"]) is None:
        skip_or_fail("recall-agent is not on PATH beside this interpreter")

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        program = f"""
            source {script}
            COMP_LINE='{line}'; COMP_POINT={len(line)}; COMP_WORDS=({" ".join(repr(w) for w in words)})
            COMP_CWORD={len(words) - 1}
            _python_argcomplete recall-agent
            printf '%s\\n' "${{COMPREPLY[@]}}"
        """
        done = subprocess.run(
            ["bash", "-c", program], capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=60, check=True
        )
        return [w.strip() for w in done.stdout.splitlines() if w.strip()]

    assert "inventory" in complete("recall-agent inv")
    assert set(complete("recall-agent inventory ")) >= {"list", "show", "add", "edit", "remove"}
    assert "--fail-on" in complete("recall-agent scan --fail")
    assert set(complete("recall-agent scan --fail-on ")) == {"confirmed", "likely", "possible"}


def test_the_man_page_renders_cleanly() -> None:
    if shutil.which("groff") is None:
        skip_or_fail("groff is not installed (tests/system-packages.txt lists groff-base)")
    page = INSTALLED_SHARE / MAN_PAGE
    done = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww", str(page)], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stderr == ""
    text = re.sub(".\x08", "", done.stdout).replace("\u2010", "-")  # overstruck bold, hyphens as typed
    for expected in (
        "recall-agent scan",
        "inventory import",
        "inventory export",
        "--fail-on",
        "rules status",
        "NO_COLOR",
        "EXIT STATUS",
    ):
        assert expected in " ".join(text.split())
