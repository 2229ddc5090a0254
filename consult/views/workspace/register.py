"""The register of organisations: list, search and filter, create and edit, import with a
dry run, likely duplicates, export."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.auth import STAFF, roles_required
from consult.forms.workspace import ImportForm, OrganisationForm
from consult.services import progress, register
from consult.services.organisations import COLUMNS, ImportRefused
from consult.services.surveys import SurveyNotFound, get_survey, list_surveys
from consult.views.workspace import bp
from consult.views.workspace.rounds import status_label


def _filters() -> register.Filters:
    return register.Filters.from_args(request.args, _survey_filter(request.args.get("survey", "")))


def _survey_filter(key: str) -> Any:
    if not key:
        return None
    try:
        return get_survey(key)
    except SurveyNotFound:
        return None


@bp.route("/organisations/")
@roles_required(*STAFF)
def organisations() -> Any:
    filters = _filters()
    found = register.search(filters)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(found) // register.PAGE_SIZE))
    page = min(page, pages)
    shown = found[(page - 1) * register.PAGE_SIZE : page * register.PAGE_SIZE]
    return render_template(
        "workspace/organisations.html",
        organisations=shown,
        found=len(found),
        filters=filters,
        page=page,
        pages=pages,
        surveys=[row.survey for row in list_surveys()],
        statuses=progress.STATUSES,
        status_label=status_label,
    )


@bp.route("/organisations/export.csv")
@roles_required(*STAFF)
def organisations_export() -> Any:
    text = register.export_csv(register.search(_filters()))
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="organisations.csv"'},
    )


def _apply_problems(form: OrganisationForm, problems: list[Any]) -> None:
    for problem in problems:
        field = getattr(form, problem.column, None)
        if field is None:
            field = form.name
        field.errors = [*list(field.errors), problem.message]


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def organisation_new() -> Any:
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation, problems = register.save(form.as_row())
        if organisation is not None:
            flash(_("%(name)s was added to the register.", name=organisation.name), "success")
            return redirect(url_for("workspace.organisations")), 303
        _apply_problems(form, problems)
    status = 422 if form.errors else 200
    return render_template("workspace/organisation_form.html", form=form, organisation=None), status


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def organisation_edit(organisation_id: int) -> Any:
    organisation = register.get(organisation_id)
    if organisation is None:
        abort(404)
    if request.method == "GET":
        row = register.as_row(organisation)
        form = OrganisationForm(
            formdata=None,
            data={
                **row,
                "languages": organisation.languages or [],
                "districts": organisation.districts or [],
            },
        )
    else:
        form = OrganisationForm()
        if form.validate_on_submit():
            saved, problems = register.save(form.as_row(), organisation)
            if saved is not None:
                flash(_("The changes to %(name)s were saved.", name=saved.name), "success")
                return redirect(url_for("workspace.organisations")), 303
            _apply_problems(form, problems)
    status = 422 if form.errors else 200
    return render_template(
        "workspace/organisation_form.html", form=form, organisation=organisation
    ), status


@bp.route("/organisations/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def organisations_import() -> Any:
    """Upload → dry run (every problem, located; or what would be added) → confirm.
    The checked file waits in the instance folder under a random name kept in the session."""
    form = ImportForm()
    checked = problems = None
    filename = ""
    if form.validate_on_submit():
        upload = form.file.data
        filename = Path(upload.filename or "upload").name[:200]
        folder = Path(current_app.instance_path) / "imports"
        folder.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, delete=False, suffix=Path(filename).suffix
        ) as handle:
            upload.save(handle)
        checked, problems = register.check_file(handle.name, filename)
        if problems:
            Path(handle.name).unlink(missing_ok=True)
        else:
            session["register_import"] = {"path": handle.name, "filename": filename}
    status = 422 if (form.errors or problems) else 200
    return render_template(
        "workspace/organisations_import.html",
        form=form,
        checked=checked,
        problems=problems,
        filename=filename,
        columns=COLUMNS,
    ), status


@bp.route("/organisations/import/confirm", methods=["POST"])
@roles_required(*STAFF)
def organisations_import_confirm() -> Any:
    pending = session.pop("register_import", None)
    if not pending or not Path(pending["path"]).is_file():
        flash(_("There is no checked file waiting to be imported. Upload it again."), "warning")
        return redirect(url_for("workspace.organisations_import")), 303
    path = Path(pending["path"])
    try:
        created = register.import_file(path, pending["filename"])
    except ImportRefused as refused:
        # The register changed since the dry run (e.g. someone added the same name).
        return render_template(
            "workspace/organisations_import.html",
            form=ImportForm(formdata=None),
            checked=None,
            problems=refused.problems,
            filename=pending["filename"],
            columns=COLUMNS,
        ), 422
    finally:
        path.unlink(missing_ok=True)
    flash(
        ngettext(
            "%(num)d organisation was added.", "%(num)d organisations were added.", len(created)
        ),
        "success",
    )
    return redirect(url_for("workspace.organisations")), 303


@bp.route("/organisations/duplicates")
@roles_required(*STAFF)
def organisations_duplicates() -> Any:
    return render_template("workspace/duplicates.html", groups=register.likely_duplicates())
