"""The front page and the read-only view of a survey."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale

from consult.questions import REGISTRY
from consult.services.describe import condition_sentence
from consult.services.surveys import SurveyNotFound, get_survey, list_surveys

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    return render_template("index.html", rows=list_surveys(published_only=True))


@bp.get("/surveys/<key>")
def survey(key: str) -> str:
    try:
        survey = get_survey(key)
    except SurveyNotFound:
        abort(404)
    if survey.state == "draft":  # a draft is shown to coordinators only (their workspace)
        abort(404)
    ui_locale = str(get_locale())
    chosen = request.args.get("lang")
    if chosen in survey.locales:
        locale = chosen
    elif ui_locale in survey.locales:
        locale = ui_locale
    else:
        locale = survey.default_locale
    return render_template(
        "survey.html",
        survey=survey,
        locale=locale,
        section_conditions={
            s.key: condition_sentence(s.condition, survey, locale)
            for s in survey.sections
            if s.condition
        },
        question_conditions={
            q.key: condition_sentence(q.condition, survey, locale)
            for q in survey.questions
            if q.condition
        },
        types=REGISTRY,
    )
