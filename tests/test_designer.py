"""The survey designer: new surveys, wording side by side with what is untranslated, and a
preview that stores nothing."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
import yaml
from factories import answer, make_organisation, make_survey, survey_document
from test_permissions import _fingerprint
from workspace_helpers import make_user, sign_in, token_for

from consult.extensions import db
from consult.models import AuditEntry, Question, Survey


def coordinator(client):
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    return client


def test_a_survey_from_a_template_and_its_next_round(client) -> None:
    coordinator(client)
    token = token_for(client, "/workspace/surveys/new")
    made = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "template",
            "template": "preparedness",
            "key": "preparedness-2027",
            "title": "Varautuminen 2027",
        },
    )
    assert made.status_code == 303 and made.headers["Location"].endswith(
        "/surveys/preparedness-2027/"
    )
    first = db.session.scalar(sa.select(Survey).where(Survey.key == "preparedness-2027"))
    assert first.state == "draft" and first.title["fi"] == "Varautuminen 2027"

    again = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "copy",
            "source": "preparedness-2027",
            "key": "preparedness-2029",
        },
    )
    assert again.status_code == 303
    second = db.session.scalar(sa.select(Survey).where(Survey.key == "preparedness-2029"))

    def keys(survey: Survey) -> list[str]:
        query = sa.select(Question.key).where(Question.survey_id == survey.id)
        return list(db.session.scalars(query.order_by(Question.id)))

    assert keys(second) == keys(first) and len(keys(first)) > 10
    assert second.opens_at is None and second.closes_at is None

    taken = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "copy",
            "source": "preparedness-2027",
            "key": "preparedness-2029",
        },
    )
    assert taken.status_code == 422 and "exists already" in taken.get_data(as_text=True)
    bad = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "template",
            "template": "preparedness",
            "key": "Huono avain!",
        },
    )
    assert bad.status_code == 422 and "letters a–z, digits and hyphens" in bad.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey)) == 2


def test_a_survey_from_an_uploaded_file_with_its_mistakes_located(client) -> None:
    coordinator(client)
    token = token_for(client, "/workspace/surveys/new")
    document = survey_document(key="from-file")
    good = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "file",
            "file": (io.BytesIO(yaml.safe_dump(document).encode()), "survey.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 303
    assert db.session.scalar(sa.select(Survey.key)) == "from-file"
    document["key"] = "broken"
    document["sections"][0]["questions"][0]["type"] = "dropdown"
    broken = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "file",
            "file": (io.BytesIO(yaml.safe_dump(document).encode()), "broken.yaml"),
        },
        content_type="multipart/form-data",
    )
    page = broken.get_data(as_text=True)
    assert broken.status_code == 422 and "broken.yaml: sections[0].questions[0].type" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey)) == 1


def test_wording_side_by_side_and_what_is_untranslated(client) -> None:
    survey = make_survey()
    question = db.session.scalar(sa.select(Question).where(Question.key == "size"))
    question.text = {"fi": "Koko", "en": "Size"}
    db.session.commit()
    coordinator(client)
    page = client.get(f"/workspace/surveys/{survey.key}/texts").get_data(as_text=True)
    assert "Swedish: <a" in page and "1 text</a>" in page
    only = client.get(f"/workspace/surveys/{survey.key}/texts?only=sv").get_data(as_text=True)
    assert f'name="t|q:{question.id}:text|sv"' in only and "t|survey:title|sv" not in only

    organisation = make_organisation()
    answer(survey, organisation, {"size": "small"})  # answers exist: wording may still change
    token = token_for(client, f"/workspace/surveys/{survey.key}/texts")
    saved = client.post(
        f"/workspace/surveys/{survey.key}/texts",
        data={
            "csrf_token": token,
            f"t|q:{question.id}:text|sv": "Storlek",
            f"t|q:{question.id}:text|fi": "Organisaation koko",
        },
    )
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Question, question.id).text == {
        "fi": "Organisaation koko",
        "en": "Size",
        "sv": "Storlek",
    }
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "change_wording")
    ).all()
    assert {(e.details["before"], e.details["after"]) for e in entries} == {
        ("", "Storlek"),
        ("Koko", "Organisaation koko"),
    }

    refused = client.post(
        f"/workspace/surveys/{survey.key}/texts",
        data={
            "csrf_token": token,
            f"t|q:{question.id}:text|fi": "",
            f"t|q:{question.id}:text|sv": "Ny",
        },
    )
    page = refused.get_data(as_text=True)
    assert (
        refused.status_code == 422 and "cannot be left empty" in page and ">Ny</textarea>" in page
    )
    db.session.expire_all()
    assert db.session.get(Question, question.id).text["sv"] == "Storlek"  # nothing half-saved


def test_the_preview_goes_through_the_pages_and_stores_nothing(client) -> None:
    survey = make_survey()
    coordinator(client)
    before = _fingerprint()
    start = client.get(f"/workspace/surveys/{survey.key}/preview?lang=sv")
    text = start.get_data(as_text=True)
    assert start.status_code == 200 and "Ingenting som skrivs här sparas" in text  # in Swedish
    page = client.get(f"/workspace/surveys/{survey.key}/preview/first?lang=sv")
    assert page.status_code == 200 and '<html lang="sv"' in page.get_data(as_text=True)
    home = client.get("/workspace/").get_data(as_text=True)
    assert (
        '<html lang="en"' in home
    )  # previewing in Swedish did not change the workspace's language
    token = token_for(client, f"/workspace/surveys/{survey.key}/preview/first")
    wrong = client.post(
        f"/workspace/surveys/{survey.key}/preview/first",
        data={"csrf_token": token, "action": "next", "q_plan": "yes", "q_plan_year": "20x5"},
    )
    assert wrong.status_code == 422
    switched = client.post(
        f"/workspace/surveys/{survey.key}/preview/first?lang=fi",
        data={"csrf_token": token, "action": "lang:sv", "q_plan": "yes", "q_plan_year": "20x5"},
    )  # a language switch with the mistake still there: the whole page in Swedish
    text = switched.get_data(as_text=True)
    assert switched.status_code == 422 and '<html lang="sv"' in text and 'value="20x5"' in text
    assert "Small (sv)" in text and "(fi)" not in text
    moved = client.post(
        f"/workspace/surveys/{survey.key}/preview/first",
        data={"csrf_token": token, "action": "next", "q_size": "small", "q_plan": "no"},
    )
    assert moved.status_code == 302 and "/preview/second?lang=" in moved.headers["Location"]
    back = client.get(f"/workspace/surveys/{survey.key}/preview/first").get_data(as_text=True)
    chosen = re.findall(r'<input[^>]*name="q_size"[^>]*>', back)
    assert [t for t in chosen if "checked" in t and 'value="small"' in t]  # the answer kept
    assert _fingerprint() == before


def test_a_blank_survey_and_an_xlsform_from_the_browser(client) -> None:
    from openpyxl import Workbook

    coordinator(client)
    token = token_for(client, "/workspace/surveys/new")
    untitled = client.post(
        "/workspace/surveys/new",
        data={"csrf_token": token, "start": "blank", "key": "needs-2027", "theme": "volunteering"},
    )
    assert untitled.status_code == 422 and "Write the survey" in untitled.get_data(as_text=True)
    made = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "blank",
            "key": "needs-2027",
            "title": "Tarpeet 2027",
            "theme": "volunteering",
            "locale": "fi",
        },
    )
    assert made.status_code == 303
    survey = db.session.scalar(sa.select(Survey).where(Survey.key == "needs-2027"))
    assert (survey.theme, survey.locales, survey.title) == (
        "volunteering",
        ["fi", "sv", "en"],
        {"fi": "Tarpeet 2027"},
    )

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label::Finnish (fi)", "label::English (en)", "relevant"])
    sheet.append(["begin_group", "basics", "Perustiedot", "Basics", None])
    sheet.append(["select_one yn", "members", "Onko jäseniä?", "Any members?", None])
    sheet.append(["integer", "count", "Montako?", "How many?", "${members} = 'yes'"])
    sheet.append(["geopoint", "where", "Missä?", "Where?", None])
    sheet.append(["end_group", None, None, None, None])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Finnish (fi)", "label::English (en)"])
    choices.append(["yn", "yes", "Kyllä", "Yes"])
    choices.append(["yn", "no", "Ei", "No"])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "default_language"])
    settings.append(["kobo-form", "Kobo-kysely", "Finnish (fi)"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    imported = client.post(
        "/workspace/surveys/new",
        data={
            "csrf_token": token,
            "start": "file",
            "theme": "cooperation",
            "file": (data, "kobo.xlsx"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = imported.get_data(as_text=True)
    assert imported.status_code == 200 and "kobo-form" in page
    assert "geopoint" in page  # the import report: what was not kept, shown to the coordinator
    survey = db.session.scalar(sa.select(Survey).where(Survey.key == "kobo-form"))
    count = db.session.scalar(sa.select(Question).where(Question.key == "count"))
    assert survey.theme == "cooperation" and count.condition == {
        "question": "members",
        "equals": "yes",
    }


def test_the_questionnaire_downloads_as_a_survey_file_and_an_xlsform(client) -> None:
    from openpyxl import load_workbook

    survey = make_survey()
    coordinator(client)
    text = client.get(f"/workspace/surveys/{survey.key}/questionnaire.yaml").get_data(as_text=True)
    assert yaml.safe_load(text)["key"] == "test-survey"
    workbook = client.get(f"/workspace/surveys/{survey.key}/questionnaire.xlsx")
    book = load_workbook(io.BytesIO(workbook.data))
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    assert client.get(f"/workspace/surveys/{survey.key}/questionnaire.exe").status_code == 404


def test_the_register_filters_by_a_surveys_status(client) -> None:
    survey = make_survey()
    done, waiting = make_organisation("Valmis ry"), make_organisation("Odottaa ry")
    from consult.services import invitations

    invitations.invite(survey, [done, waiting])
    answer(survey, done, {"size": "small"})
    coordinator(client)
    page = client.get(f"/workspace/organisations/?survey={survey.key}&status=invited").get_data(
        as_text=True
    )
    assert "Odottaa ry" in page and "Valmis ry" not in page
