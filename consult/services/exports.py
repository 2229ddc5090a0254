"""A survey's responses as a table — CSV, XLSX (with a codebook sheet) and JSON.

One row per response, one column per answer item (see docs/exports.md):

* ``response:*`` and ``organisation:*`` columns first; the colon keeps them apart from
  question columns, whose names are question keys (lowercase letters, digits, ``_``);
* ``key`` for a single answer; ``key.option`` for each option of a multiple-choice (1/0) or
  ranking (place) question and ``key.statement`` for each statement of a matrix;
  ``key.option.text`` for the text of an "other, please specify" option.

Closed answers are read from the packed analysis vectors (one query, one ``frombuffer``) and
typed texts from the ``Answer`` rows that have text (one more query).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from consult.analysis.columns import DONT_KNOW, unpack
from consult.extensions import db
from consult.models import Answer, Option, Organisation, Question, Response, Survey
from consult.models.base import utcnow
from consult.questions.date import EPOCH
from consult.questions.scale import DONT_KNOW as DONT_KNOW_KEY
from consult.services.surveys import with_design

FORMATS = ("csv", "xlsx", "json")
#: ``submitted``: submitted responses only; ``all``: drafts too.
STATUSES = ("submitted", "all")
JSON_FORMAT = "consult-responses/1"
#: A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = frozenset("=+-@\t\r")
#: Kinds whose cells are numbers written by consult (never text typed by anyone).
NUMERIC_KINDS = frozenset({"id", "flag", "rank", "number", "point"})

#: The columns before the answers: header, kind of cell, and the field it is read from.
FIXED_COLUMNS = (
    ("response:id", "id", Response.id),
    ("response:status", "key", Response.status),
    ("response:locale", "key", Response.locale),
    ("response:submitted_at", "time", Response.submitted_at),
    ("response:updated_at", "time", Response.updated_at),
    ("organisation:name", "text", Organisation.name),
    ("organisation:business_id", "text", Organisation.business_id),
    ("organisation:theme_group", "key", Organisation.theme_group),
    ("organisation:size", "key", Organisation.size),
    ("organisation:languages", "list", Organisation.languages),
    ("organisation:districts", "list", Organisation.districts),
    ("organisation:city_funded", "bool", Organisation.city_funded),
)
FIXED_NAMES = tuple(name for name, _kind, _field in FIXED_COLUMNS)
CODEBOOK_HEADERS = (
    _l("column"),
    _l("question"),
    _l("type"),
    _l("text"),
    _l("item"),
    _l("value"),
    _l("label"),
    _l("code"),
)


class ExportError(ValueError):
    """The export cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Column:
    """One column: its header, what its cells hold, and the question and item it belongs to."""

    name: str
    #: id, key, time, text, list, bool (response and organisation); choice, yes_no, flag, rank,
    #: point, number, date, text, specify (answers).
    kind: str
    question: Question | None = None
    item: Option | None = None


def _single(kind: str) -> Callable[[Question], list[Column]]:
    return lambda q: [Column(q.key, kind, q)]


def _per_item(kind: str, role: str) -> Callable[[Question], list[Column]]:
    def columns(q: Question) -> list[Column]:
        items = q.options if role == "option" else q.statements
        return [Column(f"{q.key}.{item.key}", kind, q, item) for item in items]

    return columns


def _specify(q: Question) -> list[Column]:
    return [Column(f"{q.key}.{o.key}.text", "specify", q, o) for o in q.options if o.specify]


#: The columns of each question type, in the order they appear.
QUESTION_COLUMNS: dict[str, Callable[[Question], list[Column]]] = {
    "single_choice": lambda q: [Column(q.key, "choice", q), *_specify(q)],
    "yes_no": _single("yes_no"),
    "multiple_choice": lambda q: [*_per_item("flag", "option")(q), *_specify(q)],
    "ranking": _per_item("rank", "option"),
    "scale": _single("point"),
    "matrix": _per_item("point", "statement"),
    "number": _single("number"),
    "date": _single("date"),
    "short_text": _single("text"),
    "long_text": _single("text"),
    "note": lambda q: [],
}


