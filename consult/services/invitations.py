"""Invitations: personal links to a survey, and finding the response a link opens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.models import Invitation, Organisation, Survey
from consult.models.base import utcnow
from consult.models.invitation import could_be_token, token_hash
from consult.services import audit


@dataclass(frozen=True)
class IssuedLink:
    """An organisation and the token of its link."""

    organisation: Organisation
    token: str
    new: bool


def _derive(nonce: str) -> str:
    """The token of a link: an HMAC of the invitation's random nonce with the secret key. The
    database keeps the nonce and the token's hash, so neither a copy of the database nor the
    key alone opens a survey; together they let the workspace show a link again."""
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(secret, f"invitation:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _new_link(invitation: Invitation) -> str:
    invitation.nonce = secrets.token_urlsafe(32)
    token = _derive(invitation.nonce)
    invitation.token_hash = token_hash(token)
    return token


def token_of(invitation: Invitation) -> str | None:
    """The token of an invitation's link, or None when it cannot be shown again (made before
    links were derivable, or the secret key has changed since): make a new link then."""
    if not invitation.nonce:
        return None
    token = _derive(invitation.nonce)
    return token if hmac.compare_digest(token_hash(token), invitation.token_hash) else None


def invite(
    survey: Survey, organisations: Iterable[Organisation], *, new_link: bool = False
) -> list[IssuedLink]:
    """Give each organisation a link to ``survey``, and commit.

    An organisation invited before keeps its link (so a message sent earlier still works),
    unless ``new_link`` is given or its link cannot be shown again; a new link makes the old
    one stop working.
    """
    existing = {
        i.organisation_id: i
        for i in db.session.scalars(sa.select(Invitation).where(Invitation.survey_id == survey.id))
    }
    issued = []
    for organisation in organisations:
        invitation = existing.get(organisation.id)
        if invitation is None:
            invitation = Invitation(
                survey=survey,
                organisation=organisation,
                locale=_preferred_locale(organisation, survey),
            )
            db.session.add(invitation)
            existing[organisation.id] = invitation
            token = _new_link(invitation)
        else:
            token = (None if new_link else token_of(invitation)) or _new_link(invitation)
        issued.append(IssuedLink(organisation, token, invitation.id is None))
    audit.record(
        "invite",
        survey.key,
        survey=survey,
        details={"organisations": len(issued), "new_link": new_link},
    )
    db.session.commit()
    return issued


def _preferred_locale(organisation: Organisation, survey: Survey) -> str:
    for contact in organisation.contacts:
        if contact.locale in survey.locales:
            return contact.locale
    return survey.default_locale


def link(token: str) -> str:
    """The survey link of a token, on the configured public address (BASE_URL)."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/r/{token}"


def find(token: str) -> Invitation | None:
    """The invitation a token opens (with its organisation and survey row), or None."""
    if not could_be_token(token):
        return None
    return db.session.scalar(
        sa.select(Invitation)
        .where(Invitation.token_hash == token_hash(token))
        .options(joinedload(Invitation.organisation), joinedload(Invitation.survey))
    )


def find_organisations(names_or_ids: Iterable[str]) -> tuple[list[Organisation], list[str]]:
    """Organisations named by id or exact name (case-insensitive); and what matched none."""
    found, missing = [], []
    for wanted in names_or_ids:
        query = sa.select(Organisation)
        if wanted.isdigit():
            query = query.where(Organisation.id == int(wanted))
        else:
            query = query.where(sa.func.lower(Organisation.name) == wanted.lower())
        matches = db.session.scalars(query).all()
        if len(matches) == 1:
            found.append(matches[0])
        else:
            missing.append(wanted)
    return found, missing


def of_survey(survey: Survey) -> list[Invitation]:
    return list(db.session.scalars(sa.select(Invitation).where(Invitation.survey_id == survey.id)))


def mark_opened(invitation: Invitation) -> None:
    """Record the first time an invitation's link was opened (for the coordinator's status
    list). Only bookkeeping: if the database is busy, the mark is left for a later visit."""
    try:
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.opened_at.is_(None))
            .values(opened_at=utcnow())
        )
        db.session.commit()
    except sa.exc.OperationalError:
        db.session.rollback()
