"""Signing in to and out of the workspace."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.extensions import limiter
from consult.forms.workspace import LoginForm
from consult.services import accounts, audit

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("workspace.home")


def _account_key() -> str:
    return "login:" + accounts.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_LIMIT"], methods=["POST"], key_func=_account_key
)
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            # A new session from scratch: nothing of the anonymous session carries over.
            session.clear()
            user.session_token = accounts.start_session(user)
            login_user(user)
            audit.record("sign_in", user.email)
            from consult.extensions import db

            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    status = 200 if not (form.errors or failed) else 422
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.errorhandler(429)
def too_many(error: Exception) -> Any:
    form = LoginForm(formdata=None, email=request.form.get("email", ""))
    return render_template("auth/login.html", form=form, failed=False, throttled=True), 429


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    token = current_user.session_token
    logout_user()
    accounts.end_session(token)
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))