def question_columns(survey: Survey) -> list[Column]:
    """The answer columns of a survey, question by question in the respondent's order."""
    columns: list[Column] = []
    for question in survey.ordered_questions():
        if question.type not in QUESTION_COLUMNS:
            raise ExportError(
                _("The export does not know question type %(type)s.", type=question.type)
            )
        columns.extend(QUESTION_COLUMNS[question.type](question))
    return columns


def layout(survey: Survey) -> list[Column]:
    """Every column of the export, in order."""
    fixed = [Column(name, kind) for name, kind, _field in FIXED_COLUMNS]
    return [*fixed, *question_columns(survey)]


# --- neutralising formulas ------------------------------------------------------------------


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet cell that is never a formula: prefixed with ``'`` when it
    starts with ``= + - @``, a tab or a carriage return (or with ``'`` before one of those,
    so that :func:`restore` gives back exactly what was written)."""
    if text and (
        text[0] in FORMULA_STARTS
        or (text[0] == "'" and len(text) > 1 and (text[1] in FORMULA_STARTS or text[1] == "'"))
    ):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_STARTS or text[1] == "'"):
        return text[1:]
    return text


# --- the table -----------------------------------------------------------------------------


@dataclass
class Table:
    """The responses as columns of plain values (None where a cell is empty)."""

    survey: Survey
    status: str
    columns: list[Column]
    values: list[list[Any]]

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def __len__(self) -> int:
        return len(self.values[0]) if self.values else 0


def _decode(column: Column, numbers: list[float]) -> list[Any]:
    """A packed analysis column as the values the export writes."""
    kind = column.kind
    if kind == "choice":
        keys = {float(o.code): o.key for o in column.question.options}  # type: ignore[union-attr]
        return [None if v != v else keys.get(v) for v in numbers]
    if kind == "yes_no":
        return [None if v != v else ("yes" if v == 1.0 else "no") for v in numbers]
    if kind in ("flag", "rank"):
        return [None if v != v else int(v) for v in numbers]
    if kind == "point":
        return [None if v != v else (DONT_KNOW_KEY if v == DONT_KNOW else int(v)) for v in numbers]
    if kind == "number":
        return [None if v != v else (int(v) if v.is_integer() else v) for v in numbers]
    if kind == "date":
        days: dict[float, date] = {}
        return [
            None if v != v else days.setdefault(v, EPOCH + timedelta(days=int(v))) for v in numbers
        ]
    raise ValueError(kind)


def build_table(survey: Survey, *, status: str = "submitted") -> Table:
    """A survey's responses (``submitted``, or ``all`` with drafts) as a table, in two queries."""
    if status not in STATUSES:
        raise ExportError(_("The status must be submitted or all."))
    survey = db.session.scalars(
        sa.select(Survey).where(Survey.id == survey.id).options(*with_design())
    ).one()
    columns = layout(survey)
    wanted = [Response.survey_id == survey.id]
    if status == "submitted":
        wanted.append(Response.status == "submitted")
    rows = db.session.execute(
        sa.select(*(field for _name, _kind, field in FIXED_COLUMNS), Response.coded)
        .join(Organisation, Response.organisation_id == Organisation.id)
        .where(*wanted)
        .order_by(Response.id)
    ).all()
    fixed = len(FIXED_COLUMNS)
    by_field = [list(field) for field in zip(*rows, strict=True)] or [[] for _ in range(fixed + 1)]
    values: list[list[Any]] = by_field[:fixed]
    ids = by_field[0]
    matrix = unpack(by_field[fixed], len(survey.column_layout))
    position = {(q, item): i for i, (q, item) in enumerate(survey.column_layout)}
    texts = _texts(survey, wanted)
    for column in columns[fixed:]:
        question = column.question
        assert question is not None
        if column.kind in ("text", "specify"):
            typed = texts.get(question.id, {})
            values.append([typed.get(i) for i in ids])
            continue
        item = column.item.key if column.item is not None else None
        index = position.get((question.key, item))
        if index is None:  # not in the layout: no response can have answered it
            values.append([None] * len(ids))
        else:
            values.append(_decode(column, matrix[:, index].tolist()))
    return Table(survey=survey, status=status, columns=columns, values=values)


def _texts(survey: Survey, wanted: list[Any]) -> dict[int, dict[int, str]]:
    """What respondents typed, ``{question_id: {response_id: text}}``, in one query."""
    texts: dict[int, dict[int, str]] = {}
    for response_id, question_id, text in db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.text)
        .join(Response, Answer.response_id == Response.id)
        .where(*wanted, Answer.text.is_not(None))
    ):
        texts.setdefault(question_id, {})[response_id] = text
    return texts


