"""The cells of one row of a response file (the export's layout) read as answers, with each
problem located by column: what :mod:`consult.services.response_import` checks a file with."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _

from consult.models import Question
from consult.questions.single_choice import SPECIFY_MAX_LENGTH
from consult.services.exports import FIXED_NAMES, Column
from consult.services.organisations import RowProblem

BUSINESS_ID = "organisation:business_id"
NAME = "organisation:name"
Cells = dict[str, Any]


def header_problems(header: list[str], columns: list[Column]) -> list[RowProblem]:
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


def place_of(question: Question, columns: list[Column]) -> str:
    """The column a problem with a whole question is reported in."""
    own = [c.name for c in columns if c.question is question and c.kind != "specify"]
    return own[0] if len(own) == 1 else f"{question.key}.*"


def whole(value: Any) -> int | None:
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


def text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def raw_answers(
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
        value, text = question_value(question, own, cells, problem)
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


def question_value(
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
            text = text_of(cell)
            if kind == "specify" and len(text) > SPECIFY_MAX_LENGTH:
                message = _("write at most %(count)d characters", count=SPECIFY_MAX_LENGTH)
                problem(column.name, message)
        elif kind == "flag":
            if whole(cell) not in (0, 1):
                problem(column.name, _("write 1 (chosen) or 0 (not chosen)"))
            elif whole(cell) == 1:
                items[column.item.key] = 1  # type: ignore[union-attr]
        elif kind == "rank":
            place = whole(cell)
            if place is None or place < 1:
                problem(column.name, _("write a place: 1, 2, 3 …"))
            else:
                items[column.item.key] = place  # type: ignore[union-attr]
        elif kind == "point":
            point = whole(cell)
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
                value=text_of(cell),
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
            problem(place_of(question, own), message)
    elif kind == "point" and own[0].item is not None:
        value = items or None
    return value, text


def time_of(value: Any) -> datetime | None:
    """A time from a cell; naive times are UTC. ValueError when it is not a time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise ValueError(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
