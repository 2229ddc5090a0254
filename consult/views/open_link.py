"""A survey's open link: anyone may register an organisation and answer for it."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, refresh
from flask_babel import gettext as _

from consult.extensions import csrf, limiter
from consult.forms.registration import registration_form
from consult.forms.respondent import anchors, csrf_expired, typed_answers
from consult.questions import REGISTRY
from consult.questions.base import field_name
from consult.services import answering, designs, registration
from consult.services.surveys import SurveyNotFound, get_survey
from consult.services.transactions import StorageBusy
from consult.views.question_html import question_html
from consult.views.survey_text import SurveyText

bp = Blueprint("open_link", __name__, url_prefix="/s")
csrf.exempt(bp)  # the view checks the token itself and keeps what was typed


class OpenSitting(SurveyText):
    """The survey offered by its open link, in the respondent's locale."""

    def __init__(self, key: str) -> None:
        try:
            survey = get_survey(key)
        except SurveyNotFound:
            survey = None
        if survey is None or not survey.open_link or survey.state == "draft":
            abort(make_response(render_template("respond/invalid.html"), 404))
        self.survey = designs.design(survey)
        g.allowed_locales = list(survey.locales)
        g.default_locale = survey.default_locale
        chosen = request.form.get("action", "")
        if chosen.startswith("lang:") and chosen[5:] in survey.locales:
            g.explicit_locale = chosen[5:]
        refresh()
        self.locale = str(get_locale())
        self.phase = answering.phase(survey)  # the row as it is now


@bp.route("/<key>", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["REGISTRATION_LIMIT"],
    methods=["POST"],
    deduct_when=lambda r: r.status_code == 302,
)
def register(key: str) -> Any:
    sitting = OpenSitting(key)
    if sitting.phase != answering.OPEN:
        template = (
            "respond/closed.html" if sitting.phase == answering.CLOSED else "respond/not_open.html"
        )
        return _render(sitting, template, response=None)
    section = registration.profile_section(sitting.survey)
    if request.method == "GET":
        return _render(
            sitting,
            "respond/register.html",
            form=registration_form(section, sitting.localise, locale=sitting.locale),
            section=section,
            errors={},
        )
    form = registration_form(
        section, sitting.localise, formdata=request.form, locale=sitting.locale
    )
    action = request.form.get("action", "next")
    if action.startswith("lang:"):
        return _render(sitting, "respond/register.html", form=form, section=section, errors={})
    if csrf_expired(form):
        notice = _(
            "Your session had expired, so nothing was saved yet. Everything you typed is "
            "still here: check it and press the button again."
        )
        return _render(
            sitting,
            "respond/register.html",
            400,
            form=form,
            section=section,
            errors={},
            notice=notice,
        )
    applicant = registration.Applicant(
        name=(form.name.data or "").strip(),
        business_id=(form.business_id.data or "").strip(),
        contact_name=(form.contact_name.data or "").strip(),
        contact_email=(form.contact_email.data or "").strip(),
        nonce=form.nonce.data or "",
    )
    questions = section.questions if section is not None else []
    typed, form_errors = typed_answers(form, questions)
    try:
        result = registration.register(
            sitting.survey, applicant, typed, form_errors, locale=sitting.locale
        )
    except StorageBusy:
        notice = _(
            "We could not save your answers just now. Everything you typed is still here: "
            "wait a moment and press the button again."
        )
        return _render(
            sitting,
            "respond/register.html",
            503,
            form=form,
            section=section,
            errors={},
            notice=notice,
        )
    if result.errors:
        return _render(
            sitting, "respond/register.html", 422, form=form, section=section, errors=result.errors
        )
    return redirect(url_for("respond.start", token=result.token, new=1))


def _render(
    sitting: OpenSitting, template: str, status: int = 200, **context: Any
) -> tuple[str, int]:
    return (
        render_template(
            template,
            sitting=sitting,
            survey=sitting.survey,
            locale=sitting.locale,
            types=REGISTRY,
            field_name=field_name,
            keeps_answers=template.endswith("register.html"),
            anchors=anchors(context["form"], context["section"].questions)
            if context.get("section") is not None and "form" in context
            else {},
            question_html=question_html(sitting, context["form"], context.get("errors") or {})
            if "form" in context
            else None,
            **context,
        ),
        status,
    )


@bp.errorhandler(429)
def too_many(error: Exception) -> Any:
    """Too many registrations from one address: the form comes back with what was typed."""
    sitting = OpenSitting((request.view_args or {}).get("key", ""))
    section = registration.profile_section(sitting.survey)
    formdata = request.form if request.method == "POST" else None
    notice = _(
        "Too many organisations have been registered from this address just now, so this one "
        "was not. Everything you typed is still here: try again later, or ask the survey's "
        "coordinator for a link."
    )
    return _render(
        sitting,
        "respond/register.html",
        429,
        form=registration_form(section, sitting.localise, formdata=formdata, locale=sitting.locale),
        section=section,
        errors={},
        notice=notice,
    )
