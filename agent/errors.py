"""Exception bases, one per layer. Messages are one line and name the file, the item and the problem."""

from __future__ import annotations

from agent.textsafe import terminal


class RecallAgentError(Exception):
    """Base of every error the command line reports as a one-line message (exit code 2)."""


class InputFileError(RecallAgentError):
    """A file a person wrote (inventory, rule, config) cannot be used as it is."""

    def __init__(self, path: object, problem: str, *, line: int | None = None, item: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.item = item
        where = self.path if line is None else f"{self.path}:{line}"
        subject = f"{where}: {item}: " if item else f"{where}: "
        super().__init__(terminal(subject + problem, limit=2000))  # one safe line, whatever the path holds


class InventoryError(InputFileError):
    """The inventory file is broken or an edit cannot be applied."""


class RuleError(InputFileError):
    """A rule file is broken."""


class UsageError(RecallAgentError):
    """The command line asks for something that cannot be done."""


class ProblemList(RecallAgentError):
    """Several problems found at once in files a person wrote; each is a complete one-line message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))
