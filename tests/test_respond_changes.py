"""Changing answers after submitting, long texts typed in a browser, a survey closed early,
and a throttled address: what a respondent sees."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from factories import make_organisation, make_survey, survey_document, texts
from test_respond import checked, csrf_token, post_page, stored

from consult.extensions import db
from consult.models import Response
from consult.models.base import utcnow
from consult.services import invitations, structure
from consult.services.surveys import import_document

#: Page one asks whether the organisation has staff; page two then asks how many (required).
SECTIONS = [
    {
        "key": "first",
        "title": texts("First"),
        "questions": [
            {"key": "has_staff", "type": "yes_no", "required": True, "text": texts("Staff?")},
        ],
    },
    {
        "key": "second",
        "title": texts("Second"),
        "questions": [
            {
                "key": "staff_count",
                "type": "number",
                "required": True,
                "text": texts("How many staff"),
                "condition": {"question": "has_staff", "equals": "yes"},
            },
            {"key": "other", "type": "short_text", "text": texts("Anything else")},
        ],
    },
]


def open_survey(**changes):
    survey = make_survey(**changes)
    survey.state = "open"
    db.session.commit()
    return survey


def link_for(survey) -> str:
    organisation = make_organisation("Kallion perheyhdistys ry")
    return f"/r/{invitations.invite(survey, [organisation])[0].token}"


def response_row() -> Response:
    db.session.expire_all()
    return db.session.scalar(sa.select(Response))


@pytest.fixture(autouse=True)
def _english(client) -> None:
    client.set_cookie("consult_lang", "en")


def submit(client, link: str):
    return client.post(f"{link}/submit", data={"csrf_token": csrf_token(client, f"{link}/review")})


def test_a_change_after_submitting_that_asks_more_is_saved_and_leads_to_the_new_question(
    client, app
) -> None:
    survey = open_survey(sections=SECTIONS)
    link = link_for(survey)
    assert post_page(client, f"{link}/p/first", {"q_has_staff": "no"}).status_code == 302
    assert post_page(client, f"{link}/p/second", {"q_other": "x"}).status_code == 302
    assert submit(client, link).headers["Location"].endswith("/receipt")
    first_submitted = response_row().submitted_at

    # The organisation now has staff: the change is saved, and it is taken straight to the
    # question the change brought up, which is marked as needing an answer.
    changed = post_page(client, f"{link}/p/first", {"q_has_staff": "yes"})
    assert changed.status_code == 302
    assert changed.headers["Location"].endswith(f"{link}/p/second?missing=1")
    assert stored(survey)["has_staff"] == ("yes", None)
    row = response_row()
    assert row.status == "draft" and row.submitted_at == first_submitted
    page = client.get(changed.headers["Location"]).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert "How many staff: Answer this question." in summary
    assert not re.search(r'id="question-staff_count"[^>]*hidden', page)
    assert "your organisation's answers are not submitted for now" in page
    review = client.get(f"{link}/review").get_data(as_text=True)
    assert "not submitted for now" in review and "Submit the answers" in review

    # Answered and submitted again: complete and submitted, with the new time.
    assert post_page(client, f"{link}/p/second", {"q_staff_count": "3"}).status_code == 302
    assert submit(client, link).headers["Location"].endswith("/receipt")
    row = response_row()
    assert row.status == "submitted" and row.submitted_at == first_submitted  # first submitted
    assert row.updated_at > first_submitted
    assert "not submitted for now" not in client.get(f"{link}/review").get_data(as_text=True)


def test_a_submitted_response_still_refuses_a_required_answer_removed_on_its_own_page(
    client, app
) -> None:
    survey = open_survey(sections=SECTIONS)
    link = link_for(survey)
    post_page(client, f"{link}/p/first", {"q_has_staff": "yes"})
    post_page(client, f"{link}/p/second", {"q_staff_count": "2"})
    submit(client, link)
    refused = post_page(client, f"{link}/p/second", {"q_other": "y"})
    assert refused.status_code == 422
    assert "How many staff: Answer this question." in refused.get_data(as_text=True)
    assert stored(survey)["staff_count"] == (2, None)
    assert response_row().status == "submitted"


def test_saving_unchanged_answers_does_not_move_the_time_of_change(client, app) -> None:
    survey = open_survey(sections=SECTIONS)
    link = link_for(survey)
    post_page(client, f"{link}/p/first", {"q_has_staff": "no"})
    post_page(client, f"{link}/p/second", {"q_other": "x"})
    submit(client, link)
    submitted_at = response_row().submitted_at
    again = post_page(client, f"{link}/p/first", {"q_has_staff": "no"})
    assert again.headers["Location"].endswith(f"{link}/p/second")
    assert response_row().updated_at == submitted_at  # the receipt's "last changed"
    post_page(client, f"{link}/p/second", {"q_other": "changed"})
    assert response_row().updated_at > submitted_at


def test_a_question_the_design_gained_later_does_not_withdraw_a_submission(client, app) -> None:
    survey = open_survey(sections=SECTIONS)
    link = link_for(survey)
    post_page(client, f"{link}/p/first", {"q_has_staff": "no"})
    post_page(client, f"{link}/p/second", {"q_other": "x"})
    submit(client, link)
    document = structure.document_of(survey)
    document["sections"][1]["questions"].append(
        {"key": "added", "type": "short_text", "required": True, "text": texts("Added")}
    )
    assert structure.apply_document(survey, document) == []
    db.session.commit()
    # Switching the page's language, or saving a page that asks nothing new: still submitted.
    switched = post_page(client, f"{link}/p/first", {"q_has_staff": "no"}, action="lang:sv")
    assert switched.headers["Location"].endswith(f"{link}/p/first?lang=sv")
    assert post_page(client, f"{link}/p/first", {"q_has_staff": "no"}).status_code == 302
    assert response_row().status == "submitted"
    # The new question's own page asks for it, as for any required question of a submission.
    refused = post_page(client, f"{link}/p/second", {"q_other": "y"}, action="save")
    assert refused.status_code == 422
    post_page(client, f"{link}/p/second", {"q_other": "y", "q_added": "z"}, action="save")
    assert response_row().status == "submitted"
    assert stored(survey)["other"] == (None, "y")


def test_a_long_text_counts_a_line_break_as_the_browser_does(client, survey, link) -> None:
    post_page(client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"})
    page = client.get(f"{link}/p/second").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*maxlength="50"[^>]*name="q_comment"', page)
    lines = ["a" * 11] * 4 + ["ab"]  # 50 characters in the textarea, line breaks counted once
    sent = "\r\n".join(lines)  # what the browser sends: 54 characters
    response = post_page(client, f"{link}/p/second", {"q_comment": sent}, action="save")
    assert response.status_code == 302
    assert stored(survey)["comment"] == (None, "\n".join(lines))


def test_a_survey_closed_before_its_date_does_not_name_that_date(client, survey, link) -> None:
    survey.closes_at = utcnow() + timedelta(days=30)
    survey.state = "closed"
    db.session.commit()
    page = client.get(link).get_data(as_text=True)
    assert "This survey has closed and no longer takes answers." in page
    assert "closed on" not in page
    survey.state = "open"
    survey.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert "This survey closed on" in client.get(link).get_data(as_text=True)


def test_a_page_posted_past_the_guessing_limit_comes_back_with_what_was_typed(
    client, survey, link
) -> None:
    token = csrf_token(client, f"{link}/p/first")
    for i in range(20):
        assert client.get(f"/r/guess{i}").status_code == 404
    client.set_cookie("consult_lang", "fi")
    refused = post_page(
        client, f"{link}/p/first", {"q_size": "small", "q_plan": "<b>no</b>"}, token=token
    )
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert '<html lang="fi"' in page
    assert "Liian monta toimimatonta linkkiä" in page
    assert '<input type="hidden" name="q_plan" value="&lt;b&gt;no&lt;/b&gt;">' in page
    assert '<input type="hidden" name="q_size" value="small">' in page
    assert f'action="{link}/p/first"' in page
    assert stored(survey) == {}
    assert checked(page, "q_size") == []  # hidden fields, not a form to fill again


@pytest.fixture
def survey(app):
    return open_survey()


@pytest.fixture
def link(survey):
    return link_for(survey)


def test_texts_not_translated_yet_are_marked_with_their_language(client, app) -> None:
    """WCAG 3.1.2: in an Arabic page, options, headings and answers still in Finnish say so,
    so that a screen reader reads them as Finnish."""
    document = survey_document(locales=["fi", "sv", "en", "ar"])
    for section in document["sections"]:  # the questions translated, the options not yet
        for question in section["questions"]:
            question["text"]["ar"] = "سؤال " + question["key"]
    survey, _warnings = import_document(document)
    survey.state = "open"
    db.session.commit()
    link = link_for(survey)
    client.set_cookie("consult_lang", "ar")
    page = client.get(f"{link}/p/first").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    label = re.search(r'<label for="q_size-0"[^>]*>[^<]*</label>', page).group(0)
    assert 'lang="fi"' in label and "Small (fi)" in label
    assert re.search(r'<legend class="question-text">\s*سؤال size', page)  # translated: no lang
    refused = post_page(client, f"{link}/p/first", {"q_plan": "no"})
    summary = re.search(
        r'<div class="error-summary".*?</div>', refused.get_data(as_text=True), re.S
    )
    assert "سؤال size" in summary.group(0) and 'lang="fi"' not in summary.group(0)
    post_page(client, f"{link}/p/first", {"q_size": "small", "q_plan": "no"})
    review = client.get(f"{link}/review").get_data(as_text=True)
    heading = re.search(r'<h2 id="answers-first">.*?</h2>', review).group(0)
    assert '<span lang="fi" dir="auto">First (fi)</span>' in heading
    assert "<dt>سؤال size</dt>" in review
    assert '<span class="answer-line" dir="auto" lang="fi">Small (fi)</span>' in review
