"""The database unavailable (restarting, refusing connections): a plain 503 page, and a posted
form comes back as hidden fields that one button sends again — nothing typed is lost."""

from __future__ import annotations

import html
import io
import re
import sqlite3

import pytest
import sqlalchemy as sa
from factories import make_app, make_organisation, make_survey, survey_document, texts
from werkzeug.datastructures import MultiDict
from workspace_helpers import PASSWORD, csrf_from, make_user, sign_in

from consult.extensions import db
from consult.models import Invitation, Response
from consult.services import accounts, answering, invitations, responses
from consult.services.transactions import StorageBusy

SCRIPT = '<script>alert("x")</script>'


def _down(*args, **kwargs):
    raise sa.exc.OperationalError("SELECT", {}, Exception("server closed the connection"))


@pytest.fixture
def survey(app):
    survey = make_survey()
    survey.state = "open"
    db.session.commit()
    return survey


@pytest.fixture
def link(survey):
    return "/r/" + invitations.invite(survey, [make_organisation("Tilapäinen ry")])[0].token


def hidden_fields(page: str) -> list[tuple[str, str]]:
    """The hidden inputs of the page's form, in order, unescaped."""
    return [
        (html.unescape(name), html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page)
    ]


def retry_action(page: str) -> str:
    return html.unescape(re.search(r'<form method="post" action="([^"]*)"', page).group(1))


def stored(survey) -> dict:
    response = db.session.scalar(sa.select(Response).where(Response.survey_id == survey.id))
    if response is None:
        return {}
    db.session.refresh(response)
    return {a.question.key: (a.value, a.text) for a in response.answers}


def test_a_page_posted_while_the_database_is_down_comes_back_to_be_sent_again(
    client, survey, link, monkeypatch
) -> None:
    url = f"{link}/p/first?lang=en"
    token = csrf_from(client.get(url).get_data(as_text=True))
    typed = [
        ("csrf_token", token),
        ("q_size", "small"),
        ("q_plan", "yes"),
        ("q_plan_year", "2019"),
        ("q_needs", "training"),
        ("q_needs", "other"),
        ("q_needs__specify", f"Tilat & {SCRIPT}\nja muuta"),
        ("action", "next"),
    ]
    monkeypatch.setattr(answering, "find_link", _down)
    response = client.post(url, data=MultiDict(typed))
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<h1>The service is briefly unavailable</h1>" in page
    assert "Nothing was saved yet" in page and "Everything you typed is still here" in page
    assert 'role="alert"' in page
    assert '<button type="submit" class="button primary">Try again</button>' in page
    assert retry_action(page) == url  # the same address, query string included
    # every field as it was posted (both choices of q_needs, in order), escaped
    assert sorted(hidden_fields(page)) == sorted(typed)
    assert [v for n, v in hidden_fields(page) if n == "q_needs"] == ["training", "other"]
    assert SCRIPT not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert stored(survey) == {}

    monkeypatch.undo()  # the database is back: pressing the button sends the same again
    again = client.post(retry_action(page), data=MultiDict(hidden_fields(page)))
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"{link}/p/second")
    assert stored(survey) == {
        "size": ("small", None),
        "plan": ("yes", None),
        "plan_year": (2019, None),
        "needs": (["training", "other"], f"Tilat & {SCRIPT}\nja muuta"),
    }


def test_a_page_opened_while_the_database_is_down_gets_a_plain_page(
    client, link, monkeypatch
) -> None:
    monkeypatch.setattr(answering, "find_link", _down)
    response = client.get(f"{link}?lang=en")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<h1>The service is briefly unavailable</h1>" in page
    assert "Try again in a moment." in page
    assert f'<a href="{link}?lang=en">Reload the page</a>' in page
    assert "<form" not in page and "Internal Server Error" not in page


def test_a_busy_database_outside_a_view_that_catches_it_gives_the_same_page(
    client, link, monkeypatch
) -> None:
    def busy(*args, **kwargs):
        raise StorageBusy

    monkeypatch.setattr(answering, "find_link", busy)
    assert client.get(f"{link}?lang=en").status_code == 503


def test_other_database_errors_stay_server_errors(client, link, monkeypatch) -> None:
    def mistake(*args, **kwargs):
        raise sa.exc.ProgrammingError("SELECT", {}, Exception("syntax error"))

    monkeypatch.setattr(answering, "find_link", mistake)
    with pytest.raises(sa.exc.ProgrammingError):  # TESTING propagates what nothing handled
        client.get(f"{link}?lang=en")


