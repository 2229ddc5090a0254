"""Changing a survey's structure in the designer, and what answers protect."""

from __future__ import annotations

import sqlalchemy as sa
from factories import answer, make_organisation, make_survey
from workspace_helpers import make_user, sign_in, token_for

from consult.extensions import db
from consult.models import AuditEntry, Option, Question, Section
from consult.services import design_edits as edits
from consult.services import structure
from consult.services.surveys import get_survey


def ids(survey) -> dict[str, int]:
    return dict(
        db.session.execute(
            sa.select(Question.key, Question.id).where(Question.survey_id == survey.id)
        ).all()
    )


def test_adding_a_page_and_a_question_with_a_condition_keeps_existing_rows(app) -> None:
    survey = make_survey()
    before = ids(survey)
    document = structure.document_of(survey)
    edits.add_section(document, "third", "Kolmas", after="second")
    question = edits.add_question(document, "third", "premises", "single_choice")
    edits.set_text(question, "text", "fi", "Onko teillä tilat?")
    edits.set_options(question, "options", "own = Omat\nrented = Vuokratut\nother = Muu *", "fi")
    question["condition"] = edits.parse_condition(document, "premises", "size|equals|small")
    assert structure.apply_document(survey, document) == []
    db.session.expire_all()
    survey = get_survey("test-survey")
    after = ids(survey)
    assert {k: after[k] for k in before} == before  # answers keep pointing at the same rows
    added = db.session.get(Question, after["premises"])
    assert added.section.key == "third" and added.condition == {
        "question": "size",
        "equals": "small",
    }
    assert [(o.key, o.code, o.specify) for o in added.choices] == [
        ("own", 1, False),
        ("rented", 2, False),
        ("other", 3, True),
    ]
    assert ["premises", None] in survey.column_layout
    assert [s.key for s in survey.sections] == ["first", "second", "third"]
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.details["questions_added"] == ["premises"] and entry.details["sections_added"] == [
        "third"
    ]


def test_answers_protect_their_questions_and_options(app) -> None:
    survey = make_survey()
    answer(survey, make_organisation(), {"size": "small", "plan": "no", "name": "Aino"})
    document = structure.document_of(survey)
    edits.remove(document, "name")
    problems = structure.apply_document(survey, document)
    assert problems == [
        "The question name has answers, so it cannot be removed. Hide it with a display "
        "condition instead, or make a new survey."
    ]

    document = structure.document_of(survey)
    _s, question = edits.find_question(document, "size")
    edits.set_options(question, "options", "tiny = Pieni\nlarge = Suuri", "fi")
    problems = structure.apply_document(survey, document)
    assert problems == [
        "The option small of the question size has been chosen in answers, so it cannot be removed or get another key."
    ]
    document = structure.document_of(survey)
    _s, question = edits.find_question(document, "name")
    edits.change_type(question, "long_text", "fi")
    assert "its type cannot change" in structure.apply_document(survey, document)[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0

    # Wording, a new option and removing an option nobody chose are fine.
    document = structure.document_of(survey)
    _s, question = edits.find_question(document, "size")
    edits.set_options(
        question, "options", "small = Pieni järjestö\nmedium = Keskikokoinen\nlarge = Suuri", "fi"
    )
    assert structure.apply_document(survey, document) == []
    db.session.expire_all()
    query = sa.select(Option.key, Option.code).join(Question).where(Question.key == "size")
    assert dict(db.session.execute(query).all()) == {"small": 1, "medium": 3, "large": 2}
    document = structure.document_of(survey)
    _s, question = edits.find_question(document, "size")
    edits.set_options(question, "options", "small = Pieni\nlarge = Suuri", "fi")
    assert structure.apply_document(survey, document) == []  # nobody chose medium
    db.session.expire_all()
    assert dict(db.session.execute(query).all()) == {"small": 1, "large": 2}


def test_moving_and_removing_unanswered_items(app) -> None:
    survey = make_survey()
    document = structure.document_of(survey)
    edits.move(document, "second", -1)
    assert "'size' is not an earlier question" in structure.apply_document(survey, document)[0]
    edits.set_condition(edits.find_section(document, "second"), None)
    edits.move(document, "size", 1)
    assert structure.apply_document(survey, document) == []
    db.session.expire_all()
    survey = get_survey("test-survey")
    assert [s.key for s in survey.sections] == ["second", "first"]
    assert [q.key for q in survey.sections[1].questions][:2] == ["plan", "size"]
    document = structure.document_of(survey)
    edits.move(document, "readiness", -1)  # first question of the first page: stays
    edits.remove(document, "second")
    problems = structure.apply_document(survey, document)
    assert problems == []
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Section)) == 1


