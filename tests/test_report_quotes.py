"""Quotes in the council's report: the organisation's own name taken out, and a quote taken
out by the coordinator gone from every output at once (the report cache notices)."""

from __future__ import annotations

from factories import answer, make_organisation, make_survey
from workspace_helpers import make_user, sign_in

from consult.services import coding
from consult.services.coding import without_name

URL = "/workspace/surveys/quotes/report?rlang=en"


def _survey_with_open_answers():
    survey = make_survey(key="quotes")
    for i in range(8):
        answer(
            survey,
            make_organisation(f"Kallion perheyhdistys {i} ry"),
            {
                "size": "small",
                "plan": "no",
                "name": f"Me Kallion perheyhdistys {i}:ssä tarvitsemme tiloja {i}",
            },
        )
    return survey


def _first_answer_quoted(client):
    """Every answer coded, the first chosen as a quote; a coordinator signed in."""
    survey = _survey_with_open_answers()
    question = coding.open_question(survey, "name")
    code = coding.add_code(question, "Tilat", "fi")
    rows = coding.answers(question)
    coding.save(question, {r.response_id: ({code.id}, r is rows[0]) for r in rows})
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    return question, rows


def test_a_quote_does_not_name_its_organisation(client, app) -> None:
    _first_answer_quoted(client)
    page = client.get(URL).get_data(as_text=True).split("Open answers")[1]
    assert "Me […]:ssä tarvitsemme tiloja 0" in page
    assert "Kallion perheyhdistys 0" not in page
    json_ = client.get("/workspace/surveys/quotes/report.json?rlang=en").get_json()
    assert json_["open_answers"][0]["quotes"] == ["Me […]:ssä tarvitsemme tiloja 0"]


def test_a_name_is_found_in_any_case_and_without_its_legal_form() -> None:
    assert without_name("KALLION PERHEYHDISTYS RY:n jäsenet", "Kallion perheyhdistys ry") == (
        "[…]:n jäsenet"
    )
    assert (
        without_name("Vi på Föreningen Hem behöver", "Föreningen Hem r.f.") == "Vi på […] behöver"
    )
    assert without_name("Kallionkatu on kaukana", "Kallio ry") == "Kallionkatu on kaukana"


def test_unchoosing_a_quote_takes_it_out_of_the_report(client, app) -> None:
    question, rows = _first_answer_quoted(client)
    assert "tarvitsemme tiloja 0" in client.get(URL).get_data(as_text=True)
    coding.save(question, {r.response_id: (set(), False) for r in rows})
    page = client.get(URL).get_data(as_text=True)
    json_ = client.get("/workspace/surveys/quotes/report.json?rlang=en").get_json()
    assert json_["open_answers"][0]["quotes"] == []
    assert "tarvitsemme tiloja 0" not in page
