"""Answering through a personal link: pages, drafts, errors, submitting, and nothing lost."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from factories import make_app, make_organisation, make_survey

from consult.extensions import db
from consult.models import Answer, Invitation, Response
from consult.models.base import utcnow
from consult.services import invitations

TOKEN_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def survey(app):
    survey = make_survey()
    survey.state = "open"
    db.session.commit()
    return survey


@pytest.fixture
def link(survey):
    organisation = make_organisation("Kallion perheyhdistys ry")
    issued = invitations.invite(survey, [organisation])
    return f"/r/{issued[0].token}"


@pytest.fixture(autouse=True)
def _english(client) -> None:
    """The respondent chose English, unless a test says otherwise."""
    client.set_cookie("consult_lang", "en")


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return TOKEN_FIELD.search(page).group(1)


def post_page(client, url: str, data: dict, action: str = "next", token: str | None = None):
    form = {"csrf_token": token or csrf_token(client, url), "action": action, **data}
    return client.post(url, data=form)


def checked(page: str, name: str) -> list[str]:
    """The values of the checked inputs named ``name`` on a page."""
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', t).group(1) for t in tags if re.search(r"\bchecked\b", t)]


def stored(survey) -> dict:
    response = db.session.scalar(sa.select(Response).where(Response.survey_id == survey.id))
    if response is None:
        return {}
    db.session.refresh(response)
    return {a.question.key: (a.value, a.text) for a in response.answers}


def test_a_wrong_link_gets_a_plain_page_and_reveals_nothing(client, link) -> None:
    for url in ("/r/nonsense", "/r/nonsense/p/first", link[:-2] + "xx", "/r/" + "a" * 500):
        response = client.get(url + "?lang=en")
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)
        assert "Kallion" not in response.get_data(as_text=True)


def test_guessing_links_is_throttled(client, link) -> None:
    codes = [client.get(f"/r/guess{i}").status_code for i in range(25)]
    assert codes[:20] == [404] * 20
    assert 429 in codes[20:]
    # Past the limit a right link is refused too, so a guesser cannot tell right from wrong;
    # the page says so in the reader's language and when to try again.
    refused = client.get(link + "?lang=sv")
    assert refused.status_code == 429
    assert "Kallion" not in refused.get_data(as_text=True)
    assert "För många länkar som inte fungerar" in refused.get_data(as_text=True)
    assert 1 <= int(refused.headers["Retry-After"]) <= 61


def test_right_links_are_not_counted_as_guesses(client, link) -> None:
    codes = [client.get(link + "?lang=en").status_code for _ in range(30)]
    assert codes == [200] * 30


def test_the_start_page_introduces_the_survey_and_the_privacy_notice(client, link) -> None:
    page = client.get(link + "?lang=en").get_data(as_text=True)
    assert "<h1>Test survey</h1>" in page
    assert "Answering for: Kallion perheyhdistys ry" in page
    assert "How your answers are used" in page
    assert f'href="{link}/p/first"' in page


def test_a_page_saves_its_answers_and_moves_on(client, survey, link) -> None:
    response = post_page(client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{link}/p/second")
    assert stored(survey) == {"size": ("small", None), "plan": ("no", None)}
    # the same link later opens where the respondent stopped
    page = client.get(link + "?lang=en").get_data(as_text=True)
    assert "Continue where you left off" in page


def test_required_questions_and_bad_input_come_back_with_messages_and_the_input(
    client, survey, link
) -> None:
    response = post_page(client, f"{link}/p/first", {"q_plan": "yes", "q_plan_year": "20x5"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="error-summary" role="alert" tabindex="-1" autofocus' in page
    assert 'href="#q_size-0"' in page and 'href="#q_plan_year"' in page
    assert "Answer this question." in page and "Enter a number." in page
    assert 'value="20x5"' in page  # the input is kept
    assert checked(page, "q_plan") == ["yes"]
    assert stored(survey) == {}


def test_a_hidden_questions_answer_is_not_kept(client, survey, link) -> None:
    post_page(client, f"{link}/p/first", {"q_size": "large", "q_plan": "no", "q_plan_year": "2020"})
    assert "plan_year" not in stored(survey)
    # and the section whose condition fails is skipped: large organisations go to the review
    response = post_page(client, f"{link}/p/first", {"q_size": "large", "q_plan": "no"})
    assert response.headers["Location"].endswith(f"{link}/review")


def test_back_and_save_keep_answers_without_requiring_anything(client, survey, link) -> None:
    post_page(client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"})
    response = post_page(client, f"{link}/p/second", {"q_readiness": "4"}, action="back")
    assert response.headers["Location"].endswith(f"{link}/p/first")
    response = post_page(
        client, f"{link}/p/second", {"q_readiness": "3", "q_comment": "Hei"}, action="save"
    )
    assert response.headers["Location"].endswith(f"{link}/saved")
    assert stored(survey)["readiness"] == (3, None)
    assert stored(survey)["comment"] == (None, "Hei")
    page = client.get(f"{link}/p/second").get_data(as_text=True)
    assert checked(page, "q_readiness") == ["3"]


def fill_and_submit(client, link):
    post_page(
        client, f"{link}/p/first", {"q_size": "small", "q_plan": "yes", "q_plan_year": "2024"}
    )
    post_page(
        client,
        f"{link}/p/second",
        {"q_statements__info": "2", "q_order__a": "2", "q_order__b": "1", "q_order__c": "3"},
    )
    token = csrf_token(client, f"{link}/review")
    return client.post(f"{link}/submit", data={"csrf_token": token})


def test_review_submit_and_receipt(client, survey, link) -> None:
    assert client.get(f"{link}/review").headers["Location"].endswith(link)  # nothing yet
    response = fill_and_submit(client, link)
    review = client.get(f"{link}/review?lang=en").get_data(as_text=True)
    assert "Check your answers" in review
    assert response.headers["Location"].endswith(f"{link}/receipt")
    receipt = client.get(f"{link}/receipt?lang=en").get_data(as_text=True)
    assert "have been received" in receipt
    assert "1. B" in receipt and "2. A" in receipt and "3. C" in receipt
    assert "Info: 2 (1–4)" in receipt
    row = db.session.scalar(sa.select(Response))
    assert row.status == "submitted" and row.submitted_at is not None


def test_submitting_again_changes_nothing(client, survey, link) -> None:
    fill_and_submit(client, link)
    first = db.session.scalar(sa.select(Response.submitted_at))
    token = csrf_token(client, f"{link}/review")
    for _ in range(3):
        assert client.post(f"{link}/submit", data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert db.session.scalar(sa.select(Response.submitted_at)) == first


def test_submitting_with_a_required_answer_missing_goes_to_that_page(client, survey, link) -> None:
    post_page(client, f"{link}/p/first", {"q_size": "small"}, action="save")
    token = csrf_token(client, f"{link}/review")
    response = client.post(f"{link}/submit", data={"csrf_token": token})
    assert response.headers["Location"].endswith(f"{link}/p/first?missing=1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "error-summary" in page and "#q_plan-0" in page
    assert db.session.scalar(sa.select(Response.status)) == "draft"


def test_a_submitted_response_can_be_changed_but_stays_complete(client, survey, link) -> None:
    fill_and_submit(client, link)
    before = db.session.scalar(sa.select(Response.updated_at))
    response = post_page(client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"})
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.scalar(sa.select(Response))
    assert row.status == "submitted" and row.updated_at > before
    assert "plan_year" not in stored(survey)
    refused = post_page(client, f"{link}/p/first", {"q_size": "small"}, action="save")
    assert refused.status_code == 422
    assert stored(survey)["plan"] == ("no", None)


def test_an_expired_csrf_token_brings_the_page_back_with_everything_typed(
    client, survey, link
) -> None:
    response = post_page(
        client,
        f"{link}/p/first",
        {"q_size": "small", "q_plan": "yes", "q_plan_year": "2019"},
        token="expired",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Everything you typed is still here" in page
    assert 'value="2019"' in page
    assert stored(survey) == {}
    fresh = TOKEN_FIELD.search(page).group(1)
    again = post_page(
        client,
        f"{link}/p/first",
        {"q_size": "small", "q_plan": "yes", "q_plan_year": "2019"},
        token=fresh,
    )
    assert again.status_code == 302
    assert stored(survey)["plan_year"] == (2019, None)


def test_a_session_that_timed_out_is_the_same_case(client, survey, link) -> None:
    token = csrf_token(client, f"{link}/p/first")
    client.delete_cookie("session")
    response = post_page(
        client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"}, token=token
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert checked(page, "q_size") == ["small"] and checked(page, "q_plan") == ["no"]
    assert stored(survey) == {}


def _hold_lock(url: str):
    """Another connection holding the lock a save needs: SQLite's write lock, or on
    PostgreSQL the response row's lock."""
    engine = sa.create_engine(url)
    connection = engine.connect()
    if engine.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.begin()
        connection.execute(sa.text("SELECT id FROM response FOR UPDATE"))
    return engine, connection


