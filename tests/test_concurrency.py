"""Many requests for one response at once, through a real server: exactly one response."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa
from factories import make_organisation, make_survey

from consult.extensions import db
from consult.models import Answer, Response
from consult.services import invitations

TOKEN_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def browser_session(live_server):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def request(path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with opener.open(live_server + path, data=body, timeout=30) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    return request


@pytest.fixture
def link(app):
    survey = make_survey()
    survey.state = "open"
    db.session.commit()
    return "/r/" + invitations.invite(survey, [make_organisation()])[0].token


def page_token(request, path: str) -> str:
    return TOKEN_FIELD.search(request(path)[1]).group(1)


def test_twenty_parallel_submits_leave_one_submitted_response(browser_session, link) -> None:
    request = browser_session
    token = page_token(request, f"{link}/p/first")
    status, _ = request(
        f"{link}/p/first",
        {"csrf_token": token, "action": "next", "q_size": "large", "q_plan": "no"},
    )
    assert status == 302
    token = page_token(request, f"{link}/review")
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(
            pool.map(lambda _: request(f"{link}/submit", {"csrf_token": token})[0], range(20))
        )
    assert statuses == [302] * 20
    db.session.expire_all()
    rows = db.session.execute(sa.select(Response.status, Response.submitted_at)).all()
    assert len(rows) == 1 and rows[0][0] == "submitted"


def test_parallel_saves_of_one_page_leave_one_consistent_answer(browser_session, link) -> None:
    request = browser_session
    token = page_token(request, f"{link}/p/first")

    def save(i: int) -> int:
        data = {
            "csrf_token": token,
            "action": "save",
            "q_size": "small",
            "q_plan": "yes",
            "q_plan_year": str(2000 + i),
        }
        return request(f"{link}/p/first", data)[0]

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(save, range(10)))
    assert statuses == [302] * 10
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Answer.question_id, sa.func.count()).group_by(Answer.question_id)
    ).all()
    assert [count for _, count in rows] == [1, 1, 1]
    year = db.session.scalar(
        sa.select(Answer.value).join(Answer.question).where(sa.text("question.key = 'plan_year'"))
    )
    assert 2000 <= year < 2010


def test_two_tabs_saving_different_pages_keep_both(browser_session, link) -> None:
    request = browser_session
    token = page_token(request, f"{link}/p/first")
    first = {"csrf_token": token, "action": "save", "q_size": "small", "q_plan": "no"}
    assert request(f"{link}/p/first", first)[0] == 302

    def save(i: int) -> int:
        if i % 2:
            data = {
                "csrf_token": token,
                "action": "save",
                "q_size": "small",
                "q_plan": "yes",
                "q_plan_year": "2020",
            }
            return request(f"{link}/p/first", data)[0]
        data = {"csrf_token": token, "action": "save", "q_comment": f"tab {i}"}
        return request(f"{link}/p/second", data)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(save, range(16))) == {302}
    db.session.expire_all()
    keys = set(
        db.session.scalars(
            sa.select(sa.text("question.key")).select_from(Answer).join(Answer.question)
        )
    )
    assert {"size", "plan", "plan_year", "comment"} <= keys
