"""Located problems in a survey file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is (``sections[2].questions[4].options``) and what is wrong."""

    path: str
    message: str

    def located(self, source: str) -> str:
        """The problem as one line: ``file: path: message``."""
        where = f"{source}: {self.path}" if self.path else source
        return f"{where}: {self.message}"


class SurveyFileError(Exception):
    """A survey file that cannot be imported; ``problems`` lists every mistake."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(p.located(source) for p in problems))