def test_a_locked_database_brings_the_page_back_and_a_retry_stores(
    app, survey, link, tmp_path, database_url
) -> None:
    impatient = make_app(tmp_path, database_url, LOCK_TIMEOUT_MS=200)  # same database
    client = impatient.test_client()
    client.set_cookie("consult_lang", "en")
    with impatient.app_context():
        token = csrf_token(client, f"{link}/p/first")
        assert (
            post_page(
                client, f"{link}/p/first", {"q_size": "large"}, action="save", token=token
            ).status_code
            == 302
        )
        engine, blocker = _hold_lock(impatient.config["SQLALCHEMY_DATABASE_URI"])
        try:
            response = post_page(
                client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"}, token=token
            )
        finally:
            blocker.rollback()
            blocker.close()
            engine.dispose()
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "could not save your answers just now" in page
        assert checked(page, "q_size") == ["small"]
        again = post_page(
            client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"}, token=token
        )
        assert again.status_code == 302
        db.session.remove()
        db.engine.dispose()
    db.session.expire_all()
    assert stored(survey) == {"size": ("small", None), "plan": ("no", None)}


def test_before_opening_and_after_closing(client, survey, link) -> None:
    survey.opens_at = utcnow() + timedelta(days=3)
    db.session.commit()
    page = client.get(f"{link}?lang=en").get_data(as_text=True)
    assert "This survey opens on" in page
    assert client.get(f"{link}/p/first").status_code == 200
    assert "opens on" in client.get(f"{link}/p/first?lang=en").get_data(as_text=True)

    survey.opens_at = None
    db.session.commit()
    fill_and_submit(client, link)
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"{link}?lang=en").get_data(as_text=True)
    assert "no longer takes answers" in page
    assert f'href="{link}/receipt"' in page
    assert "have been received" in client.get(f"{link}/receipt?lang=en").get_data(as_text=True)
    refused = post_page(client, f"{link}/p/first", {"q_size": "large", "q_plan": "no"}, token="x")
    assert "no longer takes answers" in refused.get_data(as_text=True)
    assert stored(survey)["size"] == ("small", None)


