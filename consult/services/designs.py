"""Survey designs kept in memory: the respondent's pages read a survey's sections, questions
and options on every request, and loading them from the database was half of each request.

A design is loaded once per process in a session of its own, detached, and then only read;
it is keyed by the survey's ``updated_at``, which changes with every change of the survey row.
A service that changes a survey's sections, questions or options must also bump
``Survey.updated_at`` (see :func:`touch`), or pages would go on showing the old design.

What is worked out from a design alone (questions by key, the analysis columns' positions)
is kept with it too (:func:`derived`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from consult.extensions import db
from consult.models import Survey
from consult.models.base import utcnow
from consult.services.surveys import with_design

_lock = threading.Lock()
T = TypeVar("T")


def _cache() -> dict[int, tuple[datetime, Survey, dict[Any, Any]]]:
    """By survey id: the design's ``updated_at``, the design, and what was derived from it."""
    return current_app.extensions.setdefault("consult_designs", {})


def design(survey: Survey) -> Survey:
    """The survey's whole design, read-only: the cached copy while ``updated_at`` is the same."""
    return current(survey.id, survey.updated_at)


def current(survey_id: int, updated_at: datetime) -> Survey:
    """The design of the survey whose row has ``updated_at`` now (read just before).

    Every change of the survey row changes ``updated_at`` (``onupdate``), so the copy's own
    columns (state, opening and closing times) are the row's as they are now, too.
    """
    cache = _cache()
    with _lock:
        hit = cache.get(survey_id)
    if hit is not None and hit[0] == updated_at:
        return hit[1]
    with Session(db.engine, expire_on_commit=False) as session:
        loaded = session.scalars(
            sa.select(Survey).where(Survey.id == survey_id).options(*with_design())
        ).one()
        for section in loaded.sections:
            _ = section.survey
            for question in section.questions:
                _ = question.section, question.survey  # back-references, loaded before detaching
        session.expunge_all()
    with _lock:
        cache[survey_id] = (loaded.updated_at, loaded, {})
    return loaded


def derived(survey: Survey, work_out: Callable[[Survey], T]) -> T:
    """``work_out(survey)``, done once per design kept here; done every time for any other
    Survey object (one being edited, say)."""
    if not has_app_context():
        return work_out(survey)
    with _lock:
        hit = _cache().get(survey.id)
    if hit is None or hit[1] is not survey:
        return work_out(survey)
    kept = hit[2]
    if work_out not in kept:
        kept[work_out] = work_out(survey)  # two threads at once work out the same thing
    return kept[work_out]


def touch(survey: Survey) -> None:
    """Mark a survey's design as changed (call within the transaction that changes it)."""
    survey.updated_at = utcnow()
