"""Workspace accounts: creating them, checking passwords, and login sessions."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from consult.extensions import db
from consult.models import ROLES, LoginSession, Survey, SurveyAccess, User
from consult.models.base import utcnow
from consult.models.invitation import token_hash

MIN_PASSWORD_LENGTH = 12
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Checked when nobody has the e-mail given, so that a wrong address takes as long as a
#: wrong password and the login form does not tell which accounts exist.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why (in the user's language)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "password",
            _("The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
        )


def create_user(email: str, role: str, password: str, name: str = "") -> User:
    """A new account (committed). Raises AccountError for a bad e-mail, role or password."""
    email = normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("email", _("Give an e-mail address such as name@example.org."))
    if role not in ROLES:
        raise AccountError("role", _("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    check_password(password)
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise AccountError("email", _("There is already an account for %(email)s.", email=email))
    user = User(
        email=email,
        role=role,
        name=(name or "").strip(),
        password_hash=generate_password_hash(password),
    )
    db.session.add(user)
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """Change a password and end every session of the account (committed)."""
    check_password(password)
    user.password_hash = generate_password_hash(password)
    end_all_sessions(user)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None (in about the same time)."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def start_session(user: User) -> str:
    """A new login session; returns the random id the cookie carries (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        LoginSession(user=user, token_hash=token_hash(token), created_at=now, seen_at=now)
    )
    user.last_login_at = now
    db.session.commit()
    return token


def session_user(token: str, idle: timedelta) -> User | None:
    """The account of a live session; a session idle longer than ``idle`` has ended."""
    if not token or len(token) > 100:
        return None
    login = db.session.scalar(
        sa.select(LoginSession).where(LoginSession.token_hash == token_hash(token))
    )
    if login is None:
        return None
    now = utcnow()
    if now - login.seen_at > idle or not login.user.active:
        db.session.delete(login)
        db.session.commit()
        return None
    if now - login.seen_at > timedelta(minutes=1):  # not a write on every request
        login.seen_at = now
        db.session.commit()
    return login.user


def end_session(token: str) -> None:
    db.session.execute(sa.delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    db.session.commit()


def end_all_sessions(user: User) -> None:
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.commit()


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_all_sessions(user)
    db.session.commit()


def list_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.role, User.email)))


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def reviewer_survey_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(sa.select(SurveyAccess.survey_id).where(SurveyAccess.user_id == user.id))
    )


def set_reviewer_surveys(user: User, surveys: list[Survey]) -> None:
    """Give a reviewer exactly these surveys (committed)."""
    wanted = {s.id for s in surveys}
    current = reviewer_survey_ids(user)
    db.session.execute(
        sa.delete(SurveyAccess).where(
            SurveyAccess.user_id == user.id, SurveyAccess.survey_id.not_in(wanted)
        )
    )
    for survey_id in wanted - current:
        db.session.add(SurveyAccess(user_id=user.id, survey_id=survey_id))
    db.session.commit()


def may_read_reports(user: User, survey: Survey) -> bool:
    if user.role in ("admin", "coordinator"):
        return True
    return survey.id in reviewer_survey_ids(user)


def last_seen(user: User) -> datetime | None:
    return user.last_login_at