def test_the_language_follows_the_invitation_then_an_explicit_choice(client, survey) -> None:
    organisation = make_organisation("Helsingfors svenska förening rf")
    issued = invitations.invite(survey, [organisation])
    db.session.scalar(sa.select(Invitation)).locale = "sv"
    db.session.commit()
    link = f"/r/{issued[0].token}"
    client.delete_cookie("consult_lang")
    page = client.get(link).get_data(as_text=True)
    assert '<html lang="sv" dir="ltr">' in page and "Test survey (sv)" in page
    page = client.get(link + "?lang=en").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page


def test_switching_language_on_a_page_keeps_what_was_typed(client, survey, link) -> None:
    response = post_page(client, f"{link}/p/first", {"q_size": "small"}, action="lang:sv")
    assert response.headers["Location"].endswith(f"{link}/p/first?lang=sv")
    assert stored(survey) == {"size": ("small", None)}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="sv"' in page and "Size (sv)" in page


def test_answers_are_escaped_wherever_they_are_shown(client, survey, link) -> None:
    payload = "<script>alert(1)</script>{{7*7}}"
    post_page(client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"})
    post_page(client, f"{link}/p/second", {"q_comment": payload, "q_name": payload})
    for url in (f"{link}/p/second", f"{link}/review"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page


def test_the_invite_command_prints_one_link_per_organisation(runner, survey) -> None:
    make_organisation("A ry")
    make_organisation("B ry")
    result = runner.invoke(args=["invite", "test-survey", "--org", "A ry", "--org", "b ry"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["A ry", "B ry"]
    token = lines[0].split("/r/")[1]
    assert len(token) >= 43  # 256 bits, URL-safe base64
    assert token not in str(db.session.scalars(sa.select(Invitation.token_hash)).all())
    assert invitations.find(token).organisation.name == "A ry"
    everyone = runner.invoke(args=["invite", "test-survey", "--all"])
    assert everyone.output.strip().splitlines() == lines  # invited again: the same links
    assert invitations.find(token).organisation.name == "A ry"
    renewed = runner.invoke(args=["invite", "test-survey", "--org", "A ry", "--new-link"])
    assert renewed.exit_code == 0 and token not in renewed.output
    assert invitations.find(token) is None  # a new link replaced the old one
    missing = runner.invoke(args=["invite", "test-survey", "--org", "Nobody ry"])
    assert missing.exit_code == 1 and "No single organisation matches 'Nobody ry'" in missing.output


def test_answers_table_is_untouched_by_a_refused_page(client, survey, link) -> None:
    post_page(client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"})
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Answer))
    post_page(client, f"{link}/p/first", {"q_size": "huge", "q_plan": "no"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == count
    assert stored(survey)["size"] == ("small", None)


def test_a_changed_design_is_shown_once_the_survey_is_touched(client, survey, link) -> None:
    from consult.services import designs

    assert "Size" in client.get(f"{link}/p/first").get_data(as_text=True)
    question = next(q for q in survey.questions if q.key == "size")
    question.text = {**question.text, "en": "How big is the organisation?"}
    designs.touch(survey)
    db.session.commit()
    assert "How big is the organisation?" in client.get(f"{link}/p/first").get_data(as_text=True)


def _scale_condition_survey():
    from factories import survey_document

    from consult.services.surveys import import_document

    document = survey_document(key="scaled")
    document["sections"][0]["questions"] += [
        {"key": "score", "type": "scale", "text": {"fi": "Pisteet"}},
        {
            "key": "why_low",
            "type": "short_text",
            "required": True,
            "text": {"fi": "Miksi niin vähän?", "en": "Why so low?"},
            "condition": {"question": "score", "any_of": [1, 2]},
        },
    ]
    survey, _ = import_document(document)
    survey.state = "open"
    db.session.commit()
    return "/r/" + invitations.invite(survey, [make_organisation("Pisteyhdistys ry")])[0].token


def test_a_question_shown_by_a_scale_answer_is_shown_without_javascript(client, app) -> None:
    link = _scale_condition_survey()
    response = post_page(
        client, f"{link}/p/first", {"q_size": "small", "q_plan": "no", "q_score": "1"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'href="#q_why_low"' in page
    assert re.search(r'id="question-why_low"[^>]*>', page).group(0).count("hidden") == 0


def test_unknown_actions_are_next_and_hidden_sections_redirect(client, survey, link) -> None:
    response = post_page(client, f"{link}/p/first", {"q_size": "small"}, action="jump")
    assert response.status_code == 422  # required answers are asked for, as for "next"
    post_page(client, f"{link}/p/first", {"q_size": "large", "q_plan": "no"})
    hidden = post_page(
        client,
        f"{link}/p/second",
        {"q_readiness": "3"},
        token=csrf_token(client, f"{link}/p/first"),
    )
    assert hidden.status_code == 302 and "/p/first" in hidden.headers["Location"]
    assert "readiness" not in stored(survey)


def test_switching_language_with_a_mistake_on_the_page_switches_and_keeps_it(
    client, survey, link
) -> None:
    response = post_page(
        client,
        f"{link}/p/first",
        {"q_size": "small", "q_plan": "yes", "q_plan_year": "x"},
        action="lang:sv",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<html lang="sv"' in page and 'value="x"' in page
    # the questions, their options and the message beside the field are Swedish too
    assert "Size (sv)" in page and "Small (sv)" in page and "Yes (sv)" not in page
    assert "(fi)" not in page
    message = re.search(r'id="error-plan_year">(.*?)</p>', page, re.S).group(1)
    assert "Fel:" in message and "Skriv ett tal." in message, message


def test_a_page_opens_while_the_database_is_locked(
    client, app, survey, link, tmp_path, database_url
) -> None:
    impatient = make_app(tmp_path, database_url, LOCK_TIMEOUT_MS=200)
    other = impatient.test_client()
    with impatient.app_context():
        engine, blocker = _hold_lock(impatient.config["SQLALCHEMY_DATABASE_URI"])
        try:
            assert other.get(f"{link}/p/first").status_code == 200  # reading needs no write
        finally:
            blocker.rollback()
            blocker.close()
            engine.dispose()
        db.session.remove()
        db.engine.dispose()


def test_answers_sent_after_closing_are_shown_back(client, survey, link) -> None:
    token = csrf_token(client, f"{link}/p/first")
    survey.state = "closed"
    db.session.commit()
    response = post_page(
        client,
        f"{link}/p/first",
        {"q_size": "small", "q_plan": "yes", "q_plan_year": "2019"},
        token=token,
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "These answers were not saved" in page and "2019" in page
    assert stored(survey) == {}


def test_a_failed_write_lets_go_of_the_writer_queue(app, monkeypatch) -> None:
    from consult.services.transactions import writing

    if db.engine.dialect.name != "sqlite":
        return  # the queue is SQLite's; PostgreSQL locks rows
    original = db.session.connection

    def broken(*args, **kwargs):
        class Connection:
            def exec_driver_sql(self, *a, **k):
                raise sa.exc.DatabaseError("BEGIN", {}, Exception("file is not a database"))

        return Connection()

    monkeypatch.setattr(db.session, "connection", broken)
    with pytest.raises(sa.exc.DatabaseError), writing():
        pass
    monkeypatch.setattr(db.session, "connection", original)
    with writing():  # would wait for the lock and fail if the first had kept it
        pass


def test_a_required_matrix_names_the_statements_left(client, app) -> None:
    from factories import survey_document

    from consult.services.surveys import import_document

    document = survey_document(key="matrixed")
    document["sections"][0]["questions"].append(
        {
            "key": "rates",
            "type": "matrix",
            "required": True,
            "text": {"fi": "Arvioi", "en": "Rate"},
            "statements": [
                {"key": "info", "text": {"fi": "Tieto", "en": "Information"}},
                {"key": "help", "text": {"fi": "Apu", "en": "Help from the city"}},
            ],
        }
    )
    survey, _ = import_document(document)
    survey.state = "open"
    db.session.commit()
    link = "/r/" + invitations.invite(survey, [make_organisation("Matriisi ry")])[0].token
    response = post_page(
        client, f"{link}/p/first", {"q_size": "small", "q_plan": "no", "q_rates__info": "3"}
    )
    assert response.status_code == 422
    assert "also for: Help from the city" in response.get_data(as_text=True)
