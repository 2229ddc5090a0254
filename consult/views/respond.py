"""The respondent's pages: an organisation answers a survey through its personal link."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, refresh
from flask_babel import gettext as _

from consult.extensions import csrf
from consult.forms.respondent import (
    PageForm,
    anchors,
    csrf_expired,
    page_form,
    typed_answers,
)
from consult.models import Response, Section
from consult.questions import REGISTRY, get_type
from consult.questions.base import field_name
from consult.services import answering, designs, invitations, responses
from consult.services.transactions import StorageBusy
from consult.views import guessing
from consult.views.question_html import question_html
from consult.views.survey_text import SurveyText

bp = Blueprint("respond", __name__, url_prefix="/r")
# Every POST here checks its CSRF token itself (PageForm), so that a page whose token has
# expired comes back with everything typed instead of a bare error page.
csrf.exempt(bp)


# Wrong links answered with 404 are counted; too many from one address get 429.
guessing.throttle(bp)


class Sitting(SurveyText):
    """One request's view of a response: the invitation, the survey, the response (None
    before the first save) and the locale."""

    def __init__(self, token: str) -> None:
        found = answering.find_link(token)
        if found is None:
            abort(make_response(render_template("respond/invalid.html"), 404))
        self.token = token
        self.invitation = invitation = found.invitation
        self.survey = found.survey
        self.response = found.response
        g.allowed_locales = list(self.survey.locales)
        g.invitation_locale = invitation.locale
        g.default_locale = self.survey.default_locale
        refresh()
        self.locale = str(get_locale())
        self.phase = answering.phase(self.survey)  # the design is the survey row as it is now

    def use_locale(self, locale: str) -> None:
        """Switch this request to another of the survey's languages."""
        if locale in self.survey.locales:
            g.explicit_locale = locale
            refresh()
            self.locale = str(get_locale())

    def render(self, template: str, status: int = 200, **context: Any) -> tuple[str, int]:
        return (
            render_template(
                template,
                sitting=self,
                survey=self.survey,
                organisation=self.invitation.organisation,
                locale=self.locale,
                types=REGISTRY,
                field_name=field_name,
                **context,
            ),
            status,
        )

    def url(self, endpoint: str, **values: Any) -> str:
        return url_for(f"respond.{endpoint}", token=self.token, **values)

    def page_url(self, section: Section, **values: Any) -> str:
        return self.url("page", section_key=section.key, **values)


def _closed_or_not_open(sitting: Sitting) -> tuple[str, int] | None:
    if sitting.phase == answering.OPEN:
        return None
    response = sitting.response
    template = (
        "respond/closed.html" if sitting.phase == answering.CLOSED else "respond/not_open.html"
    )
    return sitting.render(template, response=response)


@bp.get("/<token>")
def start(token: str) -> Any:
    sitting = Sitting(token)
    stopped = _closed_or_not_open(sitting)
    if stopped:
        return stopped
    if sitting.invitation.opened_at is None:
        invitations.mark_opened(sitting.invitation)
    response = sitting.response
    answers = responses.answers_of(response, sitting.survey) if response else {}
    pages = answering.pages(sitting.survey, answers)
    resume = next((s for s in pages if response and s.key == response.resume_section), pages[0])
    return sitting.render("respond/start.html", response=response, first=pages[0], resume=resume)


