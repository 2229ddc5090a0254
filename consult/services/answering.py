"""Answering a survey: the respondent's pages, drafts, submitting, and the rules around them.

The rules: a survey takes answers only while it is open; answers to questions that end up
hidden are not kept; a submitted response is always complete, submitted once, and may be
changed until the survey closes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, selectinload

from consult.extensions import db
from consult.i18n import localized
from consult.models import Invitation, Organisation, Question, Response, Section, Survey
from consult.models.base import utcnow
from consult.models.invitation import could_be_token, token_hash
from consult.questions import AnswerError, get_type
from consult.services import designs, responses
from consult.services.transactions import writing

NOT_OPEN, OPEN, CLOSED = "not_open", "open", "closed"


def phase(survey: Survey, now: datetime | None = None) -> str:
    """Whether a survey takes answers now: not_open, open or closed."""
    now = now or utcnow()
    if survey.state == "closed" or (survey.closes_at is not None and now >= survey.closes_at):
        return CLOSED
    if survey.state != "open" or (survey.opens_at is not None and now < survey.opens_at):
        return NOT_OPEN
    return OPEN


def closed_on(survey: Survey, now: datetime | None = None) -> datetime | None:
    """The closing date, once it has passed; None for a survey closed before its date."""
    now = now or utcnow()
    return survey.closes_at if survey.closes_at is not None and survey.closes_at <= now else None


@dataclass(frozen=True)
class Found:
    """What a survey link opens: the invitation (with its organisation's name), the survey's
    design as it is now, and the organisation's response if it has started one."""

    invitation: Invitation
    survey: Survey
    response: Response | None


@functools.cache
def _link_query() -> sa.Select[tuple[Invitation, datetime, Response]]:
    """Built once: building a statement and its cache key costs more than running it."""
    return (
        sa.select(Invitation, Survey.updated_at, Response)
        .join(Invitation.survey)
        .join(Invitation.organisation)
        .outerjoin(
            Response,
            sa.and_(
                Response.survey_id == Invitation.survey_id,
                Response.organisation_id == Invitation.organisation_id,
            ),
        )
        .where(Invitation.token_hash == sa.bindparam("token_hash"))
        .options(contains_eager(Invitation.organisation).load_only(Organisation.name))
    )


def find_link(token: str) -> Found | None:
    """What a survey link opens, read in one query; None for a wrong token."""
    if not could_be_token(token):
        return None
    row = db.session.execute(_link_query(), {"token_hash": token_hash(token)}).first()
    if row is None:
        return None
    invitation, survey_changed, response = row
    return Found(invitation, designs.current(invitation.survey_id, survey_changed), response)


def find_response(invitation: Invitation) -> Response | None:
    """The organisation's response to the invited survey, if it has started one."""
    return db.session.scalar(
        sa.select(Response).where(
            Response.survey_id == invitation.survey_id,
            Response.organisation_id == invitation.organisation_id,
        )
    )


def response_for(invitation: Invitation, locale: str) -> Response:
    """The organisation's response to the invited survey, created as a draft on first use.
    Raises StorageBusy."""
    response = find_response(invitation)
    if response is not None:
        return response
    try:
        with writing():
            existing = find_response(invitation)  # another request may have been first
            if existing is not None:
                return existing
            response = Response(
                survey_id=invitation.survey_id,
                organisation_id=invitation.organisation_id,
                invitation_id=invitation.id,
                locale=locale,
                status="draft",
            )
            db.session.add(response)
            invitation.opened_at = invitation.opened_at or utcnow()
    except sa.exc.IntegrityError:  # the same link opened twice at once: the other one won
        existing = find_response(invitation)
        if existing is None:
            raise
        return existing
    return response


def pages(survey: Survey, answers: Mapping[str, tuple[Any, str | None]]) -> list[Section]:
    """The sections shown for these answers, in order: the respondent's pages."""
    shown = responses.visible_keys(survey, answers)
    return [s for s in survey.sections if any(q.key in shown for q in s.questions)]


def visible_in(section: Section, survey: Survey, answers: Mapping[str, Any]) -> list[Question]:
    shown = responses.visible_keys(survey, answers)
    return [q for q in section.questions if q.key in shown]


@dataclass
class PageOutcome:
    """What saving a page did: errors by question key (nothing stored when there are any),
    or the response's answers as they were stored (all of them, not only the page's)."""

    errors: dict[str, str] = field(default_factory=dict)
    answers: dict[str, tuple[Any, str | None]] = field(default_factory=dict)
    #: A submitted response whose change made required questions appear on other pages: it
    #: was saved as a draft again, and this is the first page with such a question.
    reopened: Section | None = None

    @property
    def saved(self) -> bool:
        return not self.errors


def save_page(
    survey: Survey,
    response: Response,
    section: Section,
    typed: Mapping[str, tuple[Any, str | None]],
    form_errors: Mapping[str, str],
    *,
    require: bool,
) -> PageOutcome:
    """Store the answers typed on one page, merged with the rest of the response.

    ``form_errors`` are answers the form could not even read. With ``require``, a required
    question shown on this page must be answered. A submitted response stays complete: a
    change that would leave a required question unanswered is refused. Raises StorageBusy.
    """
    # Checked and encoded first without the lock, on the answers as read. Every change of a
    # response's answers changes its updated_at, so under the lock one small query tells
    # whether another save (a second tab) committed in between: only then is the response
    # read again and the work redone. The lock is held for the write alone.
    seen = response.updated_at
    outcome = _merge_and_check(survey, response, section, typed, form_errors, require=require)
    if isinstance(outcome, PageOutcome):
        return outcome
    coded = responses.encode(survey, outcome)
    with writing():
        if _version(response) == seen:
            locked = response
        else:
            locked = _lock(response)
            outcome = _merge_and_check(survey, locked, section, typed, form_errors, require=require)
            if isinstance(outcome, PageOutcome):
                return outcome
            coded = responses.encode(survey, outcome)
        reopened = _reopens(survey, locked, outcome) if locked.status == "submitted" else None
        responses.store(
            locked,
            outcome,
            survey,
            coded=coded,
            resume_section=section.key,
            status="draft" if reopened else None,
        )
    return PageOutcome(answers=outcome, reopened=reopened)


def _reopens(
    survey: Survey, response: Response, answers: Mapping[str, tuple[Any, str | None]]
) -> Section | None:
    """For a submitted response about to store ``answers``: the first page with a required
    question that this change brought up unanswered, if any. Questions that were unanswered
    already (a question the design gained later) do not withdraw the submission."""
    before = set(responses.missing_required(survey, responses.answers_of(response, survey)))
    brought_up = [k for k in responses.missing_required(survey, answers) if k not in before]
    return _first_page_of(survey, brought_up)


def _first_missing(survey: Survey, answers: Mapping[str, tuple[Any, str | None]]) -> Section | None:
    """The first page with a required question left unanswered, if any."""
    return _first_page_of(survey, responses.missing_required(survey, answers))


def _first_page_of(survey: Survey, keys: list[str]) -> Section | None:
    wanted = set(keys)
    return next((q.section for q in survey.ordered_questions() if q.key in wanted), None)


def _merge_and_check(
    survey: Survey,
    response: Response,
    section: Section,
    typed: Mapping[str, tuple[Any, str | None]],
    form_errors: Mapping[str, str],
    *,
    require: bool,
) -> dict[str, tuple[Any, str | None]] | PageOutcome:
    """The response's answers with this page's replaced and checked, or the page's errors."""
    merged = dict(responses.answers_of(response, survey))
    for question in section.questions:
        merged.pop(question.key, None)
    merged.update({k: v for k, v in typed.items() if k not in form_errors})
    # A submitted response stays complete: its required questions on this page must be
    # answered. A change that shows required questions on other pages is saved, and the
    # response becomes a draft until they are answered and it is submitted again.
    submitted = response.status == "submitted"
    clean, errors = check_page(
        survey, section, merged, typed, form_errors, require=require or submitted
    )
    return PageOutcome(errors) if errors else clean


def check_page(
    survey: Survey,
    section: Section,
    answers: Mapping[str, tuple[Any, str | None]],
    typed: Mapping[str, Any],
    form_errors: Mapping[str, str],
    *,
    require: bool,
) -> tuple[dict[str, tuple[Any, str | None]], dict[str, str]]:
    """The answers normalised, and the errors of the questions shown on ``section``:
    those typed wrong there and, with ``require``, the required ones left unanswered."""
    clean, errors = responses.normalise(survey, answers)
    errors = {k: v for k, v in errors.items() if k in typed}
    errors.update(form_errors)
    shown = {q.key for q in visible_in(section, survey, clean)}
    errors = {k: v for k, v in errors.items() if k in shown}
    if require:
        for key in responses.missing_required(survey, clean):
            if key in shown and key not in errors:
                errors[key] = _missing_message(survey, key, clean)
    return clean, errors


def as_far_as_readable(
    survey: Survey, typed: Mapping[str, tuple[Any, str | None]]
) -> dict[str, tuple[Any, str | None]]:
    """Typed answers as their types store them where they can be read ("1" becomes 1), and
    as typed where not, so that a page coming back shows the questions they lead to."""
    by_key = responses.questions_by_key(survey)
    readable = {}
    for key, (value, text) in typed.items():
        if (value, text) == (None, None):
            continue
        question = by_key[key]
        try:
            readable[key] = get_type(question.type).normalise(question, value, text)
        except AnswerError:
            readable[key] = (value, text)
    return readable


def _missing_message(
    survey: Survey, key: str, answers: Mapping[str, tuple[Any, str | None]]
) -> str:
    question = next(q for q in survey.questions if q.key == key)
    if question.type == "matrix":
        rated = answers.get(key, (None, None))[0] or {}
        locale = str(get_locale())
        left = [
            localized(s.text, locale, survey.default_locale)[0]
            for s in question.statements
            if s.key not in rated
        ]
        if rated and left:
            return _(
                "Choose a point on the scale also for: %(statements)s.", statements="; ".join(left)
            )
        return _("Choose a point on the scale for each statement.")
    return _("Answer this question.")


@dataclass
class SubmitOutcome:
    submitted: bool
    first_missing: Section | None = None


def submit(survey: Survey, response: Response) -> SubmitOutcome:
    """Submit a complete response. Submitting again changes nothing but the time of change."""
    with writing():
        locked = _lock(response)
        answers = responses.answers_of(locked, survey)
        section = _first_missing(survey, answers)
        if section is not None:
            return SubmitOutcome(False, section)
        now = utcnow()
        if locked.status != "submitted":
            locked.status = "submitted"
            # Submitted again after a change asked for more answers: still first submitted then.
            locked.submitted_at = locked.submitted_at or now
            locked.updated_at = now
    return SubmitOutcome(True)


@functools.cache
def _version_query() -> sa.Select[tuple[datetime]]:
    return (
        sa.select(Response.updated_at)
        .where(Response.id == sa.bindparam("response_id"))
        .with_for_update()
    )


def _version(response: Response) -> datetime | None:
    """The response's updated_at as stored now, its row locked (FOR UPDATE where the database
    has it); None when the row is gone."""
    connection = db.session.connection()  # the ORM has nothing to do with one column
    return connection.execute(_version_query(), {"response_id": response.id}).scalar()


def _lock(response: Response) -> Response:
    """The response, re-read and locked for writing (FOR UPDATE where the database has it)."""
    locked = db.session.scalars(
        sa.select(Response)
        .where(Response.id == response.id)
        .options(selectinload(Response.answers))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    responses.forget_read_answers(locked)  # its answers as re-read, not as read before
    return locked
