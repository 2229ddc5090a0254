"""Survey designs kept in memory: the respondent's pages read a survey's sections, questions
and options on every request, and loading them from the database was half of each request.

A design is loaded once per process in a session of its own, detached, and then only read;
it is keyed by the survey's ``updated_at``, which changes with every change of the survey row.
A service that changes a survey's sections, questions or options must also bump
``Survey.updated_at`` (see :func:`touch`), or pages would go on showing the old design.
"""

from __future__ import annotations

import threading
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from consult.extensions import db
from consult.models import Survey
from consult.models.base import utcnow
from consult.services.surveys import with_design

_lock = threading.Lock()


def _cache() -> dict[int, tuple[datetime, Survey]]:
    return current_app.extensions.setdefault("consult_designs", {})


def design(survey: Survey) -> Survey:
    """The survey's whole design, read-only: the cached copy while ``updated_at`` is the same."""
    cache = _cache()
    with _lock:
        hit = cache.get(survey.id)
    if hit is not None and hit[0] == survey.updated_at:
        return hit[1]
    with Session(db.engine, expire_on_commit=False) as session:
        loaded = session.scalars(
            sa.select(Survey).where(Survey.id == survey.id).options(*with_design())
        ).one()
        for section in loaded.sections:
            _ = section.survey
            for question in section.questions:
                _ = question.section, question.survey  # back-references, loaded before detaching
        session.expunge_all()
    with _lock:
        cache[survey.id] = (loaded.updated_at, loaded)
    return loaded


def touch(survey: Survey) -> None:
    """Mark a survey's design as changed (call within the transaction that changes it)."""
    survey.updated_at = utcnow()
