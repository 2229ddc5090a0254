"""The thin adapter from the database to ``consult.analysis``: a survey's answers as columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import sqlalchemy as sa

from consult.analysis.columns import Columns, unpack
from consult.extensions import db
from consult.models import Response, Survey


def fetch_plain(statement: sa.Select[Any]) -> list[tuple[Any, ...]]:
    """Rows as the database driver gives them, on the session's connection.

    This is the one hot path that skips SQLAlchemy's row objects: for 100,000 rows they cost
    more than the query itself (see bench/load_columns.py).
    """
    connection = db.session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def load_columns(survey: Survey, *, status: str = "submitted") -> Columns:
    """Every ``status`` response of ``survey`` as columns, with one query."""
    rows = fetch_plain(
        sa.select(Response.id, Response.organisation_id, Response.coded)
        .where(Response.survey_id == survey.id, Response.status == status)
        .order_by(Response.id)
    )
    layout = [(q, item) for q, item in survey.column_layout]
    return Columns(
        layout=layout,
        values=unpack([row[2] for row in rows], len(layout)),
        response_ids=np.array([row[0] for row in rows], dtype=np.int64),
        organisation_ids=np.array([row[1] for row in rows], dtype=np.int64),
    )
