"""The report page in the workspace: reviewers read the surveys given to them, in a report
language of their choosing, with downloads, earlier rounds and coded open answers."""

from __future__ import annotations

import io

import pytest
from factories import answer, make_organisation, make_survey
from PIL import Image
from workspace_helpers import make_user, sign_in

from consult.extensions import db
from consult.services import accounts, coding, waves


@pytest.fixture
def rounds(app):
    first, second = make_survey(key="prep-2025"), make_survey(key="prep-2027")
    waves.join_series(first, second)
    first.wave_label, second.wave_label = "2025", "2027"
    db.session.commit()
    for i in range(20):
        answer(
            first,
            make_organisation(f"A{i} ry"),
            {"size": "small" if i < 8 else "large", "plan": "no"},
        )
        answer(
            second,
            make_organisation(f"B{i} ry"),
            {
                "size": "small" if i < 14 else "large",
                "plan": "no",
                "name": f"Tarvitsemme tiloja {i}",
            },
        )
    return first, second


def test_a_reviewer_reads_the_report_in_another_language_with_rounds(client, rounds) -> None:
    _first, second = rounds
    reviewer = make_user("reviewer")
    accounts.set_reviewer_surveys(reviewer, [second])
    sign_in(client, "reviewer@example.org", lang="en")
    page = client.get("/workspace/surveys/prep-2027/report?rlang=sv")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="en"' in text and '<div lang="sv">' in text  # workspace en, report sv
    assert "Jämfört med tidigare omgångar" in text
    assert '<th scope="col">2025</th><th scope="col">2027</th>' in text
    assert client.get("/workspace/surveys/prep-2025/report").status_code == 404  # not given
    assert client.get("/workspace/surveys/prep-2027/").status_code == 403  # not a coordinator


def test_downloads_of_the_report_and_of_a_chart(client, rounds) -> None:
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    pdf = client.get("/workspace/surveys/prep-2027/report.pdf?rlang=fi&by=size")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    xlsx = client.get("/workspace/surveys/prep-2027/report.xlsx")
    assert xlsx.data.startswith(b"PK")
    page = client.get("/workspace/surveys/prep-2027/report").get_data(as_text=True)
    assert "/report/charts/size.png200" in page
    screen = client.get("/workspace/surveys/prep-2027/report/charts/size.png")
    printed = client.get("/workspace/surveys/prep-2027/report/charts/size.png200")
    width = Image.open(io.BytesIO(screen.data)).size[0]
    assert Image.open(io.BytesIO(printed.data)).size[0] == 2 * width
    svg = client.get("/workspace/surveys/prep-2027/report/charts/size.svg")
    assert svg.mimetype == "image/svg+xml" and b"<title" in svg.data
    assert client.get("/workspace/surveys/prep-2027/report/charts/nothing.svg").status_code == 404
    assert client.get("/workspace/surveys/prep-2027/report/charts/size.gif").status_code == 404
    assert client.get("/workspace/surveys/prep-2027/report?by=nonsense").status_code == 200


def test_coded_answers_and_quotes_appear_without_names(client, rounds) -> None:
    _first, second = rounds
    question = coding.open_question(second, "name")
    premises = coding.add_code(question, "Tilat", "fi")
    rows = coding.answers(question)
    coding.save(question, {r.response_id: ({premises.id}, r is rows[0]) for r in rows[:12]})
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    text = client.get("/workspace/surveys/prep-2027/report?rlang=en").get_data(as_text=True)
    assert "Open answers" in text and "Tilat" in text
    assert rows[0].text in text  # the chosen quote
    assert "B0 ry" not in text.split("Open answers")[1]  # never with the organisation's name


def test_the_exported_report_carries_rounds_and_open_answers(app, rounds) -> None:
    import openpyxl

    from consult.reporting.html import render_html
    from consult.reporting.xlsx import render_xlsx
    from consult.services.reports import build

    _first, second = rounds
    question = coding.open_question(second, "name")
    code = coding.add_code(question, "Tilat", "fi")
    rows = coding.answers(question)
    coding.save(question, {r.response_id: ({code.id}, r is rows[0]) for r in rows})
    data = build(second, locale="en")
    assert data["waves"]["waves"] == ["2025", "2027"]
    assert data["open_answers"][0]["quotes"] == [rows[0].text]
    html = render_html(data)
    assert "Compared with earlier rounds" in html and rows[0].text in html
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    assert {"Rounds", "Open answers"} <= set(book.sheetnames)
    shares = [r[4].value for r in book["Rounds"].iter_rows(min_row=2) if r[1].value == "Small"]
    assert shares == [pytest.approx(40.0), pytest.approx(70.0)]
