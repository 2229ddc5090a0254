"""Security headers, the health check, and caching of pages with personal data."""

from __future__ import annotations

import pytest
from factories import make_organisation, make_survey

from consult.services import invitations


@pytest.fixture
def link(app):
    survey = make_survey()
    survey.state = "open"
    return "/r/" + invitations.invite(survey, [make_organisation()])[0].token


def test_every_page_has_the_security_headers(client, link) -> None:
    for path in ("/", "/surveys/test-survey", link, "/login", "/healthz", "/no/such/page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_hsts_over_https(client) -> None:
    headers = client.get("/", base_url="https://consult.example.org").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_with_personal_data_are_not_cached(client, link) -> None:
    assert client.get(link).headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_the_health_check_reports_the_database(client, app, monkeypatch) -> None:
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.json == {"status": "ok", "database": "ok"}
    import sqlalchemy as sa

    from consult.extensions import db

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("gone"))

    monkeypatch.setattr(db.session, "execute", broken)
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["status"] == "unavailable"