@bp.route("/<token>/p/<section_key>", methods=["GET", "POST"])
def page(token: str, section_key: str) -> Any:
    sitting = Sitting(token)
    section = next((s for s in sitting.survey.sections if s.key == section_key), None)
    if section is None:
        abort(404)
    if sitting.phase != answering.OPEN:
        return _stopped_mid_sitting(sitting, section)
    response = sitting.response
    stored = responses.answers_of(response, sitting.survey) if response else {}
    pages = answering.pages(sitting.survey, stored)
    if section not in pages:
        return redirect(sitting.page_url(_nearest(pages, section, sitting.survey.sections)))
    if request.method == "GET":
        form = page_form(section, sitting.localise, locale=sitting.locale, stored=stored)
        errors = {}
        if request.args.get("missing"):
            missing = set(responses.missing_required(sitting.survey, stored))
            errors = {
                q.key: _("Answer this question.") for q in section.questions if q.key in missing
            }
        return _render_page(sitting, section, form, stored, pages, errors=errors)

    action = request.form.get("action", "next")
    language = (action[5:] or None) if action.startswith("lang:") else None
    if language is None and action not in ("next", "back", "save"):
        action = "next"
    if language:
        # The page comes back in the chosen language even when it cannot be saved yet: its
        # questions, options and messages alike.
        sitting.use_locale(language)
    form = page_form(section, sitting.localise, locale=sitting.locale, formdata=request.form)
    if csrf_expired(form):
        message = _(
            "Your session had expired, so nothing was saved yet. Everything you typed is "
            "still here: check it and press the button again."
        )
        return _render_page(sitting, section, form, stored, pages, notice=message, status=400)
    typed, form_errors = typed_answers(form, section.questions)
    try:
        response = response or answering.response_for(sitting.invitation, sitting.locale)
        outcome = answering.save_page(
            sitting.survey, response, section, typed, form_errors, require=action == "next"
        )
    except StorageBusy:
        message = _(
            "We could not save your answers just now. Everything you typed is still here: "
            "wait a moment and press the button again."
        )
        return _render_page(sitting, section, form, stored, pages, notice=message, status=503)
    if not outcome.saved:
        return _render_page(
            sitting, section, form, stored, pages, errors=outcome.errors, status=422
        )

    # Where to go next, from the answers as stored: read nothing more once they are committed
    # (a page saying "nothing was saved" would then be wrong).
    pages = answering.pages(sitting.survey, outcome.answers)
    if outcome.reopened is not None:  # the change asks more: straight to the first question
        extra = {"lang": language} if language else {}
        return redirect(sitting.page_url(outcome.reopened, missing=1, **extra))
    if language:
        return redirect(sitting.page_url(section, lang=language))
    if action == "save":
        return redirect(sitting.url("saved"))
    here = pages.index(section) if section in pages else 0
    if action == "back":
        return redirect(sitting.page_url(pages[here - 1]) if here > 0 else sitting.url("start"))
    if here + 1 < len(pages):
        return redirect(sitting.page_url(pages[here + 1]))
    return redirect(sitting.url("review"))


def _stopped_mid_sitting(sitting: Sitting, section: Section) -> Any:
    """The survey closed (or is not open): a GET gets the plain page; a POST gets it too,
    with what was typed listed, since it could not be saved."""
    if request.method == "GET":
        return _closed_or_not_open(sitting)
    form = page_form(section, sitting.localise, locale=sitting.locale, formdata=request.form)
    typed, _unreadable = typed_answers(form, section.questions)
    unsaved = [
        (sitting.localise(q.text), _typed_lines(value, text))
        for q in section.questions
        if q.key in typed and _typed_lines(*typed[q.key])
        for value, text in [typed[q.key]]
    ]
    template = (
        "respond/closed.html" if sitting.phase == answering.CLOSED else "respond/not_open.html"
    )
    response = sitting.response
    return sitting.render(template, 409, response=response, unsaved=unsaved)


def _typed_lines(value: Any, text: str | None) -> list[str]:
    """What was typed for one question, as text (not yet checked or stored)."""
    lines = []
    if isinstance(value, dict):
        lines += [str(v) for v in value.values() if v not in (None, "")]
    elif isinstance(value, list | tuple):
        lines += [str(v) for v in value if v not in (None, "")]
    elif value not in (None, ""):
        lines.append(str(value))
    if text:
        lines.append(text)
    return lines


def _nearest(pages: list[Section], wanted: Section, sections: list[Section]) -> Section:
    """The first shown page at or after ``wanted`` (or the last one before it)."""
    after = [s for s in pages if s.position >= wanted.position]
    return after[0] if after else pages[-1]


