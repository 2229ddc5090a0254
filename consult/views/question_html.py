"""The fields of one question on a respondent's page, as HTML, kept for the next page that
shows the same.

Most of a survey page is its questions' fields, and rendering them (a heading, help, and
every option escaped and marked chosen or not) was most of the time it took to render the
page. What one question's fields look like depends only on the survey's design, the
language, and what the fields hold, so respondents who see a question empty, or with the
same options chosen, get the same HTML. It is kept, keyed by exactly those, for a question
without an error whose fields hold nothing typed freely: options chosen among the
question's own, and text fields that are empty. Anything else (text, a number, a date, an
error, a value that is not an option) is rendered for the page alone and not kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from markupsafe import Markup
from wtforms import (
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from consult.forms.respondent import PageForm, question_fields
from consult.models import Question
from consult.questions.base import field_name

#: HTML by (form class, language, question, what its fields hold). A form class is built once
#: per survey, design version, page and language (consult.forms.respondent).
_KEPT: dict[tuple[Any, ...], Markup] = {}
_MAX_KEPT = 4096
_lock = threading.Lock()

_CHOICES = (RadioField, SelectField, SelectMultipleField)


def question_html(
    sitting: Any, form: PageForm, errors: Mapping[str, str]
) -> Callable[[Question], Markup]:
    """For a page: a function giving a question's fields as HTML (the template
    ``respond/fields/<type>.html`` rendered with ``q``, ``form``, ``errors`` and ``sitting``)."""
    environment = current_app.jinja_env

    def render(question: Question) -> Markup:
        template = environment.get_template(f"respond/fields/{question.type}.html")
        context = {"q": question, "form": form, "errors": errors, "sitting": sitting}
        return Markup(template.render(context, field_name=field_name))

    def html(question: Question) -> Markup:
        fields = question_fields(form, question)
        state = None if question.key in errors else _state(type(form), fields)
        if state is None:
            return render(question)
        # The form's class holds the fields' labels, in the language it was built in.
        key = (type(form), sitting.locale, question.key, question.type, state)
        kept = _KEPT.get(key)
        if kept is None:
            kept = render(question)
            with _lock:
                if len(_KEPT) >= _MAX_KEPT:
                    _KEPT.clear()
                _KEPT[key] = kept
        return kept

    return html


def _state(form_class: type[PageForm], fields: list[Field]) -> tuple[Any, ...] | None:
    """What the fields hold, as a key; None when something in them was typed freely."""
    state = []
    for field in fields:
        if isinstance(field, _CHOICES):
            chosen = field.data if isinstance(field, SelectMultipleField) else [field.data]
            allowed = _choices(form_class, field)
            if not all(v is None or (isinstance(v, str) and v in allowed) for v in chosen or ()):
                return None
            value = tuple(chosen or ())
        elif type(field) in (StringField, TextAreaField):
            if field.data not in (None, ""):
                return None
            value = ()
        else:
            return None
        state.append((field.id, field.name, type(field).__name__, value))
    return tuple(state)


#: The values a choice field offers, by (form class, field name).
_OFFERED: dict[tuple[Any, str], frozenset[str]] = {}


def _choices(form_class: type[PageForm], field: Field) -> frozenset[str]:
    key = (form_class, field.name)
    offered = _OFFERED.get(key)
    if offered is None:
        offered = frozenset(str(choice.value) for choice in field.iter_choices())
        with _lock:
            if len(_OFFERED) >= _MAX_KEPT:
                _OFFERED.clear()
            _OFFERED[key] = offered
    return offered
