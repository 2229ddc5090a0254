"""Fixtures: an app on a temporary instance, on SQLite or (when CONSULT_TEST_DATABASE_URL is set)
on PostgreSQL, one database per xdist worker; small factories for surveys and organisations."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from factories import make_app
from flask import Flask
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from consult.config import normalise_database_url
from consult.extensions import db

PG_URL = os.environ.get("CONSULT_TEST_DATABASE_URL")

# Property tests measure correctness, not speed: no per-example deadline (a busy CI machine
# would otherwise fail them at random).
hypothesis_settings.register_profile("consult", deadline=None)
hypothesis_settings.load_profile("consult")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_database(suffix: str, *, fresh: bool) -> str:
    """The URL of a PostgreSQL database for this worker, created if missing (or anew)."""
    base = make_url(normalise_database_url(PG_URL))
    name = f"{base.database}_{_worker()}_{suffix}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if exists and fresh:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> str | None:
    """The shared test database of this worker (None: a SQLite file per test)."""
    return _pg_database("t", fresh=True) if PG_URL else None


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> str:
    """An empty database, for migrations and the demo."""
    if PG_URL:
        return _pg_database("fresh", fresh=True)
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def app(tmp_path: Path, database_url: str | None) -> Iterator[Flask]:
    app = make_app(tmp_path, database_url)
    with app.app_context():
        db.create_all()
        yield app
        db.session.rollback()
        db.session.remove()
        if database_url:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture(autouse=True)
def _english_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands answer in English unless a test asks otherwise."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    for name in list(os.environ):
        if name.startswith("CONSULT_") and name != "CONSULT_TEST_DATABASE_URL":
            monkeypatch.delenv(name)


@pytest.fixture
def template_surveys(app):
    """The three shipped templates, imported and open."""
    from consult.services.surveys import import_document
    from consult.survey_templates import TEMPLATES, template_document

    surveys = [import_document(template_document(name))[0] for name in TEMPLATES]
    for survey in surveys:
        survey.state = "open"
    db.session.commit()
    return surveys


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app served by Werkzeug on a free loopback port; yields its base address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


#: Where the security tests write down their "N tried, M failed" lines.
SECURITY_RESULTS = Path(__file__).resolve().parent.parent / "test-results" / "security.txt"


@pytest.fixture
def tally(request):
    """``tally(tried, failed)`` at the end of a security test: printed (``-s``), written to
    test-results/security.txt, and failing the test when anything failed."""

    def record(tried: int, failed: list[str]) -> None:
        line = f"{request.node.name}: {tried} tried, {len(failed)} failed"
        print(line)
        SECURITY_RESULTS.parent.mkdir(exist_ok=True)
        with SECURITY_RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        assert not failed, failed[:10]

    return record