@pytest.mark.parametrize(
    ("how", "lang", "heading"),
    [
        ("query", "sv", "Tjänsten är tillfälligt otillgänglig"),
        ("cookie", "fi", "Palvelu ei ole hetkeen käytettävissä"),
        ("cookie", "ar", "الخدمة غير متاحة مؤقتًا"),
        ("query", "uk", "Сервіс тимчасово недоступний"),
    ],
)
def test_the_page_is_in_the_respondents_language(
    client, link, monkeypatch, how, lang, heading
) -> None:
    url = f"{link}/p/first"
    token = csrf_from(client.get(f"{url}?lang=en").get_data(as_text=True))
    if how == "cookie":
        client.set_cookie("consult_lang", lang)
    else:
        url += f"?lang={lang}"
    monkeypatch.setattr(answering, "find_link", _down)
    for response in (
        client.post(url, data={"csrf_token": token, "q_size": "small", "action": "next"}),
        client.get(url),
    ):
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        direction = "rtl" if lang == "ar" else "ltr"
        assert f'<html lang="{lang}" dir="{direction}">' in page
        assert f"<h1>{heading}</h1>" in page


def test_signing_in_while_the_database_is_down_never_echoes_the_password(
    client, monkeypatch
) -> None:
    make_user("coordinator")
    token = csrf_from(client.get("/login?lang=en").get_data(as_text=True))
    monkeypatch.setattr(accounts, "authenticate", _down)
    posted = {"csrf_token": token, "email": "coordinator@example.org", "password": PASSWORD}
    response = client.post("/login", data=posted)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert PASSWORD not in page
    assert ("email", "coordinator@example.org") in hidden_fields(page)
    assert ("csrf_token", token) in hidden_fields(page)
    assert "password" not in dict(hidden_fields(page))
    assert "A password is never kept: type it again" in page
    assert re.search(r'<input type="password" id="retyped-1" name="password"', page)
    assert '<label class="field-label" for="retyped-1">Password</label>' in page

    monkeypatch.undo()
    again = client.post(
        retry_action(page), data=MultiDict([*hidden_fields(page), ("password", PASSWORD)])
    )
    assert again.status_code == 302 and again.headers["Location"].endswith("/workspace/")


def test_a_signed_in_coordinator_gets_the_page_without_the_database(client, monkeypatch) -> None:
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    assert client.get("/workspace/").status_code == 200
    # the signed-in user is looked up in the database at each request, and again by every
    # template: neither may reach the database now
    monkeypatch.setattr(accounts, "session_user", _down)
    response = client.get("/workspace/")
    assert response.status_code == 503
    assert "The service is briefly unavailable" in response.get_data(as_text=True)


def test_a_file_upload_must_be_chosen_again(client, monkeypatch) -> None:
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    token = csrf_from(client.get("/workspace/organisations/import").get_data(as_text=True))
    monkeypatch.setattr(accounts, "session_user", _down)
    response = client.post(
        "/workspace/organisations/import",
        data={"csrf_token": token, "file": (io.BytesIO(b"name\nA ry\n"), "a.csv")},
        content_type="multipart/form-data",
        headers={"Referer": "http://localhost/workspace/organisations/import"},
    )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "choose the file again" in page and 'type="hidden"' not in page
    assert '<a href="/workspace/organisations/import">Back to the form</a>' in page


def test_the_way_back_never_leads_to_another_site(client, monkeypatch) -> None:
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    token = csrf_from(client.get("/workspace/organisations/import").get_data(as_text=True))
    monkeypatch.setattr(accounts, "session_user", _down)
    for referrer in (
        "http://localhost//evil.example/x",
        "http://localhost/\\evil.example/x",
        "https://evil.example/",
        "http://localhost",
    ):
        response = client.post(
            "/workspace/organisations/import",
            data={"csrf_token": token, "file": (io.BytesIO(b"name\nA ry\n"), "a.csv")},
            content_type="multipart/form-data",
            headers={"Referer": referrer},
        )
        back = re.search(r'<a href="([^"]*)">Back to the form</a>', response.get_data(as_text=True))
        assert re.match(r"/(?![/\\])", back.group(1)), referrer  # not //… nor /\…
        assert "evil.example" not in back.group(1) or back.group(1) == "/evil.example/x"


def test_a_read_locked_out_past_the_lock_timeout_keeps_what_was_typed(
    app, survey, link, tmp_path, database_url, monkeypatch
) -> None:
    """PostgreSQL: a table locked against reads too (ACCESS EXCLUSIVE, as a migration takes
    it) past the lock timeout. SQLite's readers are never locked out in WAL mode: there the
    read fails as SQLite says when it is locked."""
    impatient = make_app(tmp_path, database_url, LOCK_TIMEOUT_MS=300)
    client = impatient.test_client()
    with impatient.app_context():
        url = f"{link}/p/first?lang=en"
        token = csrf_from(client.get(url).get_data(as_text=True))
        typed = {"csrf_token": token, "q_size": "large", "q_plan": "no", "action": "next"}
        db.session.remove()
        engine = sa.create_engine(impatient.config["SQLALCHEMY_DATABASE_URI"])
        with engine.connect() as blocker:
            if engine.dialect.name == "postgresql":
                blocker.begin()
                blocker.exec_driver_sql("LOCK TABLE invitation IN ACCESS EXCLUSIVE MODE")
            else:

                def locked(*args, **kwargs):
                    raise sa.exc.OperationalError(
                        "SELECT", {}, sqlite3.OperationalError("database is locked")
                    )

                monkeypatch.setattr(answering, "find_link", locked)
            response = client.post(url, data=typed)
            blocker.rollback()
        engine.dispose()
        monkeypatch.undo()
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert sorted(hidden_fields(page)) == sorted(typed.items())
        again = client.post(retry_action(page), data=MultiDict(hidden_fields(page)))
        assert again.status_code == 302
        db.session.remove()
        db.engine.dispose()
    assert stored(survey) == {"size": ("large", None), "plan": ("no", None)}


