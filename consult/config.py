"""Configuration: defaults, then ``instance/config.py``, then ``CONSULT_*`` variables."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "CONSULT_"


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "DATABASE_URL": None,  # None: SQLite file consult.db in the instance folder
    #: How long a write waits for a lock: SQLite's busy timeout, PostgreSQL's lock_timeout.
    "LOCK_TIMEOUT_MS": 5000,
    "DEFAULT_LOCALE": "fi",
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    #: The public address of consult, for links in invitations (never taken from a request).
    "BASE_URL": "http://127.0.0.1:5000",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    #: Failed look-ups of a survey link allowed per address.
    "LINK_GUESS_LIMIT": "20 per minute",
    #: Organisations one address may register through open links.
    "REGISTRATION_LIMIT": "20 per hour",
    #: Reports hide groups and cells of 1 to k-1 respondents (never below 3).
    "REPORT_MIN_GROUP": 5,
    #: Sign-in attempts allowed per address, and per account e-mail.
    "LOGIN_LIMIT": "10 per minute",
    "LOGIN_ACCOUNT_LIMIT": "5 per minute",
    #: A workspace session ends after this long without a request.
    "WORKSPACE_IDLE_MINUTES": 120,
    #: Invitations and reminders: SMTP server (None: messages go to instance/outbox/ as .eml).
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "consult <consult@localhost>",
    #: Logs: JSON lines on standard error (see consult/logs.py).
    "LOG_LEVEL": "INFO",
}


def instance_path_from_env() -> str | None:
    """The instance folder named by ``CONSULT_INSTANCE_PATH``, made absolute."""
    value = os.environ.get(ENV_PREFIX + "INSTANCE_PATH")
    return str(Path(value).resolve()) if value else None


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given without a driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


#: Settings read from the environment as text, never converted.
TEXT_SETTINGS = frozenset(
    {
        "SECRET_KEY",
        "DATABASE_URL",
        "SQLALCHEMY_DATABASE_URI",
        "BASE_URL",
        "ENV",
        "MAIL_SERVER",
        "MAIL_USERNAME",
        "MAIL_PASSWORD",
        "MAIL_FROM",
        "LOG_LEVEL",
    }
)


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill ``app.config`` in order: defaults, instance/config.py, environment, overrides.

    ``SQLALCHEMY_DATABASE_URI`` is accepted as another name of ``DATABASE_URL`` in every
    layer, and a later layer wins whichever name it uses.
    """
    app.config.from_mapping(DEFAULTS)
    layers = [
        lambda: app.config.from_pyfile("config.py", silent=True),
        lambda: app.config.from_mapping(_environment()),
        lambda: app.config.from_mapping(overrides or {}),
    ]
    for apply in layers:
        apply()
        if app.config.get("SQLALCHEMY_DATABASE_URI"):
            app.config["DATABASE_URL"] = app.config.pop("SQLALCHEMY_DATABASE_URI")

    url = app.config.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "consult.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    lock_ms = int(app.config["LOCK_TIMEOUT_MS"])
    if url.startswith("sqlite"):
        # A file has no server to go away: checking a connection before each use (a
        # SELECT 1 on every request) would find nothing.
        options.setdefault("connect_args", {"timeout": lock_ms / 1000})
    else:
        options.setdefault("pool_pre_ping", True)  # a restarted server's connections are replaced
        if url.startswith("postgres"):
            options.setdefault("connect_args", {"options": f"-c lock_timeout={lock_ms}"})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config["SECRET_KEY"] = _secret_key(app)
    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True


def _environment() -> dict[str, Any]:
    """``CONSULT_*`` variables: JSON values (numbers, true/false, objects) are typed, anything
    else is text; secrets, addresses and the environment name always stay text."""
    settings: dict[str, Any] = {}
    for name, raw in os.environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_PREFIX + "INSTANCE_PATH":
            continue
        key = name[len(ENV_PREFIX) :]
        if key.startswith("TEST_"):
            continue
        if key in TEXT_SETTINGS:
            settings[key] = raw
            continue
        try:
            settings[key] = json.loads(raw)
        except ValueError:
            settings[key] = raw
    return settings


def _secret_key(app: Flask) -> str:
    key = app.config.get("SECRET_KEY")
    if key is not None and str(key) != "":
        return str(key)
    if app.config["ENV"] == "production":
        raise ConfigError(
            "CONSULT_SECRET_KEY is not set. In production consult needs a fixed secret key: "
            "set CONSULT_SECRET_KEY to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`) or put "
            "SECRET_KEY = '...' in instance/config.py."
        )
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written whole to a private file, then linked into place: a process starting at the
    # same moment either sees no file or the complete key, never half of one.
    temporary = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:  # another process was first: use its key
        key = path.read_text(encoding="utf-8").strip()
    finally:
        temporary.unlink()
    return key
