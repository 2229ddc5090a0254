"""The audit log: who changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.models.base import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One change made in the workspace or on the command line. ``actor`` is the account's
    e-mail at the time (kept even if the account is later removed), or "cli"."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(60))
    target: Mapped[str] = mapped_column(sa.String(200), default="")
    survey_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("survey.id", ondelete="SET NULL"), index=True
    )
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
