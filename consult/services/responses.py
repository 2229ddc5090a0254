"""Responses: normalising answers, applying display conditions, storing both copies.

Raw answers come in as ``{question_key: (value, text)}``. They are normalised by their
question type, answers to questions that end up hidden are dropped, and the result is
written as Answer rows together with the packed analysis vector ``Response.coded``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from flask_babel import gettext as _

from consult import conditions
from consult.analysis.columns import CODED_DTYPE
from consult.extensions import db
from consult.models import Answer, Question, Response, Survey
from consult.models.base import utcnow
from consult.questions import AnswerError, get_type

RawAnswers = Mapping[str, tuple[Any, str | None]]


def visible_keys(survey: Survey, answers: RawAnswers) -> set[str]:
    """Keys of the questions shown for these answers (sections and questions in order)."""
    shown: set[str] = set()
    by_key = {q.key: q for q in survey.questions}

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
    by_key = {q.key: q for q in survey.questions}
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
    position = {(q, item): i for i, (q, item) in enumerate(survey.column_layout)}
    vector = np.full(len(survey.column_layout), np.nan, dtype=CODED_DTYPE)
    for question in survey.questions:
        question_type = get_type(question.type)
        value = answers.get(question.key, (None, None))[0]
        items = question_type.columns(question)
        if not items:
            continue
        for item, number in zip(items, question_type.encode(question, value), strict=True):
            vector[position[(question.key, item)]] = number
    return vector.tobytes()


def store(response: Response, answers: RawAnswers, survey: Survey) -> None:
    """Replace the response's answers with ``answers`` (already normalised) and re-encode."""
    by_key = {q.key: q for q in survey.questions}
    existing = {a.question_id: a for a in response.answers}
    keep_ids = set()
    for key, (value, text) in answers.items():
        question = by_key[key]
        answer = existing.get(question.id)
        if answer is None:
            answer = Answer(question_id=question.id)
            response.answers.append(answer)
        answer.value = value
        answer.text = text
        keep_ids.add(question.id)
    for question_id, answer in existing.items():
        if question_id not in keep_ids:
            response.answers.remove(answer)
    response.coded = encode(survey, answers)
    response.updated_at = utcnow()


def answers_of(response: Response, survey: Survey) -> dict[str, tuple[Any, str | None]]:
    """A response's stored answers by question key."""
    keys = {q.id: q.key for q in survey.questions}
    return {keys[a.question_id]: (a.value, a.text) for a in response.answers}


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
