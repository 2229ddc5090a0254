"""A survey's open link: a new organisation registers with its profile, then answers."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from factories import make_organisation
from test_respond import checked, csrf_token

from consult.extensions import db
from consult.models import Organisation, Response
from consult.services import invitations
from consult.services.surveys import import_document
from consult.survey_templates import template_document

PROFILE = {
    "q_org_theme_group": "culture",
    "q_org_size": "volunteers",
    "q_org_languages": ["fi", "so"],
    "q_org_districts": ["eastern"],
    "q_org_city_funding": "no",
}


@pytest.fixture
def survey(app, client):
    client.set_cookie("consult_lang", "en")
    survey, _ = import_document(template_document("volunteering"))
    survey.state = "open"
    survey.open_link = True
    db.session.commit()
    return survey


def register(client, data, token=None):
    form = {
        "csrf_token": token or csrf_token(client, "/s/volunteering-2026"),
        "action": "next",
        **data,
    }
    return client.post("/s/volunteering-2026", data=form)


def test_a_new_organisation_registers_and_gets_its_own_link(client, survey) -> None:
    page = client.get("/s/volunteering-2026").get_data(as_text=True)
    assert "Name of the organisation" in page and "How your answers are used" in page
    response = register(
        client,
        {"name": "Itäkeskuksen somaliyhdistys ry", "contact_email": "aino@example.org", **PROFILE},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/r/" in location and "new=1" in location
    token = location.split("/r/")[1].split("?")[0]
    organisation = db.session.scalar(sa.select(Organisation))
    assert (organisation.name, organisation.theme_group, organisation.size) == (
        "Itäkeskuksen somaliyhdistys ry",
        "culture",
        "volunteers",
    )
    assert organisation.languages == ["fi", "so"] and organisation.city_funded is False
    assert organisation.contacts[0].email == "aino@example.org"
    assert invitations.find(token).organisation_id == organisation.id
    start = client.get(location).get_data(as_text=True)
    assert "your organisation's own link" in start
    assert "Continue where you left off" in start
    row = db.session.scalar(sa.select(Response))
    assert {a.question.key for a in row.answers} >= {"org_theme_group", "org_size", "org_languages"}


def test_mistakes_come_back_with_the_input_and_nothing_is_stored(client, survey) -> None:
    response = register(
        client, {"name": "", "business_id": "1234567-8", "q_org_size": "volunteers"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'href="#name"' in page and 'href="#business_id"' in page
    assert 'href="#q_org_theme_group-0"' in page
    assert checked(page, "q_org_size") == ["volunteers"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_an_organisation_in_the_register_cannot_register_again(client, survey) -> None:
    make_organisation("Kallion perheyhdistys ry")
    response = register(client, {"name": "kallion perheyhdistys ry", **PROFILE})
    assert response.status_code == 422
    assert "already in the register" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_an_expired_token_keeps_what_was_typed(client, survey) -> None:
    response = register(client, {"name": "Uusi yhdistys ry", **PROFILE}, token="stale")
    assert response.status_code == 400
    assert 'value="Uusi yhdistys ry"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_switching_language_keeps_what_was_typed(client, survey) -> None:
    response = register(client, {"name": "Uusi yhdistys ry", **PROFILE, "action": "lang:sv"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="sv"' in page
    assert 'value="Uusi yhdistys ry"' in page and checked(page, "q_org_size") == ["volunteers"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_a_survey_without_an_open_link_has_none(client, survey) -> None:
    survey.open_link = False
    db.session.commit()
    assert client.get("/s/volunteering-2026").status_code == 404
    assert client.get("/s/nope").status_code == 404


def test_registering_is_throttled(client, app, survey) -> None:
    app.config["REGISTRATION_LIMIT"] = "2 per hour"
    token = csrf_token(client, "/s/volunteering-2026")
    replies = [
        register(client, {"name": f"Yhdistys {i} ry", **PROFILE}, token=token) for i in range(3)
    ]
    assert [r.status_code for r in replies] == [302, 302, 429]
    page = replies[2].get_data(as_text=True)
    assert "Too many organisations" in page and 'value="Yhdistys 2 ry"' in page


def test_the_same_form_sent_twice_registers_once(client, survey) -> None:
    page = client.get("/s/volunteering-2026").get_data(as_text=True)
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', page).group(1)
    data = {"name": "Tuplaklikki ry", "nonce": nonce, **PROFILE}
    first, second = register(client, data), register(client, data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_the_survey_set_command_opens_and_offers_the_open_link(runner, app) -> None:
    import_document(template_document("volunteering"))
    result = runner.invoke(
        args=[
            "survey",
            "set",
            "volunteering-2026",
            "--state",
            "open",
            "--open-link",
            "--closes-at",
            "2030-01-31",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "/s/volunteering-2026" in result.output
    bad = runner.invoke(args=["survey", "set", "volunteering-2026", "--opens-at", "2031-01-01"])
    assert bad.exit_code == 1 and "closing time must be later" in bad.output
