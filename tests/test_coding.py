"""Coding open answers: codes per question, codes given to answers, quotes, and the code
frequencies analysed like a multiple-choice question."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from factories import answer, make_organisation, make_survey
from workspace_helpers import make_user, sign_in, token_for

from consult.extensions import db
from consult.models import AuditEntry, Code
from consult.services import coding


@pytest.fixture
def survey(app):
    survey = make_survey()
    texts = [
        "Tarvitsemme tiloja",
        "Koulutusta vapaaehtoisille",
        "Tiloja ja rahaa",
        "",
        "Rahoitusta",
    ]
    for i, text in enumerate(texts):
        raw = {"size": "small"} | ({"name": text} if text else {})
        answer(survey, make_organisation(f"Yhdistys {i} ry"), raw)
    answer(survey, make_organisation("Luonnos ry"), {"name": "Kesken"}, submitted=False)
    return survey


def test_codes_are_counted_like_a_multiple_choice_question(survey) -> None:
    question = coding.open_question(survey, "name")
    premises = coding.add_code(question, "Tilat", "fi")
    money = coding.add_code(question, "Rahoitus", "fi")
    with pytest.raises(coding.CodingError):
        coding.add_code(question, "tilat", "fi")
    rows = {r.text: r.response_id for r in coding.answers(question)}
    assert set(rows) == {
        "Tarvitsemme tiloja",
        "Koulutusta vapaaehtoisille",
        "Tiloja ja rahaa",
        "Rahoitusta",
    }
    assert [r.text for r in coding.answers(question, "TILOJA")] == [
        "Tarvitsemme tiloja",
        "Tiloja ja rahaa",
    ]
    changed = coding.save(
        question,
        {
            rows["Tarvitsemme tiloja"]: ({premises.id}, True),
            rows["Tiloja ja rahaa"]: ({premises.id, money.id}, False),
            rows["Rahoitusta"]: ({money.id, 999_999}, False),  # an unknown code is ignored
        },
    )
    assert changed == 3
    per_code, n = coding.counts(question)
    assert n == 4 and [(c.key, count) for c, count in per_code] == [("tilat", 2), ("rahoitus", 2)]
    assert coding.quotes(question) == ["Tarvitsemme tiloja"]
    hidden = coding.frequencies(question, "fi", k=5)  # fewer than 5 answered: all hidden
    assert hidden["n"] is None and all(o["suppressed"] for o in hidden["options"])
    for i in range(6):
        raw = {"size": "small", "name": f"Tilat puuttuvat {i}"}
        answer(survey, make_organisation(f"Lisä {i} ry"), raw)
    new = [r.response_id for r in coding.answers(question, "puuttuvat")][:4]
    coding.save(question, {rid: ({premises.id}, False) for rid in new})
    report = coding.frequencies(question, "fi", k=3)  # 10 answered: 6 premises, 2 money
    by_key = {o["key"]: o for o in report["options"]}
    assert report["n"] == 10 and by_key["tilat"]["count"] == 6
    assert by_key["tilat"]["percent"] == pytest.approx(60.0)
    assert by_key["rahoitus"]["suppressed"] and by_key["rahoitus"]["count"] is None


def test_the_coding_page_gives_codes_and_escapes_answers(client, survey) -> None:
    answer(
        survey, make_organisation("Paha ry"), {"size": "small", "name": "<script>alert(1)</script>"}
    )
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    url = f"/workspace/surveys/{survey.key}/coding/name"
    page = client.get(url).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    token = token_for(client, url)
    empty = client.post(url, data={"csrf_token": token, "action": "add_code", "code": " "})
    assert empty.status_code == 422
    assert (
        client.post(
            url, data={"csrf_token": token, "action": "add_code", "code": "Tilat"}
        ).status_code
        == 303
    )
    code = db.session.scalar(sa.select(Code))
    rows = coding.answers(coding.open_question(survey, "name"))
    target = next(r for r in rows if r.text == "Tarvitsemme tiloja")
    saved = client.post(
        url,
        data={
            "csrf_token": token,
            "response": [str(r.response_id) for r in rows],
            f"codes-{target.response_id}": str(code.id),
            f"quote-{target.response_id}": "y",
        },
        follow_redirects=True,
    )
    assert "1 answer changed." in saved.get_data(as_text=True)
    assert coding.quotes(coding.open_question(survey, "name")) == ["Tarvitsemme tiloja"]
    assert db.session.scalar(
        sa.select(AuditEntry.action).where(AuditEntry.action == "code_answers")
    )
    assert client.get(f"/workspace/surveys/{survey.key}/coding/size").status_code == 404