def test_a_condition_on_a_later_question_is_refused_by_the_validator(app) -> None:
    survey = make_survey()
    document = structure.document_of(survey)
    _s, question = edits.find_question(document, "size")
    question["condition"] = {"question": "plan", "equals": "yes"}
    problems = structure.apply_document(survey, document)
    assert problems and "'plan' is not an earlier question" in problems[0]


def test_the_designer_pages_build_a_survey_over_http(client) -> None:
    survey = make_survey()
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    url = f"/workspace/surveys/{survey.key}/design"
    assert "Add a page" in client.get(url).get_data(as_text=True)
    token = token_for(client, url)
    page = client.post(
        f"{url}/sections/new",
        data={
            "csrf_token": token,
            "key": "third",
            "title": "Kolmas sivu",
            "condition": "plan|equals|yes",
            "first_key": "premises",
            "first_type": "yes_no",
            "first_text": "Onko teillä omat tilat?",
        },
    )
    assert page.status_code == 303
    bad = client.post(
        f"{url}/questions/new?section=third",
        data={
            "csrf_token": token,
            "section": "third",
            "type": "multiple_choice",
            "key": "Needs!",
            "text": "",
        },
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "lower-case letters" in text
    made = client.post(
        f"{url}/questions/new?section=third",
        data={
            "csrf_token": token,
            "section": "third",
            "type": "multiple_choice",
            "key": "help_needed",
            "text": "Missä tarvitsette apua?",
            "options": "training = Koulutus\nmoney = Rahoitus",
            "setting_max_choices": "1",
            "required": "y",
            "condition": "size|not_equals|large",
            "theme": "volunteering",
        },
    )
    assert made.status_code == 303, made.get_data(as_text=True)
    db.session.expire_all()
    question = db.session.scalar(sa.select(Question).where(Question.key == "help_needed"))
    assert (
        question.settings == {"max_choices": 1}
        and question.required
        and question.theme == "volunteering"
    )
    assert question.condition == {"question": "size", "not_equals": "large"}
    assert question.section.condition == {"question": "plan", "equals": "yes"}
    page = client.get(f"{url}/questions/help_needed").get_data(as_text=True)
    assert "training = Koulutus" in page and 'value="size|not_equals|large" selected' in page

    answer(survey, make_organisation(), {"size": "small", "plan": "no", "name": "Aino"})
    refused = client.post(
        f"{url}/change",
        data={"csrf_token": token, "item": "name", "action": "remove"},
        follow_redirects=True,
    )
    assert "The question name has answers, so it cannot be removed" in refused.get_data(
        as_text=True
    )
    settings = client.post(
        f"{url}/settings",
        data={
            "csrf_token": token,
            "locales": ["fi", "sv"],
            "default_locale": "en",
            "theme": "preparedness",
        },
    )
    assert (
        settings.status_code == 422
        and "The main language must be one of the survey" in settings.get_data(as_text=True)
    )
    saved = client.post(
        f"{url}/settings",
        data={
            "csrf_token": token,
            "locales": ["fi", "sv", "en"],
            "default_locale": "fi",
            "theme": "segregation",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-02-01T09:00",
        },
    )
    assert saved.status_code == 422  # closes before it opens: the validator says so
    db.session.expire_all()
    assert get_survey("test-survey").theme == "preparedness"
