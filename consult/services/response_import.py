"""Importing responses from a CSV or XLSX file in the layout of the export.

Every row is one organisation's submitted response. The file is checked whole — columns,
organisations, every answer with the web form's rules — and refused whole, with every
problem located by row and column, or stored in one transaction (see docs/exports.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import Organisation, Question, Response, Survey
from consult.models.base import utcnow
from consult.questions.single_choice import SPECIFY_MAX_LENGTH
from consult.services import responses
from consult.services.exports import FIXED_NAMES, Column, question_columns
from consult.services.organisations import ImportRefused, RowProblem
from consult.services.surveys import with_design
from consult.services.tabular import cell_value as _cell
from consult.services.tabular import read_file
from consult.services.transactions import writing

BUSINESS_ID = "organisation:business_id"
NAME = "organisation:name"
Cells = dict[str, Any]


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


def _header_problems(header: list[str], columns: list[Column]) -> list[RowProblem]:
    known = set(FIXED_NAMES)
    known.update(c.name for c in columns)
    by_question: dict[str, list[str]] = {}
    for column in columns:
        by_question.setdefault(column.question.key, []).append(column.name)  # type: ignore[union-attr]
    problems = []
    for index, name in enumerate(header):
        if name not in known:
            mine = by_question.get(name.split(".")[0])
            message = (
                _(
                    "unknown column; question %(key)s has the columns %(columns)s",
                    key=name.split(".")[0],
                    columns=", ".join(mine),
                )
                if mine
                else _("unknown column")
            )
            problems.append(RowProblem(1, name or str(index + 1), message))
        elif header.index(name) != index:
            problems.append(RowProblem(1, name, _("this column is named twice")))
    if BUSINESS_ID not in header and NAME not in header:
        message = _(
            "a column %(id)s or %(name)s is needed to find the organisations",
            id=BUSINESS_ID,
            name=NAME,
        )
        problems.append(RowProblem(1, BUSINESS_ID, message))
    for column in columns:
        if column.kind != "specify" and column.name not in header:
            problems.append(RowProblem(1, column.name, _("this column is missing")))
    return problems


def _where(question: Question, columns: list[Column]) -> str:
    """The column a problem with a whole question is reported in."""
    own = [c.name for c in columns if c.question is question and c.kind != "specify"]
    return own[0] if len(own) == 1 else f"{question.key}.*"


def _whole(value: Any) -> int | None:
    """A whole number from a cell (``3``, ``3.0``, ``"3"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def _text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _raw_answers(
    cells: Cells, columns: list[Column], problem: Any
) -> dict[str, tuple[Any, str | None]]:
    """The row's answers as the web form gives them, ``{key: (value, text)}``; mistakes in
    single cells go to ``problem(column, message)``."""
    by_question: dict[str, list[Column]] = {}
    for column in columns:
        by_question.setdefault(column.question.key, []).append(column)  # type: ignore[union-attr]
    result: dict[str, tuple[Any, str | None]] = {}
    for own in by_question.values():
        question = own[0].question
        assert question is not None
        value, text = _question_value(question, own, cells, problem)
        specify = next((c for c in own if c.kind == "specify"), None)
        if specify is not None and text is not None:
            chosen = value if isinstance(value, list) else [value]
            if specify.item.key not in chosen:  # type: ignore[union-attr]
                message = _(
                    "there is a text here but the option %(key)s is not chosen",
                    key=specify.item.key,  # type: ignore[union-attr]
                )
                problem(specify.name, message)
                text = None
        if value is not None or text is not None:
            result[question.key] = (value, text)
    return result


def _question_value(
    question: Question, own: list[Column], cells: Cells, problem: Any
) -> tuple[Any, str | None]:
    """One question's ``(value, text)`` from its cells."""
    value: Any = None
    text: str | None = None
    items: dict[str, Any] = {}
    for column in own:
        cell = cells.get(column.name)
        if cell is None:
            continue
        kind = column.kind
        if kind in ("specify", "text"):
            text = _text_of(cell)
            if kind == "specify" and len(text) > SPECIFY_MAX_LENGTH:
                message = _("write at most %(count)d characters", count=SPECIFY_MAX_LENGTH)
                problem(column.name, message)
        elif kind == "flag":
            if _whole(cell) not in (0, 1):
                problem(column.name, _("write 1 (chosen) or 0 (not chosen)"))
            elif _whole(cell) == 1:
                items[column.item.key] = 1  # type: ignore[union-attr]
        elif kind == "rank":
            place = _whole(cell)
            if place is None or place < 1:
                problem(column.name, _("write a place: 1, 2, 3 …"))
            else:
                items[column.item.key] = place  # type: ignore[union-attr]
        elif kind == "point":
            point = _whole(cell)
            point = cell if point is None else point
            if column.item is None:
                value = point
            else:
                items[column.item.key] = point
        elif kind == "date" and isinstance(cell, datetime | date):
            value = cell.date() if isinstance(cell, datetime) else cell
            value = value.isoformat()
        elif kind == "choice" and cell not in {o.key for o in question.options}:
            message = _(
                "'%(value)s' is not an option of this question (options: %(keys)s)",
                value=_text_of(cell),
                keys=", ".join(o.key for o in question.options),
            )
            problem(column.name, message)
        else:
            value = cell
    kind = own[0].kind
    if kind == "flag":
        value = [o.key for o in question.options if o.key in items] or None
    elif kind == "rank" and items:
        value = sorted(items, key=items.__getitem__)
        if sorted(items.values()) != list(range(1, len(items) + 1)):
            message = _("use the places 1 to %(count)d, each once", count=len(items))
            problem(_where(question, own), message)
    elif kind == "point" and own[0].item is not None:
        value = items or None
    return value, text


def _submitted_at(value: Any) -> datetime | None:
    """A time from a cell; naive times are UTC. ValueError when it is not a time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise ValueError(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def check_file(survey: Survey, path: Path, *, replace: bool = False) -> list[ImportRow]:
    """Every row of the file, checked; ImportRefused lists every problem."""
    survey = db.session.scalars(
        sa.select(Survey).where(Survey.id == survey.id).options(*with_design())
    ).one()
    columns = question_columns(survey)
    header, records = read_file(path)
    problems = _header_problems(header, columns)
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
                    locale=_text_of(locale),
                    locales=", ".join(survey.locales),
                ),
            )
        submitted_at = None
        if cells.get("response:submitted_at") is not None:
            try:
                submitted_at = _submitted_at(cells["response:submitted_at"])
            except ValueError:
                problem("response:submitted_at", _("write a time such as 2026-03-31T12:00:00Z"))
        raw = _raw_answers(cells, columns, problem)
        answers, errors = responses.normalise(survey, raw)
        for key, message in errors.items():
            problem(_where(next(q for q in survey.questions if q.key == key), columns), message)
        for question in survey.ordered_questions():
            if question.key in raw and question.key not in answers and question.key not in errors:
                problem(
                    _where(question, columns),
                    _(
                        "this question is not asked with the row's other answers "
                        "(see its display condition); leave it empty"
                    ),
                )
        for key in responses.missing_required(survey, answers):
            question = next(q for q in survey.questions if q.key == key)
            if key not in errors:
                problem(
                    _where(question, columns),
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
        found = by_business_id.get(_text_of(business_id))
        if found is None:
            problem(
                BUSINESS_ID,
                _(
                    "no organisation in the register has the business ID %(id)s",
                    id=_text_of(business_id),
                ),
            )
        return found
    if name is None:
        problem(NAME, _("give the organisation's business ID or name"))
        return None
    found_ids = by_name.get(_text_of(name).lower(), [])
    if not found_ids:
        problem(NAME, _("no organisation in the register is named '%(name)s'", name=_text_of(name)))
        return None
    if len(found_ids) > 1:
        problem(
            NAME,
            _(
                "%(count)d organisations in the register are named '%(name)s'; "
                "give the business ID",
                count=len(found_ids),
                name=_text_of(name),
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
                response.status, response.locale = "submitted", row.locale
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
