"""Registering through a survey's open link: a new organisation, its link and its response."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.extensions import db
from consult.models import ContactPerson, Invitation, Organisation, Response, Section, Survey
from consult.models.invitation import new_token, token_hash
from consult.services import answering, responses
from consult.services.organisations import EMAIL, valid_business_id
from consult.survey_templates import PROFILE_SECTION_KEY

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
            errors["name"] = _(
                "This organisation is already in the register. Ask the survey's coordinator "
                "for your organisation's own link."
            )
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
    if errors:
        return Registered(errors=errors)
    token = new_token()
    with answering.writing():
        organisation = Organisation(
            name=applicant.name,
            business_id=applicant.business_id or None,
            **{
                attribute: clean[key][0]
                for key, attribute in PROFILE_ATTRIBUTES.items()
                if key in clean
            },
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
            survey_id=survey.id,
            organisation=organisation,
            locale=locale,
            token_hash=token_hash(token),
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
    return Registered(token=token)
