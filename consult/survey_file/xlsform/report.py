"""The import report: problems and notes located by sheet, row and column, and the reader's
part that records them, locates the validator's problems and notes what was not kept."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.i18n import CONTENT_LOCALES
from consult.survey_file.problems import Problem, SurveyFileError
from consult.survey_file.xlsform.sheets import _Row, _Sheet


@dataclass(frozen=True)
class SheetProblem(Problem):
    """A problem or a note located in the workbook (``path`` says it in words)."""

    sheet: str = ""
    rows: tuple[int, ...] = ()
    column: str = ""


def located(
    sheet: str, rows: Iterable[int] | int | None, column: str, message: str
) -> SheetProblem:
    """A :class:`SheetProblem` at ``sheet``, ``rows`` (spreadsheet row numbers) and ``column``."""
    numbers = tuple(sorted({rows} if isinstance(rows, int) else set(rows or ())))
    parts = []
    if sheet:
        parts.append(_("%(sheet)s sheet", sheet=sheet))
    if len(numbers) == 1:
        parts.append(_("row %(row)d", row=numbers[0]))
    elif numbers:
        parts.append(_("rows %(rows)s", rows=_spans(numbers)))
    if column:
        parts.append(_("column %(column)s", column=column))
    return SheetProblem(", ".join(parts), message, sheet, numbers, column)


def _spans(numbers: tuple[int, ...]) -> str:
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


#: Why a column's values are not kept, for the columns whose reason is worth saying.
_REASONS = {
    "default": _l("default answers are not kept"),
    "constraint_message": _l("consult shows its own messages"),
    "required_message": _l("consult shows its own messages"),
    "image": _l("media are not kept"),
    "big-image": _l("media are not kept"),
    "audio": _l("media are not kept"),
    "video": _l("media are not kept"),
    "calculate": _l("calculations are not kept"),
    "choice_filter": _l("choice filters are not kept: every choice is shown"),
    "read_only": _l("read-only questions are not kept"),
    "readonly": _l("read-only questions are not kept"),
    "version": _l("consult keeps no form version"),
    "guidance_hint": _l("guidance hints are not kept"),
    "relevant": _l("a display condition here is not kept"),
    "constraint": _l("a constraint here is not kept"),
    "hint": _l("a hint here is not kept"),
    "required": _l("required here is not kept"),
}


class _Report:
    """The reader's errors, notes and where each document path came from in the workbook."""

    def error(self, row: _Row | None, column: str, message: str, sheet: str = "") -> None:
        where = row.sheet.name if row else sheet
        self.errors.append(located(where, row.number if row else None, column, message))

    def note(self, row: _Row, column: str, message: str) -> None:
        self.notes.append(located(row.sheet.name, row.number, column, message))

    def at(self, path: str, row: _Row | None, column: str = "", sheet: str = "") -> None:
        self.where[path] = (row.sheet.name if row else sheet, row.number if row else None, column)

    def locate(self, problem: Problem) -> SheetProblem:
        if isinstance(problem, SheetProblem):
            return problem
        probe = problem.path
        while probe not in self.where and probe:
            probe = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe)
        if probe not in self.where:
            return located("", None, "", f"{problem.path}: {problem.message}")
        sheet, row, column = self.where[probe]
        rest = problem.path[len(probe) :].lstrip(".")
        message = f"{rest}: {problem.message}" if rest and not column else problem.message
        return located(sheet, row, column, message)

    def report(self) -> list[SheetProblem]:
        order = {"": 0, "settings": 1, "survey": 2, "choices": 3}
        return sorted(
            self.notes, key=lambda n: (order.get(n.sheet, 4), n.rows[:1] or (0,), n.column)
        )

    def stop_on_errors(self, source: str) -> None:
        if self.errors:
            raise SurveyFileError(self.errors, source)

    # --- what was left over ---------------------------------------------------------------

    def note_unused(self) -> None:
        for list_name, rows in self.lists.items():
            if list_name not in self.used_lists:
                for row in rows:
                    row.use_all()
                message = _(
                    "list '%(list)s' not kept: no question that was kept uses it", list=list_name
                )
                self.notes.append(
                    located(
                        "choices",
                        [r.number for r in rows],
                        self.choices.header("list_name"),
                        message,
                    )
                )
        grouped: dict[tuple[str, str, str], list[int]] = {}
        for sheet in (self.survey, self.choices, self.settings):
            for row in sheet.rows:
                if row.done:
                    continue
                for header, value in row.values.items():
                    if header in row.used:
                        continue
                    message = self.unused_message(sheet, header, value)
                    grouped.setdefault((sheet.name, header, message), []).append(row.number)
        for (sheet_name, header, message), rows in grouped.items():
            self.notes.append(located(sheet_name, rows, header, message))

    def unused_message(self, sheet: _Sheet, header: str, value: Any) -> str:
        column = sheet.columns[header]
        if header in self.unknown_languages:
            return _(
                "not kept: '%(language)s' is not a language consult offers (%(locales)s)",
                language=column.language,
                locales=", ".join(CONTENT_LOCALES),
            )
        if column.name == "appearance":
            return _("appearance '%(value)s' not kept", value=value)
        reason = _REASONS.get(column.name)
        if reason is not None:
            return _("not kept: %(reason)s", reason=reason)
        return _("not kept: consult has no equivalent of this column")
