"""Rounds (waves) of a survey: surveys of one series, compared question by question by key."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from consult.analysis import trends
from consult.extensions import db
from consult.models import Survey


def label(survey: Survey) -> str:
    """The round's name: its wave label, else the year it opened, else its key."""
    if survey.wave_label:
        return survey.wave_label
    if survey.opens_at is not None:
        return str(survey.opens_at.year)
    return survey.key


def rounds(survey: Survey) -> list[Survey]:
    """Every survey of ``survey``'s series, oldest first (by opening time, then creation);
    just ``survey`` when it belongs to no series."""
    if not survey.series:
        return [survey]
    found = list(db.session.scalars(sa.select(Survey).where(Survey.series == survey.series)))
    return sorted(found, key=lambda s: (s.opens_at or s.created_at, s.created_at, s.id))


def join_series(source: Survey, survey: Survey) -> None:
    """Make ``survey`` the next round of ``source`` (the series is named after the first)."""
    source.series = source.series or source.key
    survey.series = source.series


def compare(
    survey: Survey, *, locale: str = "fi", k: int | None = None, upto: bool = True
) -> dict[str, Any]:
    """The rounds up to ``survey`` compared: ``{"waves": [labels], "questions": [...]}``
    (see docs/report-json.md, "waves")."""
    from consult.services.reports import build

    chosen = rounds(survey)
    if upto and survey in chosen:
        chosen = chosen[: chosen.index(survey) + 1]
    built = [(label(s), build(s, locale=locale, k=k, rounds=False)) for s in chosen]
    return {"waves": [name for name, _report in built], "questions": trends.compare(built)}
