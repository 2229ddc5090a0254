"""``/healthz`` for load balancers: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app

from consult.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning(
            "health check: the database did not answer: %s", type(error).__name__
        )
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
