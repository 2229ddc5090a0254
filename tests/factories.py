"""Small factories for tests: surveys from documents, organisations, responses."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from flask import Flask, g

from consult import create_app
from consult.extensions import db
from consult.models import Organisation, Survey
from consult.services import responses
from consult.services.organisations import OrganisationData, create_organisation
from consult.services.surveys import import_document

T = {"fi": "Kysymys", "sv": "Fråga", "en": "Question"}


def texts(en: str) -> dict[str, str]:
    return {"fi": f"{en} (fi)", "sv": f"{en} (sv)", "en": en}


def options(*keys: str) -> list[dict[str, Any]]:
    return [{"key": k, "text": texts(k.replace("_", " ").title())} for k in keys]


def survey_document(**changes: Any) -> dict[str, Any]:
    """A small valid survey using most question types and a few conditions."""
    document: dict[str, Any] = {
        "format": "consult-survey/1",
        "key": "test-survey",
        "theme": "preparedness",
        "default_locale": "fi",
        "locales": ["fi", "sv", "en"],
        "title": texts("Test survey"),
        "introduction": texts("Introduction"),
        "sections": [
            {
                "key": "first",
                "title": texts("First"),
                "questions": [
                    {
                        "key": "size",
                        "type": "single_choice",
                        "required": True,
                        "text": texts("Size"),
                        "options": options("small", "large"),
                    },
                    {
                        "key": "plan",
                        "type": "yes_no",
                        "required": True,
                        "text": texts("Do you have a plan?"),
                    },
                    {
                        "key": "plan_year",
                        "type": "number",
                        "text": texts("Year of the plan"),
                        "settings": {"min": 1990, "max": 2030},
                        "condition": {"question": "plan", "equals": "yes"},
                    },
                    {
                        "key": "needs",
                        "type": "multiple_choice",
                        "text": texts("Needs"),
                        "settings": {"max_choices": 2},
                        "options": [
                            *options("training", "premises"),
                            {"key": "other", "text": texts("Other"), "specify": True},
                        ],
                    },
                ],
            },
            {
                "key": "second",
                "title": texts("Second"),
                "condition": {"question": "size", "not_equals": "large"},
                "questions": [
                    {
                        "key": "readiness",
                        "type": "scale",
                        "text": texts("Readiness"),
                        "settings": {"min": 1, "max": 5, "dont_know": True},
                    },
                    {
                        "key": "statements",
                        "type": "matrix",
                        "text": texts("Statements"),
                        "settings": {"max": 4},
                        "statements": options("info", "help"),
                    },
                    {
                        "key": "order",
                        "type": "ranking",
                        "text": texts("Order"),
                        "options": options("a", "b", "c"),
                    },
                    {"key": "note", "type": "note", "text": texts("Thanks")},
                    {
                        "key": "comment",
                        "type": "long_text",
                        "text": texts("Comment"),
                        "settings": {"max_length": 50},
                    },
                    {"key": "when", "type": "date", "text": texts("When")},
                    {"key": "name", "type": "short_text", "text": texts("Name")},
                ],
            },
        ],
    }
    document.update(changes)
    return copy.deepcopy(document)


def make_survey(**changes: Any) -> Survey:
    survey, _warnings = import_document(survey_document(**changes))
    return survey


def make_organisation(name: str = "Kallion perheyhdistys ry", **attributes: Any) -> Any:
    data = OrganisationData(name=name, **attributes)
    organisation = create_organisation(data)
    db.session.commit()
    return organisation


def answer(survey: Survey, organisation: Organisation, raw: dict[str, Any], **kw: Any) -> Any:
    """Store a response from ``{key: value}`` or ``{key: (value, text)}``."""
    pairs = {k: v if isinstance(v, tuple) else (v, None) for k, v in raw.items()}
    clean, errors = responses.normalise(survey, pairs)
    assert not errors, errors
    response = responses.add_response(
        survey,
        organisation.id,
        clean,
        locale=kw.get("locale", "fi"),
        submitted=kw.get("submitted", True),
    )
    db.session.commit()
    return response


def make_app(tmp_path: Path, database_url: str | None, **config: Any) -> Flask:
    settings: dict[str, Any] = {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "TESTING": True,
        "WTF_CSRF_ENABLED": True,
    }
    if database_url:
        settings["DATABASE_URL"] = database_url
    settings.update(config)
    app = create_app(settings)
    fresh_globals_per_request(app)
    return app


def fresh_globals_per_request(app: Flask) -> None:
    """Under a server every request has its own ``g``; the test client keeps one app context
    (and so one ``g``) for all the requests of a test, which would carry a survey's locales,
    the signed-in user or read rows from one request into the next."""

    def forget() -> None:
        for name in list(g):
            g.pop(name)

    app.before_request_funcs.setdefault(None, []).insert(0, forget)
