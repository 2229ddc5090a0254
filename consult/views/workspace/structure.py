"""The survey designer's structure pages: pages (sections) and questions — add, edit,
reorder, remove — with display conditions chosen from earlier questions, and the survey's
settings. Each change goes through ``structure.apply_document``, which refuses what would
change the meaning of answers already given and says why."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.auth import STAFF, roles_required
from consult.domain import ACTION_THEMES
from consult.i18n import CONTENT_LOCALES
from consult.questions import REGISTRY
from consult.services import design_edits as edits
from consult.services import structure
from consult.views.workspace import bp, question_form, survey_or_404


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Helsinki")


def _apply(survey: Any, document: dict[str, Any], done: str) -> tuple[bool, list[str]]:
    problems = structure.apply_document(survey, document)
    if not problems:
        flash(done, "success")
    return not problems, problems


@bp.route("/surveys/<key>/design")
@roles_required(*STAFF)
def design(key: str) -> Any:
    survey = survey_or_404(key)
    document = structure.document_of(survey)
    return render_template(
        "workspace/design.html",
        survey=survey,
        document=document,
        answered=structure.answered(survey),
        types=REGISTRY,
        condition_code=edits.condition_code,
        describe=_describe_condition(document),
    )


def _describe_condition(document: dict[str, Any]) -> Any:
    def describe(item: dict[str, Any]) -> str:
        condition = item.get("condition")
        if not condition:
            return ""
        code = edits.condition_code(condition)
        choices = dict(edits.condition_choices(document, item["key"]))
        return choices.get(code) or _("a combined condition (see the survey file)")

    return describe


@bp.route("/surveys/<key>/design/change", methods=["POST"])
@roles_required(*STAFF)
def design_change(key: str) -> Any:
    """Move a page or question up or down, or remove it."""
    survey = survey_or_404(key)
    document = structure.document_of(survey)
    item = request.form.get("item", "")
    action = request.form.get("action", "")
    try:
        if action in ("up", "down"):
            edits.move(document, item, -1 if action == "up" else 1)
            message = _("Moved %(key)s.", key=item)
        elif action == "remove":
            edits.remove(document, item)
            message = _("Removed %(key)s.", key=item)
        else:
            raise edits.EditError("action", _("Choose what to do."))
    except edits.EditError as error:
        flash(str(error), "warning")
        return redirect(url_for("workspace.design", key=key)), 303
    ok, problems = _apply(survey, document, message)
    for problem in problems:
        flash(problem, "warning")
    return redirect(url_for("workspace.design", key=key) + (f"#item-{item}" if ok else "")), 303


@bp.route("/surveys/<key>/design/sections/new", methods=["GET", "POST"])
@bp.route("/surveys/<key>/design/sections/<section_key>", methods=["GET", "POST"])
@roles_required(*STAFF)
def design_section(key: str, section_key: str | None = None) -> Any:
    survey = survey_or_404(key)
    document = structure.document_of(survey)
    locale = document["default_locale"]
    errors: dict[str, str] = {}
    problems: list[str] = []
    try:
        section = edits.find_section(document, section_key) if section_key else None
    except edits.EditError:
        from flask import abort

        abort(404)
    form = request.form
    if request.method == "POST":
        new_key = form.get("key", "").strip() if section is None else section["key"]
        try:
            if section is None:
                edits.add_section(
                    document, new_key, form.get("title", ""), after=form.get("after") or None
                )
                section = edits.find_section(document, new_key)
                # A page holds at least one question: the form asks for the first one.
                first_key = form.get("first_key", "").strip()
                try:
                    first = edits.add_question(
                        document, new_key, first_key, form.get("first_type", "")
                    )
                except edits.EditError as error:
                    raise edits.EditError("first_" + error.field, str(error)) from None
                if not form.get("first_text", "").strip():
                    raise edits.EditError("first_text", _("Write the first question."))
                edits.set_text(first, "text", locale, form.get("first_text", ""))
            edits.set_text(section, "title", locale, form.get("title", ""))
            edits.set_text(section, "description", locale, form.get("description", ""))
            if form.get("condition") != "complex":
                edits.set_condition(
                    section, edits.parse_condition(document, new_key, form.get("condition", ""))
                )
        except edits.EditError as error:
            errors[error.field] = str(error)
        else:
            ok, problems = _apply(survey, document, _("The page %(key)s was saved.", key=new_key))
            if ok:
                return redirect(url_for("workspace.design", key=key) + f"#item-{new_key}"), 303
    current = section or {}
    return render_template(
        "workspace/design_section.html",
        survey=survey,
        section=section if section_key else None,
        values={
            "key": form.get("key", current.get("key", "")),
            "title": form.get("title", (current.get("title") or {}).get(locale, "")),
            "description": form.get(
                "description", (current.get("description") or {}).get(locale, "")
            ),
            "condition": form.get("condition", edits.condition_code(current.get("condition"))),
            "first_key": form.get("first_key", ""),
            "first_type": form.get("first_type", "single_choice"),
            "first_text": form.get("first_text", ""),
        },
        types=REGISTRY,
        conditions=edits.condition_choices(document, section_key or "\0"),
        errors=errors,
        problems=problems,
        locale=locale,
    ), 422 if (errors or problems) else 200


@bp.route("/surveys/<key>/design/questions/new", methods=["GET", "POST"])
@bp.route("/surveys/<key>/design/questions/<question_key>", methods=["GET", "POST"])
@roles_required(*STAFF)
def design_question(key: str, question_key: str | None = None) -> Any:
    from flask import abort

    survey = survey_or_404(key)
    document = structure.document_of(survey)
    locale = document["default_locale"]
    errors: dict[str, str] = {}
    problems: list[str] = []
    form = request.form
    section_key = request.args.get("section") or form.get("section", "")
    try:
        if question_key:
            _section, question = edits.find_question(document, question_key)
        else:
            edits.find_section(document, section_key)
            question = None
    except edits.EditError:
        abort(404)
    kind = (
        question["type"]
        if question
        else form.get("type", request.args.get("type", "single_choice"))
    )
    if kind not in REGISTRY:
        kind = "single_choice"
    if request.method == "POST":
        new_key = question["key"] if question else form.get("key", "").strip()
        try:
            if question is None:
                question = edits.add_question(document, section_key, new_key, kind)
            elif form.get("type", kind) != kind:
                edits.change_type(question, form.get("type", ""), locale)
            question_form.fill_question(document, question, form, locale, errors)
        except edits.EditError as error:
            errors[error.field] = str(error)
        if not errors:
            ok, problems = _apply(
                survey, document, _("The question %(key)s was saved.", key=new_key)
            )
            if ok:
                return redirect(url_for("workspace.design", key=key) + f"#item-{new_key}"), 303
    current = question or {"type": kind}
    return render_template(
        "workspace/design_question.html",
        survey=survey,
        question=question if question_key else None,
        kind=kind,
        type_spec=REGISTRY[kind],
        section_key=section_key,
        values=question_form.question_values(current, form, locale, document),
        conditions=edits.condition_choices(
            document, question_key or question_form.next_key(document, section_key)
        ),
        answered=question_key in structure.answered(survey) if question_key else False,
        errors=errors,
        problems=problems,
        locale=locale,
        action_themes=ACTION_THEMES,
        types=REGISTRY,
        setting_labels=question_form.setting_labels(kind),
    ), 422 if (errors or problems) else 200


@bp.route("/surveys/<key>/design/settings", methods=["GET", "POST"])
@roles_required(*STAFF)
def design_settings(key: str) -> Any:
    survey = survey_or_404(key)
    document = structure.document_of(survey)
    errors: dict[str, str] = {}
    problems: list[str] = []
    form = request.form
    if request.method == "POST":
        locales = [code for code in CONTENT_LOCALES if code in form.getlist("locales")]
        default = form.get("default_locale", "")
        if not locales:
            errors["locales"] = _("Choose at least one language.")
        elif default not in locales:
            errors["default_locale"] = _("The main language must be one of the survey's languages.")
        theme = form.get("theme", "")
        if theme not in ACTION_THEMES:
            errors["theme"] = _("Choose the action-plan theme.")
        for name in ("opens_at", "closes_at"):
            raw = form.get(name, "").strip()
            if not raw:
                document.pop(name, None)
                continue
            try:
                moment = datetime.fromisoformat(raw)
            except ValueError:
                errors[name] = _("Write a date and time such as 2027-03-01 09:00.")
                continue
            document[name] = (
                moment.replace(tzinfo=_zone()).isoformat()
                if moment.tzinfo is None
                else moment.isoformat()
            )
        if not errors:
            document["locales"], document["default_locale"], document["theme"] = (
                locales,
                default,
                theme,
            )
            ok, problems = _apply(survey, document, _("The settings were saved."))
            if ok:
                return redirect(url_for("workspace.survey", key=key)), 303
    zone = _zone()

    def local(moment: Any) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if moment else ""

    return render_template(
        "workspace/design_settings.html",
        survey=survey,
        values={
            "locales": form.getlist("locales") if form else survey.locales,
            "default_locale": form.get("default_locale", survey.default_locale),
            "theme": form.get("theme", survey.theme),
            "opens_at": form.get("opens_at", local(survey.opens_at)),
            "closes_at": form.get("closes_at", local(survey.closes_at)),
        },
        content_locales=CONTENT_LOCALES,
        action_themes=ACTION_THEMES,
        errors=errors,
        problems=problems,
    ), 422 if (errors or problems) else 200
