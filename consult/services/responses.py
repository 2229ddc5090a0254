"""Responses: normalising answers, applying display conditions, storing both copies.

Raw answers come in as ``{question_key: (value, text)}``. They are normalised by their
question type, answers to questions that end up hidden are dropped, and the result is
written as Answer rows together with the packed analysis vector ``Response.coded``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from consult import conditions
from consult.analysis.columns import CODED_DTYPE
from consult.extensions import db
from consult.models import Answer, Question, Response, Survey
from consult.models.base import utcnow
from consult.questions import AnswerError, QuestionType, get_type
from consult.services import designs

RawAnswers = Mapping[str, tuple[Any, str | None]]


def visible_keys(survey: Survey, answers: RawAnswers) -> set[str]:
    """Keys of the questions shown for these answers (sections and questions in order)."""
    shown: set[str] = set()
    by_key = questions_by_key(survey)

    def lookup(key: str) -> tuple[Question, Any, str | None]:
        value, text = answers.get(key, (None, None)) if key in shown else (None, None)
        return by_key[key], value, text

    for section in survey.sections:
        if not conditions.holds(section.condition, lookup):
            continue
        for question in section.questions:
            if conditions.holds(question.condition, lookup):
                shown.add(question.key)
    return shown


def normalise(
    survey: Survey, raw: RawAnswers
) -> tuple[dict[str, tuple[Any, str | None]], dict[str, str]]:
    """``(answers, errors)``: each answer as its type stores it; errors by question key.

    Answers to unknown questions are errors; answers to hidden questions are dropped.
    """
    by_key = questions_by_key(survey)
    clean: dict[str, tuple[Any, str | None]] = {}
    errors: dict[str, str] = {}
    for key, (value, text) in raw.items():
        question = by_key.get(key)
        if question is None:
            errors[key] = _("There is no such question in this survey.")
            continue
        try:
            clean[key] = get_type(question.type).normalise(question, value, text)
        except AnswerError as error:
            errors[key] = str(error)
    shown = visible_keys(survey, clean)
    errors = {k: v for k, v in errors.items() if k in shown or k not in by_key}
    kept = {
        key: answer
        for key, answer in clean.items()
        if key in shown and get_type(by_key[key].type).is_answered(*answer)
    }
    return kept, errors


def missing_required(survey: Survey, answers: RawAnswers) -> list[str]:
    """Keys of required questions that are shown but not (completely) answered."""
    shown = visible_keys(survey, answers)
    missing = []
    for question in survey.ordered_questions():
        if question.required and question.key in shown:
            value, text = answers.get(question.key, (None, None))
            if not get_type(question.type).is_complete(question, value, text):
                missing.append(question.key)
    return missing


def encode(survey: Survey, answers: RawAnswers) -> bytes:
    """The packed analysis vector of normalised answers, in ``survey.column_layout`` order."""
    size, columns = designs.derived(survey, _columns)
    vector = np.full(size, np.nan, dtype=CODED_DTYPE)
    for question, question_type, positions in columns:
        value = answers.get(question.key, (None, None))[0]
        for position, number in zip(positions, question_type.encode(question, value), strict=True):
            vector[position] = number
    return vector.tobytes()


def _columns(survey: Survey) -> tuple[int, list[tuple[Question, QuestionType, list[int]]]]:
    """The number of analysis columns, and each question's type and columns' positions."""
    position = {(q, item): i for i, (q, item) in enumerate(survey.column_layout)}
    columns = []
    for question in survey.questions:
        question_type = get_type(question.type)
        items = question_type.columns(question)
        if items:
            positions = [position[(question.key, item)] for item in items]
            columns.append((question, question_type, positions))
    return len(survey.column_layout), columns


def questions_by_key(survey: Survey) -> dict[str, Question]:
    """The survey's questions by key (worked out once per design)."""
    return designs.derived(survey, _questions_by_key)


def _questions_by_key(survey: Survey) -> dict[str, Question]:
    return {q.key: q for q in survey.questions}


def store(
    response: Response,
    answers: RawAnswers,
    survey: Survey,
    *,
    coded: bytes | None = None,
    resume_section: str | None = None,
    status: str | None = None,
) -> None:
    """Replace the response's answers with ``answers`` (already normalised) and re-encode
    (``coded``: their :func:`encode`, when already done); with ``resume_section`` and
    ``status``, set those too. Nothing is written when nothing changed; the time of change
    moves only when the answers or the status did."""
    coded = encode(survey, answers) if coded is None else coded
    if not sa.inspect(response).persistent:
        _add_answers(response, answers, survey, coded)
        if resume_section is not None:
            response.resume_section = resume_section
        return
    # A stored response: only what changed is written, with one statement per kind of change,
    # rather than through the ORM's unit of work (which took longer than the writes, and a
    # save holds the database's write lock meanwhile).
    by_key = questions_by_key(survey)
    existing = {a.question_id: a for a in loaded_answers(response)}
    added, changed = [], []
    for key, (value, text) in answers.items():
        answer = existing.pop(by_key[key].id, None)
        if answer is None:
            added.append({"question_id": by_key[key].id, "value": value, "text": text})
        elif answer.value != value or answer.text != text:
            changed.append((answer, value, text))
    removed = list(existing.values())
    columns: dict[str, Any] = {}
    if response.coded != coded:
        columns["coded"] = coded
    if status is not None and response.status != status:
        columns["status"] = status
    if added or changed or removed or columns:
        # The time of change is also the version that concurrent saves compare.
        columns["updated_at"] = utcnow()
    if resume_section is not None and response.resume_section != resume_section:
        columns["resume_section"] = resume_section
    if columns:
        _write_changes(response, added, changed, removed, columns)


