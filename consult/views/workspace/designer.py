"""The survey designer: new surveys, wording in every language side by side, and a preview
as a respondent sees it that stores nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.auth import STAFF, roles_required
from consult.forms.workspace import NewSurveyForm
from consult.services import designer
from consult.services.surveys import SurveyNotFound, get_survey, list_surveys
from consult.survey_file import SurveyFileError
from consult.survey_templates import TEMPLATES
from consult.views.workspace import bp, survey_or_404

KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"  # as the survey file's own rule


class _FieldMissing(Exception):
    """A field the chosen way of starting needs is missing (its error is on the form)."""


@bp.route("/surveys/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def survey_new() -> Any:
    import re

    form = NewSurveyForm()
    surveys = [row.survey for row in list_surveys()]
    form.template.choices = [(name, name) for name in TEMPLATES]
    form.source.choices = [(s.key, s.key) for s in surveys]
    problems: list[str] = []
    if form.validate_on_submit():
        key = (form.key.data or "").strip()
        title = (form.title.data or "").strip()
        start = form.start.data
        if (start != "file" or key) and not re.match(KEY_PATTERN, key):
            form.key.errors = [_("Write a key of letters a–z, digits and hyphens.")]
        else:
            try:
                if start == "blank":
                    if not title:
                        form.title.errors = [_("Write the survey's title.")]
                        raise _FieldMissing
                    main = form.locale.data
                    others = [code for code in ("fi", "sv", "en") if code != main]
                    survey = designer.blank(key, title, form.theme.data, [main, *others], main)
                    notes: list[Any] = []
                elif start == "template":
                    survey = designer.from_template(form.template.data, key, title)
                    notes = []
                elif start == "copy":
                    try:
                        source = get_survey(form.source.data or "")
                    except SurveyNotFound:
                        form.source.errors = [_("Choose an earlier survey.")]
                        raise _FieldMissing from None
                    survey = designer.next_wave(source, key, title)
                    notes = []
                else:
                    upload = form.file.data
                    if not upload or not upload.filename:
                        form.file.errors = [_("Choose a file to import.")]
                        raise _FieldMissing
                    filename = Path(upload.filename).name[:200]
                    folder = Path(current_app.instance_path) / "imports"
                    folder.mkdir(exist_ok=True)
                    with tempfile.NamedTemporaryFile(
                        dir=folder, suffix=Path(filename).suffix, delete=False
                    ) as handle:
                        upload.save(handle)
                    try:
                        survey, notes = designer.from_file(
                            handle.name, filename, key=key or None, theme=form.theme.data
                        )
                    finally:
                        Path(handle.name).unlink(missing_ok=True)
            except _FieldMissing:
                pass
            except SurveyFileError as error:
                problems = [p.located(error.source or "") for p in error.problems]
            else:
                flash(_("The survey %(key)s was created as a draft.", key=survey.key), "success")
                if notes:  # the import report, shown once (too long for a flashed message)
                    lines = [
                        n.located(filename) if hasattr(n, "located") else str(n) for n in notes
                    ]
                    return render_template(
                        "workspace/import_report.html", survey=survey, notes=lines
                    )
                return redirect(url_for("workspace.survey", key=survey.key)), 303
    status = 422 if (form.errors or problems) else 200
    return render_template("workspace/survey_new.html", form=form, problems=problems), status


@bp.route("/surveys/<key>/texts", methods=["GET", "POST"])
@roles_required(*STAFF)
def survey_texts(key: str) -> Any:
    survey = survey_or_404(key)
    problems: list[str] = []
    if request.method == "POST":
        changes = {}
        for name, value in request.form.items():
            if name.startswith("t|"):
                _prefix, ref, locale = [*name.split("|"), "", ""][:3]
                changes[(ref, locale)] = value
        changed, problems = designer.change_wording(survey, changes)
        if not problems:
            flash(
                _("%(count)d texts were changed.", count=changed)
                if changed
                else _("Nothing was changed."),
                "success",
            )
            return redirect(
                url_for("workspace.survey_texts", key=key, only=request.args.get("only", ""))
            ), 303
    items = designer.wordings(survey)
    missing = designer.untranslated(survey, items)
    only = request.args.get("only", "")
    shown = items
    if only in missing:
        refs = {w.ref for w in missing[only]}
        shown = [w for w in items if w.ref in refs]
    return render_template(
        "workspace/survey_texts.html",
        survey=survey,
        items=shown,
        missing=missing,
        only=only,
        problems=problems,
        submitted=request.form if problems else None,
    ), 422 if problems else 200


@bp.route("/surveys/<key>/questionnaire.<kind>")
@roles_required(*STAFF)
def survey_download(key: str, kind: str) -> Any:
    """The questionnaire as a survey file (YAML) or an XLSForm workbook."""
    from flask import Response

    from consult.services.surveys import export_document
    from consult.survey_file import dump

    survey = survey_or_404(key)
    headers = {"Content-Disposition": f'attachment; filename="{survey.key}.{kind}"'}
    if kind == "yaml":
        text = dump(export_document(survey))
        return Response(text, mimetype="application/yaml", headers=headers)
    if kind == "xlsx":
        from consult.services.xlsform import XLSX_MIMETYPE, export_xlsform

        return Response(export_xlsform(survey), mimetype=XLSX_MIMETYPE, headers=headers)
    abort(404)