def test_a_database_gone_after_the_page_was_made_does_not_spoil_it(
    tmp_path, database_url, monkeypatch
) -> None:
    """The last read done, the page made, and then the database goes (a crash, a restart):
    ending the request's transaction fails, and the page must still go out."""
    server_app = make_app(tmp_path, database_url)  # each request in an app context of its own
    with server_app.app_context():
        engine = db.engine
    dialect = engine.dialect
    message = (
        "server closed the connection unexpectedly"
        if dialect.name == "postgresql"
        else "Cannot operate on a closed database."
    )

    def gone(dbapi_connection) -> None:
        raise dialect.loaded_dbapi.OperationalError(message)

    client = server_app.test_client()
    assert client.get("/healthz").status_code == 200  # connected, the connection pooled
    monkeypatch.setattr(dialect, "do_rollback", gone)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["database"] == "ok"
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200  # on a fresh connection
    engine.dispose()


def test_a_question_about_passwords_is_an_answer_like_any_other(client, monkeypatch) -> None:
    document = survey_document()
    document["sections"][0]["questions"].append(
        {"key": "password_policy", "type": "yes_no", "text": texts("Password policy?")}
    )
    survey = make_survey(sections=document["sections"])
    survey.state = "open"
    db.session.commit()
    url = "/r/" + invitations.invite(survey, [make_organisation()])[0].token + "/p/first?lang=en"
    token = csrf_from(client.get(url).get_data(as_text=True))
    typed = {"csrf_token": token, "q_size": "small", "q_plan": "no", "q_password_policy": "yes"}
    monkeypatch.setattr(answering, "find_link", _down)
    page = client.post(url, data={**typed, "action": "next"}).get_data(as_text=True)
    monkeypatch.undo()
    assert 'type="password"' not in page
    assert ("q_password_policy", "yes") in hidden_fields(page)
    assert client.post(retry_action(page), data=MultiDict(hidden_fields(page))).status_code == 302
    assert stored(survey)["password_policy"] == ("yes", None)


def test_the_page_comes_back_in_the_language_it_was_shown_in(client, monkeypatch) -> None:
    """Here the language came from the invitation, which cannot be read while the database
    is down: the respondent's form says which it was."""
    survey = make_survey()
    survey.state = "open"
    db.session.commit()
    link = "/r/" + invitations.invite(survey, [make_organisation()])[0].token
    db.session.execute(sa.update(Invitation).values(locale="sv"))
    db.session.commit()
    client.delete_cookie("consult_lang")
    browser = {"Accept-Language": "fi"}
    page = client.get(f"{link}/p/first", headers=browser).get_data(as_text=True)
    assert '<html lang="sv"' in page and '<input type="hidden" name="shown_in" value="sv">' in page
    monkeypatch.setattr(answering, "find_link", _down)
    data = {"csrf_token": csrf_from(page), "shown_in": "sv", "q_size": "small", "action": "next"}
    down = client.post(f"{link}/p/first", data=data, headers=browser)
    assert down.status_code == 503
    assert '<html lang="sv"' in down.get_data(as_text=True)
    assert "consult_lang" not in down.headers.get("Set-Cookie", "")


def test_a_save_that_was_stored_is_never_reported_as_not_saved(client, monkeypatch) -> None:
    """The connection dropping just after the commit: the answers are stored, so the
    respondent moves on rather than being told nothing was saved."""
    survey = make_survey()
    survey.state = "open"
    db.session.commit()
    url = "/r/" + invitations.invite(survey, [make_organisation()])[0].token + "/p/first?lang=en"
    token = csrf_from(client.get(url).get_data(as_text=True))
    form = {"csrf_token": token, "q_size": "large", "q_plan": "no"}
    client.post(url, data={**form, "action": "save"})  # the response exists from here on
    original = answering.save_page

    def save_then_connection_drops(*args, **kwargs):
        outcome = original(*args, **kwargs)  # committed
        monkeypatch.setattr(responses, "loaded_answers", _down)
        monkeypatch.setattr(responses, "answers_of", _down)
        return outcome

    monkeypatch.setattr(answering, "save_page", save_then_connection_drops)
    reply = client.post(url, data={**{**form, "q_size": "small"}, "action": "next"})
    monkeypatch.undo()
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/p/second")
    assert stored(survey)["size"] == ("small", None)
