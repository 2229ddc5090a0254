"""Surveys: import from and export to survey files, listing, the analysis column layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import Option, Question, Response, Section, Survey
from consult.questions import get_type
from consult.survey_file import FORMAT, Problem, SurveyFileError, validate
from consult.survey_file.codes import effective_codes
from consult.survey_file.validate import parse_time


@dataclass(frozen=True)
class SurveyRow:
    """A survey as listed: key, title, state, responses."""

    survey: Survey
    submitted: int
    drafts: int


class SurveyNotFound(LookupError):
    """No survey has that key."""


def with_design() -> list[Any]:
    """Loader options that fetch a survey's whole design in a few queries, not one per item."""
    return [
        selectinload(Survey.sections)
        .selectinload(Section.questions)
        .selectinload(Question.choices),
        selectinload(Survey.questions),
    ]


def get_survey(key: str) -> Survey:
    survey = db.session.scalar(sa.select(Survey).where(Survey.key == key))
    if survey is None:
        raise SurveyNotFound(key)
    return survey


def list_surveys(*, published_only: bool = False) -> list[SurveyRow]:
    """Surveys with their response counts, open ones first, then by key; with
    ``published_only``, drafts are left out (they are for coordinators' eyes)."""
    counts = dict(
        ((survey_id, status), n)
        for survey_id, status, n in db.session.execute(
            sa.select(Response.survey_id, Response.status, sa.func.count()).group_by(
                Response.survey_id, Response.status
            )
        )
    )
    order = sa.case({"open": 0, "draft": 1, "closed": 2}, value=Survey.state)
    query = sa.select(Survey).order_by(order, Survey.key)
    if published_only:
        query = query.where(Survey.state != "draft")
    surveys = db.session.scalars(query).all()
    return [
        SurveyRow(s, counts.get((s.id, "submitted"), 0), counts.get((s.id, "draft"), 0))
        for s in surveys
    ]


def change_settings(
    survey: Survey,
    *,
    state: str | None = None,
    open_link: bool | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    retention_days: int | None = None,
) -> None:
    """Change when and how a survey takes answers (and how long its contact details and open
    answers are kept after closing), and commit. ValueError says what is wrong."""
    if state is not None and state not in ("draft", "open", "closed"):
        raise ValueError(_("the state must be draft, open or closed"))
    new_opens = opens_at if opens_at is not None else survey.opens_at
    new_closes = closes_at if closes_at is not None else survey.closes_at
    if new_opens is not None and new_closes is not None and new_closes <= new_opens:
        raise ValueError(_("the closing time must be later than the opening time"))
    if state is not None:
        survey.state = state
    if open_link is not None:
        survey.open_link = open_link
    survey.opens_at, survey.closes_at = new_opens, new_closes
    if retention_days is not None:
        survey.retention_days = retention_days
    db.session.commit()


# --- import -------------------------------------------------------------------------------


def import_document(document: dict[str, Any], source: str = "") -> tuple[Survey, list[Problem]]:
    """Create a draft survey from a survey document. Returns the survey and the warnings.

    Every mistake is reported at once in a SurveyFileError and nothing is stored.
    """
    errors, warnings = validate(document)
    if not errors and db.session.scalar(
        sa.select(sa.func.count()).where(Survey.key == document["key"])
    ):
        errors.append(
            Problem("key", _("a survey with the key '%(key)s' exists already", key=document["key"]))
        )
    if errors:
        raise SurveyFileError(errors, source)
    survey = build_survey(document)
    db.session.add(survey)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return survey, warnings


