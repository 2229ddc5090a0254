"""Registering through a survey's open link: a new organisation, its link and its response."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consult.extensions import db
from consult.models import ContactPerson, Invitation, Organisation, Response, Section, Survey
from consult.models.invitation import new_token, token_hash
from consult.services import answering, responses
from consult.services.organisations import EMAIL, valid_business_id
from consult.services.transactions import writing
from consult.survey_templates import PROFILE_SECTION_KEY

NONCE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")

#: Profile questions and the organisation attributes they fill.
PROFILE_ATTRIBUTES = {
    "org_theme_group": "theme_group",
    "org_size": "size",
    "org_languages": "languages",
    "org_districts": "districts",
}


@dataclass
class Applicant:
    """What the respondent tells of the organisation before the first question."""

    name: str
    business_id: str = ""
    contact_name: str = ""
    contact_email: str = ""
    #: A random value of the form as it was shown: posting the same form twice (a double
    #: click, a reload) gives the same organisation and link, not two.
    nonce: str = ""


@dataclass
class Registered:
    token: str | None = None
    errors: dict[str, str] = field(default_factory=dict)


def profile_section(survey: Survey) -> Section | None:
    """The survey's organisation profile section, answered while registering."""
    return next((s for s in survey.sections if s.key == PROFILE_SECTION_KEY), None)


def check_applicant(applicant: Applicant) -> dict[str, str]:
    errors = {}
    if not applicant.name:
        errors["name"] = _("Write the name of your organisation.")
    elif len(applicant.name) > 200:
        errors["name"] = _("Write at most %(count)d characters.", count=200)
    if applicant.business_id and not valid_business_id(applicant.business_id):
        errors["business_id"] = _("Write the business ID as 1234567-8, or leave it empty.")
    if applicant.contact_email and (
        len(applicant.contact_email) > 254 or not EMAIL.match(applicant.contact_email)
    ):
        errors["contact_email"] = _("Write an e-mail address such as name@example.org.")
    if len(applicant.contact_name) > 200:
        errors["contact_name"] = _("Write at most %(count)d characters.", count=200)
    if not errors:
        taken = sa.or_(sa.func.lower(Organisation.name) == applicant.name.lower())
        if applicant.business_id:
            taken = sa.or_(taken, Organisation.business_id == applicant.business_id)
        if db.session.scalar(sa.select(sa.func.count()).where(taken)):
            errors["name"] = _already_registered()
    return errors


def register(
    survey: Survey,
    applicant: Applicant,
    typed: Mapping[str, tuple[Any, str | None]],
    form_errors: Mapping[str, str],
    *,
    locale: str,
) -> Registered:
    """Add the organisation, its personal link and its draft response holding the profile
    answers — or nothing, with the errors by field or question key. Raises StorageBusy."""
    errors = check_applicant(applicant)
    section = profile_section(survey)
    clean: dict[str, tuple[Any, str | None]] = {}
    if section is not None:
        answers = {k: v for k, v in typed.items() if k not in form_errors}
        clean, answer_errors = answering.check_page(
            survey, section, answers, typed, form_errors, require=True
        )
        errors.update(answer_errors)
    token = link_token(survey, applicant.nonce)
    if _registered(token):
        return Registered(token=token)
    if errors:
        return Registered(errors=errors)
    try:
        with writing():
            if _registered(token):
                return Registered(token=token)
            errors = check_applicant(applicant)  # again, now that writers queue
            if errors:
                return Registered(errors=errors)
            _add(survey, applicant, clean, section, token, locale)
    except sa.exc.IntegrityError:  # the business ID was taken meanwhile
        if _registered(token):
            return Registered(token=token)
        return Registered(errors={"name": _already_registered()})
    return Registered(token=token)


def link_token(survey: Survey, nonce: str) -> str:
    """The personal link a registration form makes: derived from the form's random nonce
    and the secret key, so that the same form sent twice leads to the same link."""
    if not NONCE.match(nonce or ""):
        return new_token()
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(secret, f"open-link:{survey.key}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _registered(token: str) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count()).where(Invitation.token_hash == token_hash(token))
        )
    )


def _already_registered() -> str:
    return _(
        "This organisation is already in the register. Ask the survey's coordinator "
        "for your organisation's own link."
    )


def _add(
    survey: Survey,
    applicant: Applicant,
    clean: Mapping[str, tuple[Any, str | None]],
    section: Section | None,
    token: str,
    locale: str,
) -> None:
    """The organisation, its invitation and its draft response (within a write transaction)."""
    attributes = {a: clean[key][0] for key, a in PROFILE_ATTRIBUTES.items() if key in clean}
    organisation = Organisation(
        name=applicant.name, business_id=applicant.business_id or None, **attributes
    )
    if "org_city_funding" in clean:
        organisation.city_funded = clean["org_city_funding"][0] == "yes"
    if applicant.contact_name or applicant.contact_email:
        organisation.contacts.append(
            ContactPerson(
                name=applicant.contact_name or applicant.contact_email,
                email=applicant.contact_email or None,
                locale=locale,
            )
        )
    invitation = Invitation(
        survey_id=survey.id, organisation=organisation, locale=locale, token_hash=token_hash(token)
    )
    response = Response(
        survey_id=survey.id,
        organisation=organisation,
        invitation=invitation,
        locale=locale,
        status="draft",
    )
    db.session.add_all([organisation, invitation, response])
    responses.store(response, clean, survey)
    response.resume_section = section.key if section is not None else None
