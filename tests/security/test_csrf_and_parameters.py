"""CSRF on every state-changing route of the URL map, and SQL-looking or odd input in every
query parameter of every page: a 4xx or a literal match, never an error, never a delay."""

from __future__ import annotations

import hashlib
import time

import sqlalchemy as sa
from factories import answer, make_organisation, make_survey
from workspace_helpers import make_user, sign_in

from consult.extensions import db
from consult.services import invitations

PAYLOADS = [
    "' OR '1'='1",
    "1; SELECT pg_sleep(5)--",
    "'; DROP TABLE survey; --",
    "1 UNION SELECT email, password_hash FROM user_account",
    "%",
    "_",
    "\\",
    "[]",
    "{}",
    "-1",
    "999999999999999999999",
    "NULL",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "../../etc/passwd",
    "ä" * 300,
]
PARAMETERS = [
    "q",
    "theme_group",
    "size",
    "language",
    "district",
    "survey",
    "status",
    "page",
    "by",
    "rlang",
    "theme",
    "lang",
    "section",
    "type",
    "only",
    "kind",
]


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.name in ("login_session", "audit_entry", "user_account"):
            continue  # signing in writes these by design
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{rows!r}".encode())
    return digest.hexdigest()


def _world(app):
    survey = make_survey()
    survey.state = "open"
    survey.open_link = True
    db.session.commit()
    organisation = make_organisation("Kohde ry")
    token = invitations.invite(survey, [organisation])[0].token
    # A draft, so that submitting gets as far as the CSRF check (without one it redirects).
    from consult.services import answering

    answering.response_for(invitations.find(token), "fi")
    db.session.commit()
    for i in range(6):
        answer(survey, make_organisation(f"Vastaaja {i} ry"), {"size": "small", "name": f"V{i}"})
    make_user("admin")
    return survey, token, organisation


def _url(app, rule, survey, token, organisation) -> str:
    from flask import url_for

    values = {
        "key": survey.key,
        "token": token,
        "section_key": "first",
        "organisation_id": organisation.id,
        "user_id": 1,
        "name": "20261122T120000-0123abcd.eml",
        "question_key": "name",
        "chart_key": "size",
        "fmt": "svg",
        "kind": "csv",
        "filename": "consult.css",
    }
    with app.test_request_context():
        return url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(app, tally) -> None:
    survey, token, organisation = _world(app)
    client = app.test_client()
    sign_in(client, "admin@example.org")
    tried, failed = 0, []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            url = _url(app, rule, survey, token, organisation)
            before = _fingerprint()
            response = client.open(
                url, method=method, data={"state": "closed", "q_size": "large", "action": "next"}
            )
            tried += 1
            if response.status_code != 400 or _fingerprint() != before:
                failed.append(f"{method} {url}: {response.status_code}")
    assert tried >= 20
    tally(tried, failed)


def test_odd_input_in_every_query_parameter_is_harmless(app, tally) -> None:
    survey, token, organisation = _world(app)
    client = app.test_client()
    sign_in(client, "admin@example.org")
    tried, failed = 0, []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout"):
            continue
        url = _url(app, rule, survey, token, organisation)
        for payload in PAYLOADS:  # every parameter at once carries the payload
            for parameter in ["*"]:
                started = time.perf_counter()
                response = client.get(url, query_string=dict.fromkeys(PARAMETERS, payload))
                elapsed = time.perf_counter() - started
                tried += 1
                page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
                if response.status_code >= 500 or elapsed > 2.5:
                    failed.append(
                        f"{url}?{parameter}={payload!r}: {response.status_code} in {elapsed:.1f} s"
                    )
                elif "<script>alert(1)</script>" in page or (
                    ">49<" in page and payload == "{{7*7}}"
                ):
                    failed.append(f"{url}?{parameter}={payload!r}: shown unescaped")
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(db.metadata.tables["survey"])) == 1
    )
    tally(tried, failed)
