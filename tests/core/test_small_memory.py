"""Capped reads allocate what the file holds, not the cap: a machine with little memory still reads its files.

Found under qemu with 1 GB of memory: reading the rule cache with read(1 GB + 1) failed before one byte
was read, and the system service crash-looped.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from agent.paths import shipped_rules_dir
from agent.rules.cache import load_cached

LIMITED = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from agent.feeds import read_capped
    from agent.rules.cache import read_trusted
    from agent.tomlio import read_text
    resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))  # less than the rule cache's 1 GB cap
    cache, feed, text = (Path(p) for p in sys.argv[1:4])
    assert read_trusted(cache)
    assert read_capped(feed, 900_000_000) == b"[]"
    assert read_text(text, 900_000_000) == "x = 1\\n"
    print("read all three")
    """
)


def test_reads_work_under_a_memory_limit_below_their_caps(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "rules.json"
    load_cached([(shipped_rules_dir(), "shipped")], cache)
    assert cache.exists()
    (tmp_path / "feed.json").write_bytes(b"[]")
    (tmp_path / "file.toml").write_text("x = 1\n")
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, str(cache), str(tmp_path / "feed.json"), str(tmp_path / "file.toml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "read all three"), done.stderr
