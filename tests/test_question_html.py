"""The HTML of a question's fields is kept per state: a page served from what is kept is the
page rendered afresh, whatever the language, the answers and the errors."""

from __future__ import annotations

import re

import pytest
from factories import make_organisation, make_survey

from consult.extensions import db
from consult.services import invitations
from consult.views import question_html

TOKEN_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def link(app):
    survey = make_survey(locales=["fi", "sv", "en", "ar"])
    survey.state = "open"
    db.session.commit()
    issued = invitations.invite(survey, [make_organisation("Kallion perheyhdistys ry")])
    return f"/r/{issued[0].token}"


def _page(response) -> str:
    return TOKEN_FIELD.sub("TOKEN", response.get_data(as_text=True))


def _token(client, url: str) -> str:
    return TOKEN_FIELD.search(client.get(url).get_data(as_text=True)).group(1)


def _visit(client, link: str) -> list[str]:
    """Every page, in every language, empty, answered, with mistakes and after a switch of
    language with a mistake on the page."""
    pages = []
    for lang in ("fi", "sv", "en", "ar"):
        for section in ("first", "second"):
            pages.append(_page(client.get(f"{link}/p/{section}?lang={lang}")))
    client.set_cookie("consult_lang", "en")
    first = f"{link}/p/first"
    answers = {"q_size": "small", "q_plan": "yes", "q_plan_year": "2020", "q_needs": "training"}
    client.post(first, data={"csrf_token": _token(client, first), "action": "save", **answers})
    second = f"{link}/p/second"
    scored = {"q_readiness": "dont_know", "q_statements__info": "2", "q_order__a": "1"}
    client.post(second, data={"csrf_token": _token(client, second), "action": "save", **scored})
    for lang in ("fi", "en"):
        pages.append(_page(client.get(f"{first}?lang={lang}")))
        pages.append(_page(client.get(f"{second}?lang={lang}")))
    mistakes = {"q_size": "huge", "q_plan": "yes", "q_plan_year": "x", "q_needs": "training"}
    for action in ("next", "lang:sv"):
        data = {"csrf_token": _token(client, first), "action": action, **mistakes}
        pages.append(_page(client.post(first, data=data)))
    pages.append(_page(client.get(f"{first}?missing=1&lang=fi")))
    return pages


def test_pages_from_kept_html_are_the_pages_rendered_afresh(client, link, monkeypatch) -> None:
    question_html._KEPT.clear()
    _visit(client, link)  # the answers are saved from here on
    kept = _visit(client, link)
    assert question_html._KEPT  # there was something to keep
    monkeypatch.setattr(question_html, "_state", lambda form_class, fields: None)
    question_html._KEPT.clear()
    fresh = _visit(client, link)
    assert not question_html._KEPT
    assert kept == fresh


def test_only_closed_answers_and_empty_fields_are_kept(client, link) -> None:
    question_html._KEPT.clear()
    first = f"{link}/p/first"
    data = {"q_size": "small", "q_plan": "yes", "q_plan_year": "2020", "q_needs": "other"}
    data["q_needs__specify"] = "Our own words"
    client.post(first, data={"csrf_token": _token(client, first), "action": "save", **data})
    question_html._KEPT.clear()
    client.get(f"{first}?lang=en")
    kept = {key[2]: key[4] for key in question_html._KEPT}
    assert set(kept) == {"size", "plan"}  # not the year, not the text typed for "other"
    assert "Our own words" not in repr(question_html._KEPT)
