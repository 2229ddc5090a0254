"""The thin adapter from the database to ``consult.analysis``: a survey's answers as columns."""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from consult.analysis.columns import Columns, unpack
from consult.extensions import db
from consult.models import Response, Survey


def load_columns(survey: Survey, *, status: str = "submitted") -> Columns:
    """Every ``status`` response of ``survey`` as columns, with one query."""
    rows = db.session.execute(
        sa.select(Response.id, Response.organisation_id, Response.coded)
        .where(Response.survey_id == survey.id, Response.status == status)
        .order_by(Response.id)
    ).all()
    layout = [(q, item) for q, item in survey.column_layout]
    return Columns(
        layout=layout,
        values=unpack([row[2] for row in rows], len(layout)),
        response_ids=np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        organisation_ids=np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows)),
    )
