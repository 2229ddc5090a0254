"""Logs: one JSON line per request with its id and route pattern, never a survey link's
token, a query or a form; an error shows a plain page with the request's id, no traceback."""

from __future__ import annotations

import json
import logging

from factories import make_app, make_organisation, make_survey

from consult.extensions import db
from consult.logs import JsonFormatter
from consult.services import invitations


def test_a_request_is_logged_by_its_route_and_id(app, client, caplog) -> None:
    survey = make_survey()
    survey.state = "open"
    token = invitations.invite(survey, [make_organisation("Salainen ry")])[0].token
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        response = client.get(
            f"/r/{token}?lang=fi&secret=x", headers={"X-Request-ID": "abc-12345678"}
        )
    assert response.headers["X-Request-ID"] == "abc-12345678"
    record = next(r for r in caplog.records if r.getMessage() == "request")
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["route"] == "/r/<token>" and entry["status"] == 200
    assert entry["request_id"] == "abc-12345678" and entry["method"] == "GET"
    assert token not in line and "secret" not in line and "Salainen" not in line
    bad = client.get("/", headers={"X-Request-ID": "x; rm -rf /"})
    assert bad.headers["X-Request-ID"] != "x; rm -rf /" and len(bad.headers["X-Request-ID"]) == 32


def test_an_error_shows_a_plain_page_without_a_traceback(tmp_path, database_url) -> None:
    app = make_app(tmp_path, database_url)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():  # pragma: no cover - the error is the point
        raise RuntimeError("secret detail")

    with app.app_context():
        db.create_all()
        response = app.test_client().get("/boom")
        page = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "Traceback" not in page and "secret detail" not in page
        assert response.headers["X-Request-ID"] in page
        db.session.remove()
        db.engine.dispose()
