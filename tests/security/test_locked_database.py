"""The database held locked past the lock timeout, with consult under gunicorn: the
respondent gets the page back with what they typed and a plain message (503); once the lock
is gone, sending the page again stores it, and submitting stores exactly one response."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import sqlalchemy as sa
from factories import make_app, make_organisation, survey_document

from consult.cli import init_database
from consult.extensions import db
from consult.models import Response
from consult.services import invitations
from consult.services.surveys import import_document

from .server import start


def _hold_lock(url: str, held: threading.Event, release: threading.Event) -> None:
    """Hold the write lock of the answers (SQLite: of the whole database; PostgreSQL: of the
    tables of responses, which may still be read) until ``release`` is set."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            connection.exec_driver_sql("BEGIN")
            connection.exec_driver_sql("LOCK TABLE response, answer, invitation IN EXCLUSIVE MODE")
        held.set()
        release.wait(timeout=30)
        connection.exec_driver_sql("ROLLBACK")
    engine.dispose()


def test_a_locked_database_brings_the_page_back_and_a_retry_stores_one(
    tmp_path, fresh_database_url, tally
) -> None:
    app = make_app(tmp_path, fresh_database_url)
    with app.app_context():
        init_database()
        survey, _warnings = import_document(survey_document(key="locked"))
        survey.state = "open"
        db.session.commit()
        token = invitations.invite(survey, [make_organisation("Lukittu ry")])[0].token
        url, secret = app.config["SQLALCHEMY_DATABASE_URI"], app.config["SECRET_KEY"]
        db.session.remove()
        db.engine.dispose()
    server, base = start(tmp_path / "instance", url, secret, LOCK_TIMEOUT_MS=400)
    failed: list[str] = []
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = opener.open(f"{base}/r/{token}/p/first?lang=en").read().decode()
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        typed = {
            "csrf_token": csrf,
            "action": "next",
            "q_size": "large",
            "q_plan": "yes",
            "q_plan_year": "2019",
        }
        held, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(url, held, release))
        holder.start()
        held.wait(timeout=10)
        try:
            opener.open(f"{base}/r/{token}/p/first", urllib.parse.urlencode(typed).encode())
            failed.append("the save went through while the database was locked")
        except urllib.error.HTTPError as error:
            body = error.read().decode()
            if error.code != 503:
                failed.append(f"status {error.code}, not 503")
            if 'value="2019"' not in body or not re.search(
                r'value="large"[^>]*checked|checked[^>]*value="large"', body
            ):
                failed.append("the page did not come back with what was typed")
            if "press the button again" not in body:
                failed.append("no plain message")
        finally:
            release.set()
            holder.join(timeout=30)
        again = opener.open(f"{base}/r/{token}/p/first", urllib.parse.urlencode(typed).encode())
        if "/p/second" not in again.geturl() and "/review" not in again.geturl():
            failed.append(f"the retry did not move on: {again.geturl()}")
        for _ in range(2):  # a double click
            opener.open(
                f"{base}/r/{token}/submit", urllib.parse.urlencode({"csrf_token": csrf}).encode()
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    with app.app_context():
        stored = db.session.scalars(sa.select(Response)).all()
        if [r.status for r in stored] != ["submitted"]:
            failed.append(f"stored: {[r.status for r in stored]}")
        db.session.remove()
        db.engine.dispose()
    tally(6, failed)
