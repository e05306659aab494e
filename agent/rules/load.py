"""Load rule folders. Every problem is reported with file, rule and field; a broken file never stops the rest."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence

from agent import datetimes as dt
from agent.errors import RuleError
from agent.fields import Problems
from agent.problems import Problem
from agent.record import Record, field
from agent.rules.schema import Rule
from agent.tomlio import parse_toml, read_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    from agent.paths import StrPath
    from agent.rules.stored import Stored

MAX_RULE_FILE = 1_000_000
POLICY_SUFFIX = ".policy.toml"  # matching data shipped beside the rules (agent/matching/policy.py), not a rule


class Group(Record):
    """Rules of one origin from one folder, counted, with the newest publication date among them."""

    origin: str
    folder: str  # the folder the rule files are in
    rules: int
    newest: dt.date | None


class RuleSet(Record):
    rules: Sequence[Rule]  # a tuple, or the rules of an indexed cache, read when asked for
    problems: tuple[Problem, ...]
    files: int
    stored: Stored | None = field(default=None, compare=False, repr=False)  # the indexed cache they are from

    def get(self, rule_id: str) -> Rule | None:
        if self.stored is not None:
            return self.stored.get(rule_id)
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None

    def with_ids(self, ids: Iterable[str]) -> list[Rule]:
        """The rules with these ids, in load order."""
        wanted = set(ids)
        if self.stored is not None:
            return self.stored.with_ids(wanted)
        return [rule for rule in self.rules if rule.id in wanted]

    def census(self) -> tuple[Group, ...]:
        """What reports say about the rules, without reading each of them from an indexed cache."""
        if self.stored is not None:
            return self.stored.census
        return census(self.rules)

    def keeping(self, last: RuleSet) -> RuleSet:
        """These rules, plus the last good version of the rules of every file that has a problem now."""
        broken = {p.path for p in self.problems}
        if not broken:
            return self
        kept = {r.id: r for r in self.rules}
        for old in last.rules:
            if old.path in broken and old.id not in kept:
                kept[old.id] = old
        if len(kept) == len(self.rules):
            return self
        return RuleSet(tuple(kept.values()), self.problems, self.files)


def census(rules: Iterable[Rule]) -> tuple[Group, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    newest: dict[tuple[str, str], dt.date] = {}
    for rule in rules:
        group = (rule.origin, os.path.dirname(rule.path))
        counts[group] += 1
        first = rule.published.first
        if group not in newest or first > newest[group]:
            newest[group] = first
    return tuple(Group(origin, folder, n, newest.get((origin, folder))) for (origin, folder), n in counts.items())


def rule_files(path: StrPath) -> list[str]:
    """Every ``*.toml`` below ``path`` (or ``path`` itself); hidden files and folders and ``*.policy.toml`` left out.
    Sorted part by part, as paths sort ("a/b/x.toml" before "a/b-c/x.toml")."""
    path = os.fspath(path)
    if os.path.isfile(path):
        return [path]
    found: list[str] = []
    for top, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(top, f) for f in files if _is_rule_file(f)]
    return sorted(found, key=lambda p: p.split("/"))


def _is_rule_file(name: str) -> bool:
    return name.endswith(".toml") and not name.startswith(".") and not name.endswith(POLICY_SUFFIX)


def load_file(path: StrPath, origin: str = "extra") -> tuple[Rule | None, list[Problem]]:
    from agent.rules.parse import rule_from_table  # not needed when the compiled cache is current

    problems = Problems(str(path))
    try:
        table = parse_toml(read_text(path, MAX_RULE_FILE, RuleError), path, RuleError)
    except RuleError as e:
        return None, [e.as_problem()]
    rule = rule_from_table(table, str(path), problems, origin)
    return rule, problems.items


def load_rules(folders: Iterable[tuple[StrPath, str]]) -> RuleSet:
    """Load every ``*.toml`` below each folder. A later folder's rule replaces an earlier one with its id."""
    by_id: dict[str, Rule] = {}
    problems: list[Problem] = []
    files = 0
    for folder, origin in folders:
        seen_here: dict[str, str] = {}
        for path in rule_files(folder):
            files += 1
            rule, found = load_file(path, origin)
            problems.extend(found)
            if rule is None:
                continue
            if rule.id in seen_here:
                used = f"the same id is already used by {seen_here[rule.id]}"
                problems.append(Problem(path=str(path), item=f"rule {rule.id}", message=used))
                continue
            seen_here[rule.id] = str(path)
            by_id[rule.id] = rule
    return RuleSet(rules=tuple(by_id.values()), problems=tuple(problems), files=files)
