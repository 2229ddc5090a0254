"""The front page and the read-only survey view, in every interface language."""

from __future__ import annotations

import html
import re

import pytest
from factories import make_survey, survey_document

from consult.extensions import db
from consult.services.surveys import import_document

HEADINGS = {"fi": "Kyselyt", "sv": "Enkäter", "en": "Surveys"}


@pytest.fixture
def templates(template_surveys):
    return template_surveys


def html_lang(page: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([a-z]+)" dir="(ltr|rtl)">', page)
    assert match, page[:200]
    return match.group(1), match.group(2)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_front_page_lists_the_three_surveys_in_each_language(client, templates, lang) -> None:
    response = client.get(f"/?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert html_lang(page) == (lang, "ltr")
    assert f"<h1>{HEADINGS[lang]}</h1>" in page
    for survey in templates:
        assert _escaped(survey.title[lang]) in page
        assert f'href="/surveys/{survey.key}"' in page


def test_the_language_choice_is_remembered(client, templates) -> None:
    client.get("/?lang=sv")
    assert html_lang(client.get("/").get_data(as_text=True))[0] == "sv"


def test_browser_language_is_used_when_nothing_was_chosen(client, templates) -> None:
    page = client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert html_lang(page)[0] == "sv"
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert html_lang(page)[0] == "fi"  # the default


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_each_template_reads_in_each_of_its_languages(client, templates, lang) -> None:
    for survey in templates:
        response = client.get(f"/surveys/{survey.key}?lang={lang}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert html_lang(page) == (lang, "ltr")
        readable = html.unescape(page)
        for question in survey.questions:
            assert question.text[lang].split("\n")[0] in readable, question.key
        assert {"fi": "Näytetään vain", "sv": "Visas bara", "en": "Shown only when"}[lang] in page


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text.split("\n")[0]))


def test_a_missing_translation_falls_back_to_the_default_and_is_marked(client, app) -> None:
    document = survey_document()
    del document["sections"][0]["questions"][0]["text"]["sv"]
    import_document(document)[0].state = "open"
    db.session.commit()
    page = client.get("/surveys/test-survey?lang=sv").get_data(as_text=True)
    assert '<span lang="fi">Size (fi)</span>' in page


def test_survey_text_is_escaped(client, app) -> None:
    payload = '<script>alert("x")</script>{{7*7}}'
    make_survey(title={"fi": payload, "sv": payload, "en": payload}).state = "open"
    db.session.commit()
    for url in ("/", "/surveys/test-survey"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;{{7*7}}" in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fi", "Sivua ei löytynyt"), ("sv", "Sidan hittades inte"), ("en", "Page not found")],
)
def test_unknown_addresses_get_a_plain_page_in_the_users_language(client, app, lang, words) -> None:
    response = client.get(f"/surveys/nope?lang={lang}")
    assert response.status_code == 404
    assert words in response.get_data(as_text=True)


def test_draft_surveys_are_not_public(client, app) -> None:
    make_survey()
    assert "test-survey" not in client.get("/").get_data(as_text=True)
    assert client.get("/surveys/test-survey").status_code == 404


def test_an_empty_instance_says_how_to_start(client, app) -> None:
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "consult demo" in page