# --- writing -------------------------------------------------------------------------------


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def _yes_no(value: Any) -> str:
    return "yes" if value else "no"


def _xlsx_text(text: str) -> str:
    text = neutralise(text)
    return ILLEGAL_CHARACTERS_RE.sub("", text) if ILLEGAL_CHARACTERS_RE.search(text) else text


CSV, XLSX, JSON = range(3)
Write = Callable[[Any], Any] | None
#: How a value of each kind is written to CSV, XLSX and JSON (None: as it is). Anything
#: that can hold text is neutralised in CSV and XLSX; numbers stay numbers.
WRITERS: dict[str, tuple[Write, Write, Write]] = {
    "id": (str, None, None),
    "flag": (str, None, None),
    "rank": (str, None, None),
    "point": (str, None, None),
    "number": (_number, None, None),
    "date": (date.isoformat, None, date.isoformat),  # XLSX: a date cell
    "time": (_time, _time, _time),
    "list": (
        lambda v: ";".join(map(neutralise, v)),
        lambda v: ";".join(map(_xlsx_text, v)) or None,
        list,
    ),
    "bool": (_yes_no, _yes_no, None),
}
TEXT_WRITERS: tuple[Write, Write, Write] = (neutralise, _xlsx_text, None)


def _cells(table: Table, target: int) -> list[list[Any]]:
    """The table's columns as written to ``target`` (CSV, XLSX or JSON)."""
    empty = "" if target == CSV else None
    cells = []
    for column, values in zip(table.columns, table.values, strict=True):
        write = WRITERS.get(column.kind, TEXT_WRITERS)[target]
        cells.append(
            values if write is None else [empty if v is None else write(v) for v in values]
        )
    return cells


def write_csv(table: Table, stream: IO[str]) -> None:
    """The table as comma-separated UTF-8 (write the byte order mark yourself if wanted)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(zip(*_cells(table, CSV), strict=True))


def write_xlsx(table: Table, target: str | Path | IO[bytes], *, locale: str = "fi") -> None:
    """The table as an XLSX workbook: sheet ``responses``, then sheet ``codebook`` in
    ``locale`` (survey texts in that language, falling back to the survey's default)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.freeze_panes = "A2"
    sheet.append(table.headers)
    for row in zip(*_cells(table, XLSX), strict=True):
        sheet.append(row)
    book = workbook.create_sheet("codebook")
    book.freeze_panes = "A2"
    from consult.services.codebook import codebook  # it reads this module's columns

    for row in codebook(table.survey, table.columns, locale):
        book.append([_xlsx_text(v) if isinstance(v, str) else v for v in row])
    workbook.save(target)


def write_json(table: Table, stream: IO[str]) -> None:
    """The table as JSON: ``{format, survey, status, exported_at, columns, responses}``,
    each response an object keyed by column, on its own line."""
    head = {
        "format": JSON_FORMAT,
        "survey": table.survey.key,
        "status": table.status,
        "exported_at": _time(utcnow()),
        "columns": table.headers,
    }
    headers = table.headers
    stream.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "responses": [')
    for index, row in enumerate(zip(*_cells(table, JSON), strict=True)):
        stream.write(",\n" if index else "\n")
        stream.write(json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False))
    stream.write("\n]}\n")


def export_file(
    survey: Survey, kind: str, path: Path, *, status: str = "submitted", locale: str = "fi"
) -> int:
    """Write ``survey``'s responses to ``path`` as ``kind`` (csv, xlsx, json); the number of
    rows. The file appears whole or not at all (written next to it, then renamed)."""
    if kind not in FORMATS:
        raise ExportError(_("The format must be csv, xlsx or json."))
    table = build_table(survey, status=status)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        if kind == "xlsx":
            write_xlsx(table, partial, locale=locale)
        else:
            # CSV gets a byte order mark so that spreadsheets read it as UTF-8.
            encoding = "utf-8-sig" if kind == "csv" else "utf-8"
            with partial.open("w", encoding=encoding, newline="") as stream:
                (write_csv if kind == "csv" else write_json)(table, stream)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return len(table)
