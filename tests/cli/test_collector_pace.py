"""A command that ends runs the cyclic collector's young pass less often; the background commands do not."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from agent.cli import main as cli_main
from agent.cli import run_cmd, scan_cmd


def test_a_command_collects_less_often_while_it_runs_and_restores_the_pace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    usual = gc.get_threshold()
    seen: list[tuple[int, ...]] = []

    def handler(args: object) -> int:
        seen.append(gc.get_threshold())
        return 0

    monkeypatch.setattr(scan_cmd, "run", handler)
    monkeypatch.setattr(run_cmd, "run_daemon", handler)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert cli_main.main(["scan", "--source", "inventory"]) == 0
    assert cli_main.main(["run"]) == 0
    assert seen == [(cli_main.YOUNG_LIMIT, *usual[1:]), usual]
    assert gc.get_threshold() == usual
    with pytest.raises(SystemExit):
        cli_main.main(["scan", "--no-such-option"])
    assert gc.get_threshold() == usual
