"""Accounts (admins only): create, change role, deactivate, reset a password, and give
reviewers their surveys."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.auth import roles_required
from consult.extensions import db
from consult.forms.workspace import EditUserForm, NewUserForm
from consult.services import accounts, audit
from consult.services.surveys import list_surveys
from consult.views.workspace import bp


@bp.route("/users/", methods=["GET", "POST"])
@roles_required("admin")
def users() -> Any:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data, form.role.data, form.password.data, form.name.data or ""
            )
        except accounts.AccountError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            audit.record("create_account", user.email, details={"role": user.role})
            db.session.commit()
            flash(_("The account %(email)s was created.", email=user.email), "success")
            return redirect(url_for("workspace.user_edit", user_id=user.id)), 303
    status = 422 if form.errors else 200
    return render_template("workspace/users.html", form=form, users=accounts.list_users()), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def user_edit(user_id: int) -> Any:
    user = accounts.get_user(user_id)
    if user is None:
        abort(404)
    surveys = [row.survey for row in list_surveys()]
    form = EditUserForm(obj=user) if request.method == "GET" else EditUserForm()
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors = [_("You cannot take away your own administrator rights.")]
        else:
            changes = {}
            if form.role.data != user.role:
                changes["role"] = [user.role, form.role.data]
                user.role = form.role.data
            user.name = (form.name.data or "").strip()
            if bool(form.active.data) != user.active:
                changes["active"] = bool(form.active.data)
                accounts.set_active(user, bool(form.active.data))
            if form.password.data:
                accounts.set_password(user, form.password.data)
                changes["password"] = "reset"
            given = {int(i) for i in request.form.getlist("survey") if i.isdigit()}
            if user.role == "reviewer":
                accounts.set_reviewer_surveys(user, [s for s in surveys if s.id in given])
                changes["surveys"] = sorted(s.key for s in surveys if s.id in given)
            else:
                accounts.set_reviewer_surveys(user, [])
            audit.record("edit_account", user.email, details=changes)
            db.session.commit()
            flash(_("The account %(email)s was saved.", email=user.email), "success")
            return redirect(url_for("workspace.users")), 303
    status = 422 if form.errors else 200
    return render_template(
        "workspace/user_edit.html",
        form=form,
        user=user,
        surveys=surveys,
        given=accounts.reviewer_survey_ids(user),
    ), status