def _render_page(
    sitting: Sitting,
    section: Section,
    form: PageForm,
    stored: dict[str, Any],
    pages: list[Section],
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    survey = sitting.survey
    others = {k: v for k, v in stored.items() if k not in {q.key for q in section.questions}}
    typed, _unreadable = typed_answers(form, section.questions)
    current = {**others, **answering.as_far_as_readable(survey, typed)}
    shown = responses.visible_keys(survey, current)
    number = pages.index(section) + 1 if section in pages else 1
    questions = responses.questions_by_key(survey)
    earlier = {
        key: {"value": value, "answered": get_type(questions[key].type).is_answered(value, text)}
        for key, (value, text) in others.items()
    }
    conditions_json, questions_json = designs.derived(survey, _design_json)
    return sitting.render(
        "respond/page.html",
        status,
        anchors=anchors(form, section.questions),
        keeps_answers=True,
        section=section,
        form=form,
        errors=errors or {},
        question_html=question_html(sitting, form, errors or {}),
        notice=notice,
        shown=shown,
        number=number,
        total=len(pages),
        last=number == len(pages),
        earlier_json=json.dumps(earlier, ensure_ascii=False),
        conditions_json=conditions_json,
        questions_json=questions_json,
    )


def _design_json(survey: Any) -> tuple[str, str]:
    """The questions' display conditions and types, for the page's script."""
    return (
        json.dumps(
            {q.key: q.condition for q in survey.questions if q.condition}, ensure_ascii=False
        ),
        json.dumps({q.key: q.type for q in survey.questions}),
    )


@bp.get("/<token>/review")
def review(token: str) -> Any:
    sitting, response, stop = _open_response(token)
    if stop is not None:
        return stop
    return _render_review(sitting, response, PageForm())


def _open_response(token: str) -> tuple[Sitting, Any, Any]:
    """The sitting and its response; or, as the third item, the page to show instead
    (closed, not open yet, or the start page when nothing has been answered)."""
    sitting = Sitting(token)
    stopped = _closed_or_not_open(sitting)
    if stopped:
        return sitting, None, stopped
    response = sitting.response
    if response is None:
        return sitting, None, redirect(sitting.url("start"))
    return sitting, response, None


def _render_review(sitting: Sitting, response: Response, form: PageForm, **extra: Any) -> Any:
    answers = responses.answers_of(response, sitting.survey)
    pages = answering.pages(sitting.survey, answers)
    missing = set(responses.missing_required(sitting.survey, answers))
    return sitting.render(
        "respond/review.html",
        extra.pop("status", 200),
        response=response,
        form=form,
        pages=pages,
        answers=answers,
        shown=responses.visible_keys(sitting.survey, answers),
        missing=missing,
        **extra,
    )


@bp.post("/<token>/submit")
def submit(token: str) -> Any:
    sitting, response, stop = _open_response(token)
    if stop is not None:
        return stop
    form = PageForm()
    if not form.validate():
        message = _("Your session had expired. Your answers are saved: press Submit again.")
        return _render_review(sitting, response, form, notice=message, status=400)
    try:
        outcome = answering.submit(sitting.survey, response)
    except StorageBusy:
        message = _("We could not submit just now. Your answers are saved: press Submit again.")
        return _render_review(sitting, response, form, notice=message, status=503)
    if not outcome.submitted:
        return redirect(sitting.page_url(outcome.first_missing, missing=1))
    return redirect(sitting.url("receipt"))


@bp.get("/<token>/receipt")
def receipt(token: str) -> Any:
    sitting = Sitting(token)
    response = sitting.response
    if response is None or response.status != "submitted":
        return redirect(sitting.url("start"))
    answers = responses.answers_of(response, sitting.survey)
    return sitting.render(
        "respond/receipt.html",
        response=response,
        answers=answers,
        pages=answering.pages(sitting.survey, answers),
        shown=responses.visible_keys(sitting.survey, answers),
    )


@bp.get("/<token>/saved")
def saved(token: str) -> Any:
    sitting = Sitting(token)
    return sitting.render("respond/saved.html", link=sitting.url("start", _external=True))