def build_survey(document: dict[str, Any]) -> Survey:
    """A new Survey (not yet added to the session) from a validated document."""
    survey = Survey(
        key=document["key"],
        theme=document["theme"],
        state="draft",
        default_locale=document["default_locale"],
        locales=list(document["locales"]),
        title=dict(document["title"]),
        introduction=dict(document.get("introduction") or {}),
        opens_at=parse_time(document["opens_at"]) if document.get("opens_at") else None,
        closes_at=parse_time(document["closes_at"]) if document.get("closes_at") else None,
    )
    for s_index, section_doc in enumerate(document["sections"]):
        section = Section(
            key=section_doc["key"],
            position=s_index,
            title=dict(section_doc["title"]),
            description=dict(section_doc.get("description") or {}),
            condition=section_doc.get("condition"),
        )
        survey.sections.append(section)
        for q_index, question_doc in enumerate(section_doc["questions"]):
            question = Question(
                key=question_doc["key"],
                section_position=s_index,
                position=q_index,
                type=question_doc["type"],
                required=bool(question_doc.get("required", False)),
                theme=question_doc.get("theme"),
                text=dict(question_doc["text"]),
                help=dict(question_doc.get("help") or {}),
                settings={k: _plain(v) for k, v in (question_doc.get("settings") or {}).items()},
                condition=question_doc.get("condition"),
            )
            for role, field in (("option", "options"), ("statement", "statements")):
                question.choices.extend(_build_options(question_doc.get(field) or [], role))
            section.questions.append(question)
            survey.questions.append(question)
    survey.column_layout = extend_layout([], survey.ordered_questions())
    return survey


def _build_options(items: list[dict[str, Any]], role: str) -> list[Option]:
    options = []
    for index, (item, code) in enumerate(zip(items, effective_codes(items), strict=True)):
        options.append(
            Option(
                role=role,
                key=item["key"],
                code=code,
                position=index,
                text=dict(item["text"]),
                specify=bool(item.get("specify", False)),
            )
        )
    return options


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def extend_layout(layout: list[list[str | None]], questions: list[Question]) -> list[list[Any]]:
    """The column layout with a column appended for every (question, item) it lacks."""
    known = {(q, item) for q, item in layout}
    extended = [list(column) for column in layout]
    for question in questions:
        for item in get_type(question.type).columns(question):
            if (question.key, item) not in known:
                extended.append([question.key, item])
                known.add((question.key, item))
    return extended


# --- export -------------------------------------------------------------------------------


def export_document(survey: Survey) -> dict[str, Any]:
    """The survey as a survey document; keys in a fixed order, defaults left out."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "key": survey.key,
        "theme": survey.theme,
        "default_locale": survey.default_locale,
        "locales": list(survey.locales),
        "title": _texts(survey.title, survey.locales),
    }
    if survey.introduction:
        document["introduction"] = _texts(survey.introduction, survey.locales)
    for name in ("opens_at", "closes_at"):
        moment = getattr(survey, name)
        if moment is not None:
            document[name] = _local_time(moment)
    document["sections"] = [_section_document(section, survey) for section in survey.sections]
    return document


def _section_document(section: Section, survey: Survey) -> dict[str, Any]:
    out: dict[str, Any] = {"key": section.key, "title": _texts(section.title, survey.locales)}
    if section.description:
        out["description"] = _texts(section.description, survey.locales)
    if section.condition:
        out["condition"] = section.condition
    out["questions"] = [_question_document(q, survey) for q in section.questions]
    return out


def _question_document(question: Question, survey: Survey) -> dict[str, Any]:
    out: dict[str, Any] = {"key": question.key, "type": question.type}
    if question.required:
        out["required"] = True
    if question.theme:
        out["theme"] = question.theme
    out["text"] = _texts(question.text, survey.locales)
    if question.help:
        out["help"] = _texts(question.help, survey.locales)
    if question.settings:
        out["settings"] = {
            name: _texts(value, survey.locales) if isinstance(value, dict) else value
            for name, value in question.settings.items()
        }
    for role, field in (("option", "options"), ("statement", "statements")):
        items = [o for o in question.choices if o.role == role]
        if items:
            out[field] = [_option_document(o, i, survey) for i, o in enumerate(items)]
    if question.condition:
        out["condition"] = question.condition
    return out


def _option_document(option: Option, index: int, survey: Survey) -> dict[str, Any]:
    out: dict[str, Any] = {"key": option.key}
    if option.code != index + 1:
        out["code"] = option.code
    out["text"] = _texts(option.text, survey.locales)
    if option.specify:
        out["specify"] = True
    return out


def _texts(texts: dict[str, str], locales: list[str]) -> dict[str, str]:
    """Texts in the survey's locale order."""
    return {locale: texts[locale] for locale in locales if locale in texts}


def _local_time(moment: datetime) -> str:
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    return moment.astimezone(zone).isoformat()
