"""The database cannot be reached (restarting, refusing connections) or a read waited past the
lock timeout: whatever view was running, the respondent gets a plain 503 page, and a form
that was posted comes back as hidden fields with a button that sends exactly the same
submission again — nothing typed is lost.

The page is rendered without touching the database: the session is only rolled back, and the
signed-in user (whom Flask-Login would load from the database for every template) is not
looked up.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, g, render_template, request
from flask_babel import refresh
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from consult.extensions import db
from consult.i18n import CONTENT_LOCALES
from consult.services.transactions import StorageBusy

#: What the Retry-After header tells browsers and proxies (seconds).
RETRY_AFTER_SECONDS = 5
#: The respondent's pages: offered in every language a survey can be in.
RESPONDENT_BLUEPRINTS = frozenset({"respond", "open_link"})
#: The field in which a respondent's form says what language its page was in.
SHOWN_IN = "shown_in"
#: SQLite reports some mistakes in the SQL itself as OperationalError: those stay errors (500).
_SQLITE_MISTAKES = ("no such ", "syntax error", "has no column", 'near "')


def register(app: Flask) -> None:
    # OperationalError is a DBAPIError: one handler, which decides (see _is_unavailable).
    app.register_error_handler(DBAPIError, database_unavailable)
    app.register_error_handler(StorageBusy, database_unavailable)


def _is_unavailable(error: Exception) -> bool:
    if isinstance(error, StorageBusy):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.orig, sqlite3.OperationalError):
        message = str(error.orig).lower()
        return not any(mistake in message for mistake in _SQLITE_MISTAKES)
    return True


def database_unavailable(error: Exception) -> Any:
    if not _is_unavailable(error):
        raise error  # any other database error is a plain server error (500), logged as one
    with contextlib.suppress(Exception):  # the database may be gone: so may the rollback
        db.session.rollback()
    # Rendering a template would load the signed-in user from the database: not now.
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()
    # What the database said (its first line: never the statement or its values), so that an
    # operator can tell a restart from a full disk.
    said = str(getattr(error, "orig", None) or "").strip().splitlines()[:1]
    current_app.logger.warning(
        "the database is unavailable: %s %s", type(error).__name__, said[0][:200] if said else ""
    )
    if not getattr(g, "allowed_locales", None) and request.blueprint in RESPONDENT_BLUEPRINTS:
        g.allowed_locales = list(CONTENT_LOCALES)  # the survey's own could not be read
        # The language the page was shown in, which the respondent's forms post with them
        # (it may have come from the invitation, which could not be read now either).
        shown_in = posted_form().get(SHOWN_IN) if request.method == "POST" else None
        if shown_in in CONTENT_LOCALES:
            g.invitation_locale = shown_in  # ranked as the invitation's: kept in no cookie
    refresh()

    context: dict[str, Any] = {
        "mode": "plain",
        "action": same_url(),
        "request_id": g.get("request_id", ""),
    }
    if request.method == "POST":
        if request.mimetype == "multipart/form-data":
            context.update(mode="file", back=_back_url())
        elif request.mimetype == "application/x-www-form-urlencoded":
            form = posted_form()
            context.update(
                mode="form",
                fields=[(n, v) for n, v in form.items(multi=True) if not _secret(n)],
                passwords=list(
                    dict.fromkeys(n for n, v in form.items(multi=True) if _secret(n) and v)
                ),
                password_autocomplete=(
                    "current-password" if request.endpoint == "auth.login" else "new-password"
                ),
            )
    response = current_app.make_response((render_template("unavailable.html", **context), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _secret(name: str) -> bool:
    """A password is never written back into a page. The respondent's pages have none:
    everything posted there is an answer, and a question may well be about passwords
    ("q_password_policy")."""
    return request.blueprint not in RESPONDENT_BLUEPRINTS and "password" in name.lower()


def posted_form() -> MultiDict:
    try:
        return request.form
    except HTTPException:  # a body that cannot be read as a form: nothing to keep
        return MultiDict()


def same_url() -> str:
    """The address of this request, with its query string, as it can go into a page."""
    path = _on_this_site(quote(request.script_root + request.path, safe="/:@!$&'()*+,;=-._~"))
    query = request.query_string.decode("latin-1")
    return f"{path}?{query}" if query else path


def _back_url() -> str:
    """The page the form was on (when the browser said, and it is on this site)."""
    referrer = request.referrer or ""
    if referrer.startswith(request.host_url):
        return _on_this_site(referrer[len(request.host_url) :])
    return same_url()


def _on_this_site(path: str) -> str:
    """``path`` with one leading slash: "//other.site/…" (or "/\\other.site/…", which
    browsers read the same way) would be another site's address."""
    return "/" + path.lstrip("/\\")
