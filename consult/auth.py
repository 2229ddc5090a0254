"""Signing in to the workspace: Flask-Login wired to server-side login sessions, the session
cookie's Secure flag, and the role checks every workspace view declares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from itsdangerous import URLSafeTimedSerializer

from consult.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Sign in to continue.")
login_manager.login_message_category = "info"

F = TypeVar("F", bound=Callable[..., Any])


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session whose cookie is Secure whenever the request came over
    HTTPS (and always when SESSION_COOKIE_SECURE is set, as in production)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, made once per set of keys rather than twice per request."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = self._serializers.get(keys)
        if cached is None:
            cached = super().get_signing_serializer(app)
            self._serializers = {keys: cached}  # a new key replaces the old one
        return cached

    _serializers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}


def _idle(app: Flask) -> timedelta:
    return timedelta(minutes=int(app.config["WORKSPACE_IDLE_MINUTES"]))


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    from flask import current_app

    from consult.services.accounts import session_user

    user = session_user(token, _idle(current_app))
    if user is not None:
        user.session_token = token  # type: ignore[attr-defined]
    return user


def init_auth(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=12))
    # Templates get the lazy ``current_user`` proxy rather than Flask-Login's context
    # processor, which loads the user for every page rendered: the respondent's pages never
    # ask who is signed in.
    login_manager.init_app(app, add_context_processor=False)
    app.context_processor(lambda: {"current_user": current_user})


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in accounts with one of ``roles``; others are sent to the login page
    (not signed in) or get 403 (signed in without the right)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        checked.roles = roles  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


STAFF = ("admin", "coordinator")
EVERYONE = ("admin", "coordinator", "reviewer")
