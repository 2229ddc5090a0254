"""Invitations: an organisation's personal link to one survey."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from consult.models.organisation import Organisation
    from consult.models.survey import Survey


def new_token() -> str:
    """An unguessable link token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, so a copy of the database opens no survey."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def could_be_token(token: str | None) -> bool:
    """Whether a link's token is worth looking up at all (a token is 43 characters)."""
    return bool(token) and len(token) <= 100


class Invitation(db.Model):
    """An organisation's personal link to one survey. Only the token's hash is stored;
    the token itself is shown once, when the invitation is made (or made anew)."""

    __tablename__ = "invitation"
    __table_args__ = (sa.UniqueConstraint("survey_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("survey.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The random seed the token is derived from with the secret key, so that the workspace
    #: can show an organisation its link again; None for links made before (not showable).
    nonce: Mapped[str | None] = mapped_column(sa.String(43))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship()
    organisation: Mapped[Organisation] = relationship()
