"""consult: a survey and consultation engine for cities and their NGOs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consult import config as config_module
from consult.auth import init_auth
from consult.extensions import babel, csrf, db, limiter, migrate
from consult.i18n import compile_catalogues, select_locale, text_direction
from consult.logs import init_logging
from consult.security import init_security

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


class Consult(Flask):
    """Flask, remembering which of its hook and view functions are plain functions: Flask
    asks each one, on every request, whether it is a coroutine (some 150 calls a page)."""

    def ensure_sync(self, func: Any) -> Any:
        known = self.__dict__.setdefault("_sync_functions", {})
        try:
            return known[func]
        except KeyError:
            made = super().ensure_sync(func)
            if len(known) < 4096:  # the app's own functions; never grows with requests
                known[func] = made
            return made
        except TypeError:  # not hashable
            return super().ensure_sync(func)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the consult application. ``config`` overrides every other source."""
    overrides = dict(config or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or config_module.instance_path_from_env()
    app = Consult(
        __name__,
        instance_path=instance_path or str(Path.cwd() / "instance"),
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config_module.load(app, overrides)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_catalogues())
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Helsinki")
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    # Flask-WTF keeps per-request CSRF state in ``g``; an app context that outlives a request
    # (the test client, a CLI that serves) must not carry it into the next one.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_request_csrf)
    limiter.init_app(app)
    init_auth(app)
    init_security(app)
    init_logging(app)

    from consult import models  # noqa: F401  (register the tables with the metadata)
    from consult.cli import register_commands
    from consult.views import register_views

    register_views(app)
    register_commands(app)
    _register_locale_hooks(app)
    return app


def _forget_request_csrf() -> None:
    g.pop("csrf_valid", None)
    g.pop("csrf_token", None)


def _register_locale_hooks(app: Flask) -> None:
    from flask_babel import get_locale, refresh

    from consult.i18n import CONTENT_LOCALES, INTERFACE_LOCALES, LOCALE_COOKIE

    @app.before_request
    def explicit_locale() -> None:
        chosen = request.args.get("lang")
        g.explicit_locale = chosen if chosen in CONTENT_LOCALES else None
        refresh()  # the locale is chosen per request, even when an app context is reused

    @app.after_request
    def remember_locale(response: Any) -> Any:
        chosen = getattr(g, "explicit_locale", None)
        if getattr(g, "keep_locale_cookie", False):
            return response  # e.g. a preview in another language: the choice is not kept
        if chosen not in (getattr(g, "allowed_locales", None) or INTERFACE_LOCALES):
            return response
        if chosen and request.cookies.get(LOCALE_COOKIE) != chosen:
            response.set_cookie(
                LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
            )
        return response

    @app.context_processor
    def locale_context() -> dict[str, Any]:
        locale = str(get_locale())
        return {"ui_locale": locale, "ui_dir": text_direction(locale)}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL and enforced foreign keys on every SQLite connection.

    The busy timeout comes from ``connect_args`` (see consult.config).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
