"""The open link's first page: the organisation, then its profile questions."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, HiddenField, StringField

from consult.forms.respondent import PageForm, form_class_for
from consult.models import Section
from consult.questions.base import Localise


def _nonce() -> str:
    return secrets.token_urlsafe(32)


APPLICANT_FIELDS = {
    "nonce": HiddenField(default=_nonce),
    "name": StringField(_l("Name of the organisation")),
    "business_id": StringField(_l("Business ID (Y-tunnus), if it has one")),
    "contact_name": StringField(_l("Your name")),
    "contact_email": EmailField(_l("Your e-mail address")),
}


def registration_form(
    section: Section | None,
    localise: Localise,
    formdata: MultiDict[str, Any] | None = None,
    *,
    locale: str,
) -> PageForm:
    """The registration form: the applicant's fields and the profile section's questions."""
    if section is None:
        form_class = type("RegistrationForm", (PageForm,), dict(APPLICANT_FIELDS))
    else:
        form_class = form_class_for(section, localise, locale, "RegistrationForm", APPLICANT_FIELDS)
    return form_class(formdata=formdata) if formdata is not None else form_class(formdata=None)
