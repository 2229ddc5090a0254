"""The form of one survey page: the fields each question type asks for, built at run time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from consult.models import Question, Section
from consult.questions import AnswerError, get_type
from consult.questions.base import Localise


class PageForm(FlaskForm):
    """A survey page. Only the CSRF token is validated by WTForms; the answers are checked
    by their question types, so that the page can come back with everything typed."""

    class Meta:
        # The page says itself when the token has expired and keeps the answers.
        csrf = True


def page_form(
    section: Section,
    localise: Localise,
    *,
    formdata: MultiDict[str, Any] | None = None,
    stored: Mapping[str, tuple[Any, str | None]] | None = None,
) -> PageForm:
    """The form for ``section``: bound to what was posted, or filled with what is stored."""
    attributes: dict[str, Any] = {}
    for question in section.questions:
        attributes.update(get_type(question.type).fields(question, localise))
    form_class = type("SectionForm", (PageForm,), attributes)
    if formdata is not None:
        return form_class(formdata=formdata)
    data: dict[str, Any] = {}
    for question in section.questions:
        value, text = (stored or {}).get(question.key, (None, None))
        data.update(get_type(question.type).form_data(question, value, text))
    return form_class(formdata=None, data=data)


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


def anchors(form: PageForm, questions: list[Question], localise: Localise) -> dict[str, str]:
    """For each question, the id of its first input: where an error summary links to."""
    found = {}
    for question in questions:
        names = list(get_type(question.type).fields(question, localise))
        first = form[names[0]] if names else None
        if first is None:
            found[question.key] = f"question-{question.key}"
        elif first.type in ("RadioField", "CheckboxesField"):
            found[question.key] = f"{first.id}-0"
        else:
            found[question.key] = first.id
    return found
