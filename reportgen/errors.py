"""The one family of errors a user can meet.

Every error carries a message a planning officer can act on (in Japanese), the technical
detail after it, and an exit code. The CLI prints them; no traceback is shown for a
mistake in the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ReportgenError(Exception):
    """Base of every error reported to the user."""

    exit_code = 1

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def render(self) -> str:
        return f"{self.message}\n  ({self.detail})" if self.detail else self.message


class UsageError(ReportgenError):
    """A command-line argument names something that does not exist."""

    exit_code = 2


class WarekiError(ReportgenError, ValueError):
    """A date or year cannot be read or has no Japanese era form."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One mistake in one input file, located as precisely as the file allows."""

    file: Path | str
    line: int | None
    field: str
    message: str
    expected: str = ""

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        field = f" {self.field}:" if self.field else ""
        expected = f" (expected {self.expected})" if self.expected else ""
        return f"{where}:{field} {self.message}{expected}"


class DataError(ReportgenError):
    """One or more problems in a data set; all problems of a run are reported together."""

    exit_code = 3

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(
            problems, key=lambda p: (str(p.file), p.line or 0, p.field, p.message)
        )
        count = len(self.problems)
        super().__init__(
            f"データに {count} 件の誤りがあります。",
            "\n  ".join(p.render() for p in self.problems),
        )

    def render(self) -> str:
        return self.message + "\n" + "\n".join("  " + p.render() for p in self.problems)


class TemplateError(ReportgenError):
    """A template (wording and layout of a report) cannot be read or rendered."""

    exit_code = 4

    def __init__(self, file: Path | str, line: int | None, message: str) -> None:
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"テンプレートに誤りがあります: {where}", message)
        self.file = file
        self.line = line


class RenderError(ReportgenError):
    """A writer could not produce a file; earlier outputs are left as they were."""

    exit_code = 5


class OutputError(ReportgenError):
    """The output folder cannot be written (read-only, full, busy); earlier outputs are kept."""

    exit_code = 5


class FontError(ReportgenError):
    """A font the documents need is not installed."""

    exit_code = 5
