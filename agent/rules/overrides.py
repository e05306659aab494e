"""Rules that replace a shipped rule: a user, system or feed rule with a shipped rule's id wins over it.

That is how a shipped rule is corrected locally, but done by accident it silently disables a recall, so
`rules check` and every scan say so.
"""

from __future__ import annotations

import os

from agent.rules.load import RuleSet

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath

SHIPPED_CACHE = "shipped-rules.json"  # beside the rule cache: the shipped rules alone


def replaced_shipped(ruleset: RuleSet, cache_dir: StrPath | None = None) -> tuple[str, ...]:
    """One line per loaded rule that replaces the shipped rule with its id, naming both files.

    The shipped rules are read through a rule cache of their own in ``cache_dir`` when one is given
    (a scan), else from their files (``rules check``).
    """
    if all(group.origin == "shipped" for group in ruleset.census()):
        return ()
    if ruleset.stored is not None and ruleset.stored.replaced is not None:
        return ruleset.stored.replaced  # worked out when the indexed cache was built
    shipped = {r.id: r.path for r in _shipped(cache_dir).rules}
    others = [r for r in ruleset.with_ids(shipped) if r.origin != "shipped"]
    return tuple(
        f"{rule.path}: rule {rule.id}: replaces the shipped rule with the same id ({shipped[rule.id]}); "
        "give it another id to keep both"
        for rule in others
        if not _same_file(rule.path, shipped[rule.id])
    )


def _shipped(cache_dir: StrPath | None) -> RuleSet:
    from agent.paths import shipped_rules_dir

    folders = [(shipped_rules_dir(), "shipped")]
    if cache_dir is None:
        from agent.rules.load import load_rules

        return load_rules(folders)
    from agent.rules.cache import load_cached

    return load_cached(folders, os.path.join(cache_dir, SHIPPED_CACHE))


def _same_file(a: str, b: str) -> bool:
    """The shipped folder itself, or a byte-for-byte copy of a shipped file, replaces nothing."""
    try:
        if os.path.samefile(a, b):
            return True
        with open(a, "rb") as first, open(b, "rb") as second:
            return first.read() == second.read()
    except OSError:
        return False
