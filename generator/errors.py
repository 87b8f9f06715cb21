"""Errors as values: every problem names where it happened (``METHOD /path`` or a JSON pointer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """How bad a problem is: warnings skip one thing, errors stop the run."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Problem:
    """One thing the generator could not do as asked."""

    level: Level
    where: str
    message: str

    def line(self) -> str:
        """The one-line form printed by the CLI."""
        return f"{self.level.value}: {self.where}: {self.message}"


class FatalError(Exception):
    """Input that cannot be used at all (unreadable, not OpenAPI 3, a pin mismatch)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.problem = Problem(Level.ERROR, where, message)


@dataclass
class Report:
    """Problems and decisions collected while generating one server."""

    problems: list[Problem] = field(default_factory=list)
    renames: list[str] = field(default_factory=list)

    def warn(self, where: str, message: str) -> None:
        """Record a warning: something was skipped or changed, the run goes on."""
        self.problems.append(Problem(Level.WARNING, where, message))

    def error(self, where: str, message: str) -> None:
        """Record an error: the run goes on to find more, but writes nothing."""
        self.problems.append(Problem(Level.ERROR, where, message))

    def rename(self, where: str, message: str) -> None:
        """Record a naming decision the user should know about."""
        self.renames.append(f"{where}: {message}")

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop output from being written."""
        return [p for p in self.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that skipped or changed something."""
        return [p for p in self.problems if p.level is Level.WARNING]
