"""People who work in the workspace: accounts, their login sessions, and reviewers' surveys."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.base import UTCDateTime, utcnow

#: The roles, from most to least rights. Admins manage accounts (and may do what coordinators
#: do); coordinators design surveys, keep the register, invite and see every result;
#: reviewers (council members) read the reports of the surveys they are given.
ROLES = ("admin", "coordinator", "reviewer")


class User(UserMixin, db.Model):
    """A workspace account. The password is stored only as a salted scrypt hash."""

    #: Set at sign-in and by the session loader: the id of the login session in use, which
    #: Flask-Login keeps in the cookie (so that a new sign-in gives a new identifier).
    session_token: str = ""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    surveys: Mapped[list[SurveyAccess]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"


class LoginSession(db.Model):
    """One login: the cookie carries a random id whose hash is kept here, so that logging
    out (or an admin deactivating the account) ends the session on the server too."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class SurveyAccess(db.Model):
    """A survey whose reports a reviewer may read."""

    __tablename__ = "survey_access"
    __table_args__ = (sa.UniqueConstraint("user_id", "survey_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(back_populates="surveys")
