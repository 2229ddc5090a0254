"""Personal data: what consult holds about one person, erasing their identifiers, and the
retention period after which a survey's contact details and open answers are erased.

Data about organisations as such is not personal data; contact persons, workspace accounts,
the audit log's actors and names written in open answers are. Erasing never touches an
organisation's closed answers, so every aggregate stays as it was.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from consult.extensions import db
from consult.models import (
    Answer,
    AuditEntry,
    ContactPerson,
    Invitation,
    LoginSession,
    Response,
    Survey,
    User,
)
from consult.models.base import utcnow
from consult.services import audit

ERASED = "[erased]"
OPEN_TYPES = ("short_text", "long_text")


def _address(email: str) -> str:
    return (email or "").strip().lower()


def _people(email: str) -> tuple[list[ContactPerson], User | None]:
    address = _address(email)
    contacts = list(
        db.session.scalars(
            sa.select(ContactPerson).where(sa.func.lower(ContactPerson.email) == address)
        )
    )
    user = db.session.scalar(sa.select(User).where(User.email == address))
    return contacts, user


def _mentions(terms: list[str]) -> list[Answer]:
    """Answers whose text names one of ``terms`` (an e-mail address or a name)."""
    terms = [t for t in terms if t and len(t) >= 3]
    if not terms:
        return []
    found = []
    for term in terms:
        pattern = (
            "%" + term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        found.extend(
            db.session.scalars(
                sa.select(Answer).where(sa.func.lower(Answer.text).like(pattern, escape="\\"))
            )
        )
    return list({a.id: a for a in found}.values())


def export(email: str) -> dict[str, Any]:
    """Everything consult holds about the person with this e-mail address."""
    contacts, user = _people(email)
    terms = [_address(email), *(c.name for c in contacts), *([user.name] if user else [])]
    return {
        "email": _address(email),
        "contact_person": [
            {
                "organisation": c.organisation.name,
                "name": c.name,
                "email": c.email,
                "phone": c.phone,
                "language": c.locale,
            }
            for c in contacts
        ],
        "account": None
        if user is None
        else {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "active": user.active,
            "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        },
        "audit_log": [
            {"at": e.at.isoformat(), "action": e.action, "target": e.target}
            for e in db.session.scalars(
                sa.select(AuditEntry)
                .where(AuditEntry.actor == _address(email))
                .order_by(AuditEntry.at)
            )
        ],
        "mentioned_in_open_answers": [
            {"survey": a.response.survey.key, "question": a.question.key, "text": a.text}
            for a in _mentions(terms)
        ],
    }


def _scrub(text: str, terms: list[str]) -> str:
    for term in terms:
        if term and len(term) >= 3:
            text = re.sub(re.escape(term), ERASED, text, flags=re.IGNORECASE)
    return text


def erase(email: str) -> dict[str, int]:
    """Remove the person's identifiers: contact person rows, the account's e-mail and name
    (the account is deactivated and signed out), the audit log's actor, and their name or
    address in open answers. Returns how many of each were changed (committed)."""
    contacts, user = _people(email)
    terms = [_address(email), *(c.name for c in contacts), *([user.name] if user else [])]
    answers = _mentions(terms)
    for answer in answers:
        answer.text = _scrub(answer.text or "", terms)
    if answers:
        # A response whose answers changed says so: cached reports (their quotes) are made
        # again, and a respondent's save in progress sees the change (services/answering.py).
        db.session.execute(
            sa.update(Response)
            .where(Response.id.in_({a.response_id for a in answers}))
            .values(updated_at=utcnow())
        )
    for contact in contacts:
        db.session.delete(contact)
    if user is not None:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
        user.email = f"erased-{user.id}@invalid"
        user.name = ""
        user.active = False
    actors = db.session.execute(
        sa.update(AuditEntry).where(AuditEntry.actor == _address(email)).values(actor=ERASED)
    ).rowcount
    audit.record(
        "privacy_erase",
        ERASED,
        details={"contacts": len(contacts), "account": user is not None, "answers": len(answers)},
    )
    db.session.commit()
    return {
        "contacts": len(contacts),
        "accounts": int(user is not None),
        "audit_entries": int(actors or 0),
        "answers": len(answers),
    }


def due(now: datetime | None = None) -> list[Survey]:
    """Closed surveys whose retention period has passed and that are not erased yet."""
    now = now or utcnow()
    surveys = db.session.scalars(
        sa.select(Survey).where(
            Survey.retention_days.is_not(None),
            Survey.closes_at.is_not(None),
            Survey.retention_done_at.is_(None),
        )
    )
    return [s for s in surveys if s.closes_at + timedelta(days=s.retention_days or 0) <= now]


def apply_retention(now: datetime | None = None) -> list[tuple[str, int, int]]:
    """Erase open answers of every survey due, and the contact persons of organisations that
    take part in no survey still within its period. Returns (survey, answers, contacts)."""
    now = now or utcnow()
    done = []
    for survey in due(now):
        open_ids = [q.id for q in survey.questions if q.type in OPEN_TYPES]
        answers = 0
        if open_ids:
            answers = (
                db.session.execute(
                    sa.update(Answer)
                    .where(
                        Answer.question_id.in_(open_ids),
                        Answer.response_id.in_(
                            sa.select(Response.id).where(Response.survey_id == survey.id)
                        ),
                        Answer.text.is_not(None),
                    )
                    .values(text=ERASED)
                ).rowcount
                or 0
            )
        survey.retention_done_at = now
        db.session.flush()
        contacts = _erase_expired_contacts(survey, now)
        audit.record(
            "privacy_retention",
            survey.key,
            survey=survey,
            details={"answers": answers, "contacts": contacts},
        )
        done.append((survey.key, int(answers), contacts))
    db.session.commit()
    return done


def _erase_expired_contacts(survey: Survey, now: datetime) -> int:
    taking_part = set(
        db.session.scalars(
            sa.select(Invitation.organisation_id).where(Invitation.survey_id == survey.id)
        )
    ) | set(
        db.session.scalars(
            sa.select(Response.organisation_id).where(Response.survey_id == survey.id)
        )
    )
    if not taking_part:
        return 0
    kept = set()
    for other in db.session.scalars(sa.select(Survey).where(Survey.retention_done_at.is_(None))):
        kept |= set(
            db.session.scalars(
                sa.select(Invitation.organisation_id).where(Invitation.survey_id == other.id)
            )
        ) | set(
            db.session.scalars(
                sa.select(Response.organisation_id).where(Response.survey_id == other.id)
            )
        )
    expired = taking_part - kept
    if not expired:
        return 0
    return (
        db.session.execute(
            sa.delete(ContactPerson).where(ContactPerson.organisation_id.in_(list(expired)))
        ).rowcount
        or 0
    )


__all__ = ["ERASED", "apply_retention", "due", "erase", "export"]
