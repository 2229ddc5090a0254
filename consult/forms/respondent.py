"""The form of one survey page: the fields each question type asks for, built at run time."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field
from wtforms.i18n import messages_path

from consult.models import Question, Section
from consult.questions import AnswerError, get_type
from consult.questions.base import Localise


class PageForm(FlaskForm):
    """A survey page. Only the CSRF token is validated by WTForms; the answers are checked
    by their question types, so that the page can come back with everything typed."""

    class Meta:
        # The page says itself when the token has expired and keeps the answers.
        csrf = True

        def get_translations(self, form: Any) -> Any:
            # WTForms' own messages in the request's language. Flask-WTF reads the catalogue
            # from disk once per request; it is the same for every request in a language.
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_translations(str(get_locale()))


@functools.cache
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def page_form(
    section: Section,
    localise: Localise,
    *,
    locale: str,
    formdata: MultiDict[str, Any] | None = None,
    stored: Mapping[str, tuple[Any, str | None]] | None = None,
) -> PageForm:
    """The form for ``section``: bound to what was posted, or filled with what is stored."""
    form_class = _form_class(section, localise, locale)
    if formdata is not None:
        return form_class(formdata=formdata)
    data: dict[str, Any] = {}
    for question in section.questions:
        value, text = (stored or {}).get(question.key, (None, None))
        data.update(get_type(question.type).form_data(question, value, text))
    return form_class(formdata=None, data=data)


#: Form classes by (survey, design version, section, language): building one takes longer
#: than filling it, and a design is the same for every respondent.
_FORM_CLASSES: dict[tuple[Any, ...], type[PageForm]] = {}
_MAX_FORM_CLASSES = 512


def _form_class(section: Section, localise: Localise, locale: str) -> type[PageForm]:
    return form_class_for(section, localise, locale, "SectionForm", {})


def form_class_for(
    section: Section,
    localise: Localise,
    locale: str,
    name: str,
    fields: Mapping[str, Any],
) -> type[PageForm]:
    """The form class ``name`` with ``fields`` and the fields of ``section``'s questions in
    ``locale``: built once per design version."""
    survey = section.survey
    key = (name, survey.id, survey.updated_at, section.key, locale)
    form_class = _FORM_CLASSES.get(key)
    if form_class is None:
        attributes: dict[str, Any] = dict(fields)
        for question in section.questions:
            attributes.update(get_type(question.type).fields(question, localise))
        form_class = type(name, (PageForm,), attributes)
        if len(_FORM_CLASSES) >= _MAX_FORM_CLASSES:
            _FORM_CLASSES.clear()
        _FORM_CLASSES[key] = form_class
    return form_class


def typed_answers(
    form: PageForm, questions: list[Question]
) -> tuple[dict[str, tuple[Any, str | None]], dict[str, str]]:
    """What was typed for each question, raw; and the answers the form could not read."""
    answers: dict[str, tuple[Any, str | None]] = {}
    errors: dict[str, str] = {}
    for question in questions:
        try:
            answers[question.key] = get_type(question.type).form_value(question, form.data)
        except AnswerError as error:
            errors[question.key] = str(error)
    return answers, errors


def csrf_expired(form: PageForm) -> bool:
    """Whether the posted CSRF token is missing, wrong or expired."""
    return not form.validate() and bool(form.csrf_token.errors)


def question_fields(form: PageForm, question: Question) -> list[Field]:
    """The fields that ask ``question``, in the form's order."""
    prefix = f"q_{question.key}"
    return [f for n, f in form._fields.items() if n == prefix or n.startswith(prefix + "__")]


def anchors(form: PageForm, questions: list[Question]) -> dict[str, str]:
    """For each question, the id of its first input: where an error summary links to."""
    found = {}
    for question in questions:
        fields = question_fields(form, question)
        if not fields:
            found[question.key] = f"question-{question.key}"
            continue
        field = fields[0]
        choice = field.type in ("RadioField", "CheckboxesField")
        found[question.key] = f"{field.id}-0" if choice else field.id
    return found