def _add_answers(response: Response, answers: RawAnswers, survey: Survey, coded: bytes) -> None:
    """:func:`store` for a response not stored yet: through the ORM, with the response."""
    by_key = questions_by_key(survey)
    existing = {a.question_id: a for a in response.answers}
    for key, (value, text) in answers.items():
        answer = existing.pop(by_key[key].id, None)
        if answer is None:
            response.answers.append(Answer(question_id=by_key[key].id, value=value, text=text))
        else:
            answer.value, answer.text = value, text
    for answer in existing.values():
        response.answers.remove(answer)
    response.coded = coded
    response.updated_at = utcnow()


_ANSWERS = Answer.__table__
_UPDATE_ANSWER = (
    sa.update(_ANSWERS)
    .where(_ANSWERS.c.id == sa.bindparam("answer_id"))
    .values(value=sa.bindparam("value"), text=sa.bindparam("text"))
)


def _write_changes(
    response: Response,
    added: list[dict[str, Any]],
    changed: list[tuple[Any, Any, str | None]],
    removed: list[Any],
    columns: dict[str, Any],
) -> None:
    """Write a stored response's changes; its ORM objects are left as the database has them."""
    connection = db.session.connection()
    if added:
        connection.execute(
            sa.insert(_ANSWERS), [{"response_id": response.id, **row} for row in added]
        )
    if changed:
        rows = [{"answer_id": a.id, "value": value, "text": text} for a, value, text in changed]
        connection.execute(_UPDATE_ANSWER, rows)
    if removed:
        connection.execute(sa.delete(_ANSWERS).where(_ANSWERS.c.id.in_([a.id for a in removed])))
    table = Response.__table__
    connection.execute(sa.update(table).where(table.c.id == response.id).values(**columns))
    for answer, value, text in changed:
        if isinstance(answer, Answer):
            set_committed_value(answer, "value", value)
            set_committed_value(answer, "text", text)
    for answer in removed:
        if isinstance(answer, Answer):
            db.session.expunge(answer)
    if added or removed:
        db.session.expire(response, ["answers"])  # read again when next needed
    forget_read_answers(response)
    for name, value in columns.items():
        set_committed_value(response, name, value)


def answers_of(response: Response, survey: Survey) -> dict[str, tuple[Any, str | None]]:
    """A response's stored answers by question key."""
    keys = designs.derived(survey, _keys_by_id)
    return {keys[a.question_id]: (a.value, a.text) for a in loaded_answers(response)}


def _keys_by_id(survey: Survey) -> dict[int, str]:
    return {q.id: q.key for q in survey.questions}


@functools.cache
def _answers_query() -> sa.Select[tuple[int, int, Any, str | None]]:
    return sa.select(
        _ANSWERS.c.id, _ANSWERS.c.question_id, _ANSWERS.c.value, _ANSWERS.c.text
    ).where(_ANSWERS.c.response_id == sa.bindparam("response_id"))


#: Where :func:`loaded_answers` keeps the rows it read, on the Response object itself.
_READ = "_consult_answer_rows"


def loaded_answers(response: Response) -> list[Any]:
    """The response's stored answers, each with ``id``, ``question_id``, ``value`` and
    ``text``: ``response.answers`` when the ORM has them loaded (a new response, one read
    with its answers), or else rows read once for the Response object (loading them as ORM
    objects took longer than the rest of opening a page)."""
    if "answers" in sa.inspect(response).dict or response.id is None:
        return response.answers
    rows = response.__dict__.get(_READ)
    if rows is None:
        rows = list(db.session.connection().execute(_answers_query(), {"response_id": response.id}))
        response.__dict__[_READ] = rows
    return rows


def forget_read_answers(response: Response) -> None:
    """Have :func:`loaded_answers` read the answers again (they were written or re-read)."""
    response.__dict__.pop(_READ, None)


def add_response(
    survey: Survey,
    organisation_id: int,
    answers: RawAnswers,
    *,
    locale: str,
    submitted: bool,
) -> Response:
    """A new response (added to the session, not committed) holding ``answers``."""
    response = Response(
        survey_id=survey.id,
        organisation_id=organisation_id,
        locale=locale,
        status="submitted" if submitted else "draft",
    )
    db.session.add(response)
    store(response, answers, survey)
    if submitted:
        response.submitted_at = response.updated_at
    return response
