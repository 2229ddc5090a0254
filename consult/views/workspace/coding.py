"""Coding open answers in the workspace: the codes of each open question, the answers with
their codes and quote choice, search."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from consult.auth import STAFF, roles_required
from consult.services import coding
from consult.views.workspace import bp, survey_or_404


@bp.route("/surveys/<key>/coding/")
@roles_required(*STAFF)
def coding_questions(key: str) -> Any:
    survey = survey_or_404(key)
    rows = [
        (q, len(coding.answers(q)), len(coding.codes(q))) for q in coding.open_questions(survey)
    ]
    return render_template("workspace/coding_questions.html", survey=survey, rows=rows)


@bp.route("/surveys/<key>/coding/<question_key>", methods=["GET", "POST"])
@roles_required(*STAFF)
def coding_answers(key: str, question_key: str) -> Any:
    survey = survey_or_404(key)
    question = coding.open_question(survey, question_key)
    if question is None:
        abort(404)
    search = request.args.get("q", "").strip()[:200]
    error = None
    if request.method == "POST":
        if request.form.get("action") == "add_code":
            try:
                coding.add_code(question, request.form.get("code", ""), str(get_locale()))
            except coding.CodingError as problem:
                error = str(problem)
            else:
                flash(_("The code was added."), "success")
                return redirect(
                    url_for(
                        "workspace.coding_answers", key=key, question_key=question_key, q=search
                    )
                ), 303
        else:
            given = {}
            for raw in request.form.getlist("response"):
                if raw.isdigit():
                    rid = int(raw)
                    chosen = {int(c) for c in request.form.getlist(f"codes-{rid}") if c.isdigit()}
                    given[rid] = (chosen, request.form.get(f"quote-{rid}") == "y")
            changed = coding.save(question, given)
            flash(
                ngettext("%(num)d answer changed.", "%(num)d answers changed.", changed), "success"
            )
            return redirect(
                url_for("workspace.coding_answers", key=key, question_key=question_key, q=search)
            ), 303
    rows = coding.answers(question, search)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    shown = rows[(page - 1) * coding.PAGE_SIZE : page * coding.PAGE_SIZE]
    return render_template(
        "workspace/coding_answers.html",
        survey=survey,
        question=question,
        codes=coding.codes(question),
        rows=shown,
        found=len(rows),
        page=page,
        pages=max(1, -(-len(rows) // coding.PAGE_SIZE)),
        search=search,
        error=error,
        counts=coding.counts(question),
    ), 422 if error else 200
