"""Invitations: personal links to a survey, and finding the response a link opens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.models import Invitation, Organisation, Survey
from consult.models.invitation import new_token, token_hash


@dataclass(frozen=True)
class IssuedLink:
    """An organisation and the token of its link, shown once."""

    organisation: Organisation
    token: str
    new: bool


def invite(survey: Survey, organisations: Iterable[Organisation]) -> list[IssuedLink]:
    """Give each organisation a link to ``survey``, and commit.

    An organisation invited before gets a new token (the old link stops working), since only
    hashes are stored and an old token cannot be shown again.
    """
    existing = {
        i.organisation_id: i
        for i in db.session.scalars(sa.select(Invitation).where(Invitation.survey_id == survey.id))
    }
    issued = []
    for organisation in organisations:
        token = new_token()
        invitation = existing.get(organisation.id)
        if invitation is None:
            invitation = Invitation(
                survey=survey,
                organisation=organisation,
                locale=_preferred_locale(organisation, survey),
            )
            db.session.add(invitation)
        invitation.token_hash = token_hash(token)
        issued.append(IssuedLink(organisation, token, organisation.id not in existing))
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
    if not token or len(token) > 100:
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
