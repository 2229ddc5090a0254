"""Importing responses from a CSV or XLSX file in the layout of the export.

Every row is one organisation's submitted response. The file is checked whole — columns,
organisations, every answer with the web form's rules — and refused whole, with every
problem located by row and column, or stored in one transaction (see docs/exports.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import Organisation, Response, Survey
from consult.models.base import utcnow
from consult.services import responses
from consult.services.exports import question_columns
from consult.services.organisations import ImportRefused, RowProblem
from consult.services.response_cells import (
    BUSINESS_ID,
    NAME,
    Cells,
    header_problems,
    place_of,
    raw_answers,
    text_of,
    time_of,
)
from consult.services.surveys import with_design
from consult.services.tabular import cell_value as _cell
from consult.services.tabular import read_file
from consult.services.transactions import writing


@dataclass
class ImportRow:
    """One row, checked: whose response it is and its normalised answers."""

    row: int
    organisation_id: int
    answers: dict[str, tuple[Any, str | None]]
    locale: str
    submitted_at: datetime | None
    #: The organisation's response already in the survey (replaced), or None.
    replaces: int | None


@dataclass
class ImportResult:
    created: int
    replaced: int
    stored: bool


# --- checking ------------------------------------------------------------------------------


def check_file(survey: Survey, path: Path, *, replace: bool = False) -> list[ImportRow]:
    """Every row of the file, checked; ImportRefused lists every problem."""
    survey = db.session.scalars(
        sa.select(Survey).where(Survey.id == survey.id).options(*with_design())
    ).one()
    columns = question_columns(survey)
    header, records = read_file(path)
    problems = header_problems(header, columns)
    if problems:
        raise ImportRefused(problems)
    organisations = db.session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.business_id)
    ).all()
    by_business_id = {bid: oid for oid, _name, bid in organisations if bid}
    by_name: dict[str, list[int]] = {}
    for oid, name, _bid in organisations:
        by_name.setdefault(name.strip().lower(), []).append(oid)
    existing = dict(
        db.session.execute(
            sa.select(Response.organisation_id, Response.id).where(Response.survey_id == survey.id)
        ).all()
    )
    seen: dict[int, int] = {}
    result: list[ImportRow] = []
    for number, values in records:

        def problem(column: str, message: str, number: int = number) -> None:
            problems.append(RowProblem(number, column, message))

        if len(values) > len(header) and any(_cell(v) is not None for v in values[len(header) :]):
            problem("-", _("this row has more cells than the first row has columns"))
            continue
        cells = {
            name: _cell(values[i]) if i < len(values) else None for i, name in enumerate(header)
        }
        organisation_id = _organisation(cells, by_business_id, by_name, problem)
        if organisation_id is not None:
            where = BUSINESS_ID if cells.get(BUSINESS_ID) else NAME
            if organisation_id in seen:
                problem(
                    where, _("the same organisation is on row %(row)d", row=seen[organisation_id])
                )
            seen.setdefault(organisation_id, number)
            if organisation_id in existing and not replace:
                problem(
                    where,
                    _(
                        "this organisation has already answered this survey; "
                        "import with --replace to replace its response"
                    ),
                )
        status = cells.get("response:status")
        if status == "draft":
            problem(
                "response:status",
                _("only submitted responses can be imported; this row is a draft"),
            )
        elif status not in (None, "submitted"):
            problem("response:status", _("write submitted, or leave the cell empty"))
        locale = cells.get("response:locale") or survey.default_locale
        if locale not in survey.locales:
            problem(
                "response:locale",
                _(
                    "the survey is not in the language '%(locale)s' (languages: %(locales)s)",
                    locale=text_of(locale),
                    locales=", ".join(survey.locales),
                ),
            )
        submitted_at = None
        if cells.get("response:submitted_at") is not None:
            try:
                submitted_at = time_of(cells["response:submitted_at"])
            except ValueError:
                problem("response:submitted_at", _("write a time such as 2026-03-31T12:00:00Z"))
        raw = raw_answers(cells, columns, problem)
        answers, errors = responses.normalise(survey, raw)
        for key, message in errors.items():
            problem(place_of(next(q for q in survey.questions if q.key == key), columns), message)
        for question in survey.ordered_questions():
            if question.key in raw and question.key not in answers and question.key not in errors:
                problem(
                    place_of(question, columns),
                    _(
                        "this question is not asked with the row's other answers "
                        "(see its display condition); leave it empty"
                    ),
                )
        for key in responses.missing_required(survey, answers):
            question = next(q for q in survey.questions if q.key == key)
            if key not in errors:
                problem(
                    place_of(question, columns),
                    _("this required question is not answered (completely)"),
                )
        if organisation_id is not None:
            result.append(
                ImportRow(
                    number,
                    organisation_id,
                    answers,
                    str(locale),
                    submitted_at,
                    existing.get(organisation_id),
                )
            )
    if problems:
        raise ImportRefused(problems)
    return result


def _organisation(
    cells: Cells, by_business_id: dict[str, int], by_name: dict[str, list[int]], problem: Any
) -> int | None:
    """The organisation a row is about: by business ID when given, otherwise by name."""
    business_id, name = cells.get(BUSINESS_ID), cells.get(NAME)
    if business_id is not None:
        found = by_business_id.get(text_of(business_id))
        if found is None:
            problem(
                BUSINESS_ID,
                _(
                    "no organisation in the register has the business ID %(id)s",
                    id=text_of(business_id),
                ),
            )
        return found
    if name is None:
        problem(NAME, _("give the organisation's business ID or name"))
        return None
    found_ids = by_name.get(text_of(name).lower(), [])
    if not found_ids:
        problem(NAME, _("no organisation in the register is named '%(name)s'", name=text_of(name)))
        return None
    if len(found_ids) > 1:
        problem(
            NAME,
            _(
                "%(count)d organisations in the register are named '%(name)s'; "
                "give the business ID",
                count=len(found_ids),
                name=text_of(name),
            ),
        )
        return None
    return found_ids[0]


# --- storing -------------------------------------------------------------------------------


def import_file(
    survey: Survey, path: Path, *, replace: bool = False, dry_run: bool = False
) -> ImportResult:
    """Store every row of the file as a submitted response, or nothing (ImportRefused)."""
    rows = check_file(survey, path, replace=replace)
    replaced = sum(1 for row in rows if row.replaces is not None)
    if dry_run:
        return ImportResult(created=len(rows) - replaced, replaced=replaced, stored=False)
    with writing():
        _check_unchanged(survey, rows)
        old = {
            r.id: r
            for r in db.session.scalars(
                sa.select(Response)
                .where(Response.id.in_([row.replaces for row in rows if row.replaces]))
                .options(selectinload(Response.answers))
            )
        }
        now = utcnow()
        for row in rows:
            if row.replaces is None:
                response = responses.add_response(
                    survey, row.organisation_id, row.answers, locale=row.locale, submitted=True
                )
            else:
                response = old[row.replaces]
                responses.store(response, row.answers, survey)
                # Replaced by the file: a change, whatever the answers (updated_at is also the
                # version that a respondent's save in progress compares).
                response.status, response.locale = "submitted", row.locale
                response.updated_at = now
            response.submitted_at = row.submitted_at or now
    return ImportResult(created=len(rows) - replaced, replaced=replaced, stored=True)


def _check_unchanged(survey: Survey, rows: list[ImportRow]) -> None:
    """Refuse when an organisation answered on the web between the check and the write."""
    now = dict(
        db.session.execute(
            sa.select(Response.organisation_id, Response.id).where(Response.survey_id == survey.id)
        ).all()
    )
    moved = [row for row in rows if now.get(row.organisation_id) != row.replaces]
    if moved:
        message = _("the organisation's response changed while the file was imported; import again")
        raise ImportRefused([RowProblem(row.row, "-", message) for row in moved])
