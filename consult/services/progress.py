"""Following a survey round: each organisation's status and the response rate.

An organisation takes part in a round when it was invited or answered through the open
link. Its status is the furthest it got: invited → opened → draft → submitted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from consult.domain import SERVED_LANGUAGES, SIZES, THEME_GROUPS
from consult.extensions import db
from consult.models import Invitation, Organisation, Response, Survey

STATUSES = ("not_invited", "invited", "opened", "draft", "submitted")


@dataclass
class Counts:
    """Organisations of a round by status; ``total`` counts those invited or answering."""

    invited: int = 0
    opened: int = 0
    draft: int = 0
    submitted: int = 0

    @property
    def total(self) -> int:
        return self.invited + self.opened + self.draft + self.submitted

    @property
    def rate(self) -> float | None:
        """Submitted responses as a share (0–1) of the organisations taking part."""
        return self.submitted / self.total if self.total else None

    def add(self, status: str) -> None:
        if status != "not_invited":
            setattr(self, status, getattr(self, status) + 1)


@dataclass
class OrganisationStatus:
    organisation_id: int
    status: str
    invitation: Invitation | None = None
    response_status: str | None = None
    updated_at: datetime | None = None


def _status(invitation: Invitation | None, response: tuple[str, Any] | None) -> str:
    if response is not None:
        return "submitted" if response[0] == "submitted" else "draft"
    if invitation is None:
        return "not_invited"
    return "opened" if invitation.opened_at else "invited"


def statuses(survey: Survey) -> dict[int, OrganisationStatus]:
    """The status of every organisation taking part in ``survey``, by organisation id."""
    invitations = {
        i.organisation_id: i
        for i in db.session.scalars(sa.select(Invitation).where(Invitation.survey_id == survey.id))
    }
    responses = {
        row.organisation_id: (row.status, row.updated_at)
        for row in db.session.execute(
            sa.select(Response.organisation_id, Response.status, Response.updated_at).where(
                Response.survey_id == survey.id
            )
        )
    }
    result = {}
    for organisation_id in set(invitations) | set(responses):
        response = responses.get(organisation_id)
        result[organisation_id] = OrganisationStatus(
            organisation_id,
            _status(invitations.get(organisation_id), response),
            invitations.get(organisation_id),
            response[0] if response else None,
            response[1] if response else None,
        )
    return result


def counts_by_survey(surveys: Iterable[Survey]) -> dict[int, Counts]:
    """The counts of several surveys with two queries."""
    ids = [s.id for s in surveys]
    result = {survey_id: Counts() for survey_id in ids}
    if not ids:
        return result
    answered: dict[tuple[int, int], str] = {}
    for survey_id, organisation_id, status in db.session.execute(
        sa.select(Response.survey_id, Response.organisation_id, Response.status).where(
            Response.survey_id.in_(ids)
        )
    ):
        answered[(survey_id, organisation_id)] = "submitted" if status == "submitted" else "draft"
    for survey_id, organisation_id, opened_at in db.session.execute(
        sa.select(Invitation.survey_id, Invitation.organisation_id, Invitation.opened_at).where(
            Invitation.survey_id.in_(ids)
        )
    ):
        if (survey_id, organisation_id) not in answered:
            result[survey_id].add("opened" if opened_at else "invited")
    for (survey_id, _organisation_id), status in answered.items():
        result[survey_id].add(status)
    return result


@dataclass
class Breakdown:
    """Counts per value of an organisation attribute, in the vocabulary's order."""

    attribute: str
    rows: list[tuple[str, str, Counts]] = field(default_factory=list)


_VOCABULARIES = {"theme_group": THEME_GROUPS, "size": SIZES, "languages": SERVED_LANGUAGES}


def breakdowns(survey: Survey, by_id: dict[int, OrganisationStatus]) -> list[Breakdown]:
    """Counts per theme group, size and language served (an organisation serving several
    languages counts under each). "Not given" collects organisations without the attribute."""
    from flask_babel import gettext as _

    organisations = {
        o.id: o
        for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(list(by_id))))
    }
    result = []
    for attribute, vocabulary in _VOCABULARIES.items():
        counts: dict[str, Counts] = {key: Counts() for key in vocabulary}
        unknown = Counts()
        for organisation_id, status in by_id.items():
            organisation = organisations.get(organisation_id)
            value = getattr(organisation, attribute, None) if organisation else None
            values = value if isinstance(value, list) else ([value] if value else [])
            targets = [counts[v] for v in values if v in counts] or [unknown]
            for target in targets:
                target.add(status.status)
        rows = [(key, str(vocabulary[key]), c) for key, c in counts.items() if c.total]
        if unknown.total:
            rows.append(("", _("Not given"), unknown))
        result.append(Breakdown(attribute, rows))
    return result


def per_day(survey: Survey, zone: str = "Europe/Helsinki") -> list[tuple[date, int, int]]:
    """Responses first submitted per day (local time), with the running total."""
    tz = ZoneInfo(zone)
    days = Counter(
        moment.astimezone(tz).date()
        for moment in db.session.scalars(
            sa.select(Response.submitted_at).where(
                Response.survey_id == survey.id,
                Response.status == "submitted",
                Response.submitted_at.is_not(None),
            )
        )
    )
    running, result = 0, []
    for day in sorted(days):
        running += days[day]
        result.append((day, days[day], running))
    return result
