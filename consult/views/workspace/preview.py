"""Preview a survey as a respondent sees it, in any of its languages, without storing
anything: the answers typed travel in the signed session cookie only, and the pages are the
respondent's own templates with their conditions and checks."""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _

from consult.auth import STAFF, roles_required
from consult.forms.respondent import page_form, typed_answers
from consult.models import Organisation, Section
from consult.questions import REGISTRY
from consult.questions.base import field_name
from consult.services import answering, designs
from consult.views.respond import _render_page
from consult.views.survey_text import SurveyText
from consult.views.workspace import bp, survey_or_404

SESSION_KEY = "preview_answers"


class Preview(SurveyText):
    """Stands in for a respondent's sitting: the same pages, nothing stored."""

    token = ""
    phase = answering.OPEN

    def __init__(self, key: str) -> None:
        self.survey = designs.design(survey_or_404(key))
        g.allowed_locales = list(self.survey.locales)
        g.default_locale = self.survey.default_locale
        g.keep_locale_cookie = True  # the preview's language is carried in its addresses
        refresh()
        self.locale = str(get_locale())
        self.organisation = Organisation(name=_("Preview – nothing is stored"))

    def render(self, template: str, status: int = 200, **context: Any) -> tuple[str, int]:
        return (
            render_template(
                template,
                sitting=self,
                survey=self.survey,
                organisation=self.organisation,
                locale=self.locale,
                types=REGISTRY,
                field_name=field_name,
                preview=True,
                **context,
            ),
            status,
        )

    def url(self, endpoint: str, **values: Any) -> str:
        values.pop("_external", None)
        values.setdefault("lang", self.locale)
        if endpoint == "page":
            return url_for("workspace.preview_page", key=self.survey.key, **values)
        return url_for("workspace.preview", key=self.survey.key, **values)

    def page_url(self, section: Section, **values: Any) -> str:
        return self.url("page", section_key=section.key, **values)

    def use_locale(self, locale: str) -> None:
        if locale in self.survey.locales:
            g.explicit_locale = locale
            refresh()
            self.locale = str(get_locale())

    # The answers typed so far in this preview, kept in the session cookie.
    def answers(self) -> dict[str, tuple[Any, str | None]]:
        kept = session.get(SESSION_KEY, {}).get(self.survey.key, {})
        return {k: (v[0], v[1]) for k, v in kept.items()}

    def keep(self, answers: dict[str, tuple[Any, str | None]]) -> None:
        everything = dict(session.get(SESSION_KEY, {}))
        everything[self.survey.key] = {k: [v, t] for k, (v, t) in answers.items()}
        session[SESSION_KEY] = everything


@bp.route("/surveys/<key>/preview")
@roles_required(*STAFF)
def preview(key: str) -> Any:
    sitting = Preview(key)
    if request.args.get("restart") or not sitting.answers():
        sitting.keep({})
    pages = answering.pages(sitting.survey, sitting.answers())
    return sitting.render("respond/start.html", response=None, first=pages[0], resume=pages[0])


@bp.route("/surveys/<key>/preview/<section_key>", methods=["GET", "POST"])
@roles_required(*STAFF)
def preview_page(key: str, section_key: str) -> Any:
    sitting = Preview(key)
    section = next((s for s in sitting.survey.sections if s.key == section_key), None)
    if section is None:
        abort(404)
    stored = sitting.answers()
    pages = answering.pages(sitting.survey, stored)
    if request.method == "GET":
        form = page_form(section, sitting.localise, locale=sitting.locale, stored=stored)
        return _render_page(sitting, section, form, stored, pages)  # type: ignore[arg-type]
    action = request.form.get("action", "next")
    language = action[5:] if action.startswith("lang:") else None
    if language:  # the whole page in the new language, as the respondent's (views/respond.py)
        sitting.use_locale(language)
    form = page_form(section, sitting.localise, locale=sitting.locale, formdata=request.form)
    typed, form_errors = typed_answers(form, section.questions)
    merged = {k: v for k, v in stored.items() if k not in {q.key for q in section.questions}}
    merged.update({k: v for k, v in typed.items() if v != (None, None)})
    clean, errors = answering.check_page(
        sitting.survey, section, merged, typed, form_errors, require=action == "next"
    )
    if errors:
        return _render_page(sitting, section, form, stored, pages, errors=errors, status=422)  # type: ignore[arg-type]
    sitting.keep(clean)
    pages = answering.pages(sitting.survey, clean)
    if language:
        return redirect(sitting.page_url(section, lang=language))
    here = pages.index(section) if section in pages else 0
    if action == "back":
        return redirect(sitting.page_url(pages[here - 1]) if here > 0 else sitting.url("start"))
    if action == "next" and here + 1 < len(pages):
        return redirect(sitting.page_url(pages[here + 1]))
    return redirect(sitting.url("start", done=1))
