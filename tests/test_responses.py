"""Display conditions, hidden answers, required questions and the packed analysis copy."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sqlalchemy as sa
from factories import answer, make_organisation, make_survey

from consult.analysis.columns import unpack
from consult.extensions import db
from consult.models import Answer, Response
from consult.services import responses
from consult.services.columns import load_columns


@pytest.fixture
def survey(app):
    return make_survey()


def pairs(raw):
    return {k: (v, None) for k, v in raw.items()}


def test_a_question_is_shown_only_when_its_condition_holds(survey) -> None:
    assert "plan_year" in responses.visible_keys(survey, pairs({"plan": "yes"}))
    assert "plan_year" not in responses.visible_keys(survey, pairs({"plan": "no"}))
    assert "plan_year" not in responses.visible_keys(survey, {})


def test_a_section_condition_hides_all_its_questions(survey) -> None:
    shown_small = responses.visible_keys(survey, pairs({"size": "small"}))
    shown_large = responses.visible_keys(survey, pairs({"size": "large"}))
    assert {"readiness", "statements", "order"} <= shown_small
    assert not {"readiness", "statements", "order"} & shown_large
    # not_equals does not hold while the question is unanswered
    assert "readiness" not in responses.visible_keys(survey, {})


def test_answers_to_hidden_questions_are_not_kept(survey) -> None:
    clean, errors = responses.normalise(
        survey, pairs({"size": "large", "plan": "no", "plan_year": "2020", "readiness": "4"})
    )
    assert errors == {}
    assert clean == {"size": ("large", None), "plan": ("no", None)}


def test_invalid_answers_are_reported_by_question(survey) -> None:
    _, errors = responses.normalise(survey, pairs({"size": "huge", "plan": "yes", "ghost": 1}))
    assert set(errors) == {"size", "ghost"}


def test_required_questions_that_are_shown_must_be_answered(survey) -> None:
    assert responses.missing_required(survey, {}) == ["size", "plan"]
    assert responses.missing_required(survey, pairs({"size": "small", "plan": "no"})) == []


def test_any_all_and_answered_conditions(app) -> None:
    from factories import survey_document

    document = survey_document(key="combo")
    document["sections"][0]["questions"].append(
        {
            "key": "combo",
            "type": "short_text",
            "text": {"fi": "x"},
            "condition": {
                "any": [
                    {
                        "all": [
                            {"question": "size", "equals": "large"},
                            {"question": "plan", "equals": "yes"},
                        ]
                    },
                    {"question": "needs", "any_of": ["other"]},
                ]
            },
        }
    )
    document["sections"][0]["questions"].append(
        {
            "key": "if_answered",
            "type": "short_text",
            "text": {"fi": "y"},
            "condition": {"question": "combo", "answered": True},
        }
    )
    from consult.services.surveys import import_document

    survey, _ = import_document(document)
    visible = lambda raw: responses.visible_keys(survey, pairs(raw))  # noqa: E731
    assert "combo" in visible({"size": "large", "plan": "yes"})
    assert "combo" not in visible({"size": "large", "plan": "no"})
    assert "combo" in visible({"needs": ["training", "other"]})
    assert "combo" not in visible({"needs": ["training"]})
    assert "if_answered" in visible({"size": "large", "plan": "yes", "combo": "text"})
    # combo is hidden, so an answer left in it does not count
    assert "if_answered" not in visible({"size": "small", "plan": "yes", "combo": "text"})


def test_stored_answers_and_packed_columns_agree(survey) -> None:
    org = make_organisation()
    response = answer(
        survey,
        org,
        {
            "size": "small",
            "plan": "yes",
            "plan_year": "2024",
            "needs": (["training", "other"], "a van"),
            "readiness": "dont_know",
            "statements": {"info": "3", "help": "4"},
            "order": ["b", "a", "c"],
            "comment": (None, "All good"),
        },
    )
    stored = {a.question.key: (a.value, a.text) for a in response.answers}
    assert stored["needs"] == (["training", "other"], "a van")
    assert stored["comment"] == (None, "All good")
    assert stored["plan_year"] == (2024, None)

    columns = load_columns(survey)
    assert columns.values.shape == (1, len(survey.column_layout))
    row = dict(zip(columns.layout, columns.values[0], strict=True))
    assert row[("size", None)] == 1.0
    assert row[("plan", None)] == 1.0
    assert row[("plan_year", None)] == 2024.0
    assert [row[("needs", k)] for k in ("training", "premises", "other")] == [1.0, 0.0, 1.0]
    assert row[("readiness", None)] == -1.0
    assert row[("statements", "info")] == 3.0
    assert [row[("order", k)] for k in ("a", "b", "c")] == [2.0, 1.0, 3.0]
    assert math.isnan(row[("when", None)])
    assert columns.organisation_ids.tolist() == [org.id]


def test_changing_answers_replaces_rows_and_the_packed_copy(survey) -> None:
    org = make_organisation()
    response = answer(survey, org, {"size": "small", "plan": "yes", "plan_year": "2024"})
    clean, _ = responses.normalise(
        survey, pairs({"size": "small", "plan": "no", "plan_year": "2024"})
    )
    responses.store(response, clean, survey)
    db.session.commit()
    assert db.session.query(Answer).filter_by(response_id=response.id).count() == 2
    assert math.isnan(load_columns(survey).column("plan_year")[0])


def test_only_submitted_responses_are_loaded_by_default(survey) -> None:
    answer(survey, make_organisation("A ry"), {"size": "small", "plan": "no"})
    answer(survey, make_organisation("B ry"), {"size": "large", "plan": "no"}, submitted=False)
    assert load_columns(survey).values.shape[0] == 1
    assert load_columns(survey, status="draft").column("size").tolist() == [2.0]


def test_one_response_per_organisation_and_survey(survey) -> None:
    org = make_organisation()
    answer(survey, org, {"size": "small", "plan": "no"})
    with pytest.raises(sa.exc.IntegrityError):
        answer(survey, org, {"size": "large", "plan": "no"})
    db.session.rollback()
    assert db.session.query(Response).count() == 1


def test_unpack_pads_vectors_written_before_columns_were_added() -> None:
    old = np.array([1.0, 2.0]).astype("<f8").tobytes()
    new = np.array([3.0, 4.0, 5.0]).astype("<f8").tobytes()
    matrix = unpack([old, new], 3)
    assert matrix[1].tolist() == [3.0, 4.0, 5.0]
    assert matrix[0, :2].tolist() == [1.0, 2.0] and math.isnan(matrix[0, 2])


def test_a_survey_without_responses_loads_as_empty_columns(survey) -> None:
    columns = load_columns(survey)
    assert columns.values.shape == (0, len(survey.column_layout))
    assert columns.response_ids.shape == (0,)
