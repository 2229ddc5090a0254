"""Recording changes in the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry, Survey


def actor() -> str:
    """Who is acting: the signed-in account's e-mail, or "cli" outside a web request."""
    from flask import has_request_context
    from flask_login import current_user

    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.email
    return "cli"


def record(
    action: str,
    target: str = "",
    *,
    survey: Survey | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the session; it is committed with the change it describes."""
    entry = AuditEntry(
        actor=actor(),
        action=action,
        target=target[:200],
        survey_id=survey.id if survey is not None else None,
        details=details or {},
    )
    db.session.add(entry)
    return entry


def entries(*, survey: Survey | None = None, limit: int = 200) -> list[AuditEntry]:
    query = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if survey is not None:
        query = query.where(AuditEntry.survey_id == survey.id)
    return list(db.session.scalars(query))
