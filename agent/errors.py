"""Exception bases, one per layer. Messages are one line and name the file, the item and the problem."""

from __future__ import annotations

from collections.abc import Sequence

from agent.problems import Problem


class RecallAgentError(Exception):
    """Base of every error the command line reports as a one-line message (exit code 2)."""


class InputFileError(RecallAgentError):
    """A file a person wrote (inventory, rule, config) cannot be used as it is."""

    def __init__(
        self, path: object, problem: str, *, line: int | None = None, kind: str = "", item: str = "", field: str = ""
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.kind = kind
        self.item = item
        self.field = field
        super().__init__(str(self.as_problem()))  # one safe line, whatever the path holds

    def as_problem(self) -> Problem:
        return Problem(
            path=self.path, line=self.line, kind=self.kind, item=self.item, field=self.field, message=self.problem
        )


class InventoryError(InputFileError):
    """The inventory file is broken or an edit cannot be applied."""


class RuleError(InputFileError):
    """A rule file is broken."""


class UsageError(RecallAgentError):
    """The command line asks for something that cannot be done."""


class ProblemList(RecallAgentError):
    """Several problems found at once in files a person wrote; each renders as one complete line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
