"""Personal data: export of everything about one person, erasure that leaves every aggregate
as it was, and the retention period (with the clock moved forward)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from factories import answer, make_survey
from workspace_helpers import make_user

from consult.extensions import db
from consult.models import Answer, AuditEntry, ContactPerson, User
from consult.services import audit, invitations, report_cache, reports
from consult.services.organisations import OrganisationData, create_organisation


def org(name: str, person: str, email: str):
    made = create_organisation(
        OrganisationData(
            name=name,
            contacts=[{"name": person, "email": email, "phone": "040 123", "locale": "fi"}],
        )
    )
    db.session.commit()
    return made


def test_export_and_erase_one_person(app, runner) -> None:
    survey = make_survey()
    aino = org("Aino ry", "Aino Virtanen", "aino@example.org")
    others = [org(f"Muu {i} ry", f"Henkilö {i}", f"h{i}@example.org") for i in range(6)]
    answer(survey, aino, {"size": "small", "name": "Yhteyshenkilö Aino Virtanen, aino@example.org"})
    for i, other in enumerate(others):
        answer(survey, other, {"size": "large" if i % 2 else "small", "name": f"Vastaus {i}"})
    make_user("coordinator", "aino@example.org", name="Aino Virtanen")
    audit.record("sign_in", "aino@example.org").actor = "aino@example.org"
    db.session.commit()
    before = reports.build(survey, locale="en", k=3)
    cached_as = report_cache.freshness(survey)

    exported = json.loads(
        runner.invoke(args=["privacy", "export", "--email", "AINO@example.org"]).output
    )
    assert exported["contact_person"][0]["name"] == "Aino Virtanen"
    assert exported["account"]["role"] == "coordinator"
    assert exported["audit_log"][0]["action"] == "sign_in"
    assert "Aino Virtanen" in exported["mentioned_in_open_answers"][0]["text"]

    erased = runner.invoke(args=["privacy", "erase", "--email", "aino@example.org", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert (
        db.session.scalar(sa.select(ContactPerson).where(ContactPerson.email == "aino@example.org"))
        is None
    )
    assert db.session.scalar(sa.select(User).where(User.email == "aino@example.org")) is None
    assert not db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.actor == "aino@example.org")
    )
    texts = " ".join(t for t in db.session.scalars(sa.select(Answer.text)) if t)
    assert "Aino Virtanen" not in texts and "aino@example.org" not in texts and "[erased]" in texts
    # a report kept in a server's memory (with its quotes) is made again, not served as it was
    assert report_cache.freshness(survey) != cached_as
    after = reports.build(survey, locale="en", k=3)
    for key in ("questions", "findings"):
        assert after[key] == before[key]  # every aggregate unchanged
    again = json.loads(
        runner.invoke(args=["privacy", "export", "--email", "aino@example.org"]).output
    )
    assert again["contact_person"] == [] and again["account"] is None


def test_retention_erases_open_answers_and_contacts_when_due(app, runner) -> None:
    survey = make_survey(key="old-round")
    survey.closes_at = datetime(2026, 3, 31, tzinfo=UTC)
    survey.retention_days = 365
    current = make_survey(key="current-round")
    db.session.commit()
    finished = org("Vanha ry", "Vanha Henkilö", "vanha@example.org")
    ongoing = org("Jatkaa ry", "Jatkuva Henkilö", "jatkaa@example.org")
    answer(survey, finished, {"size": "small", "name": "Avoin vastaus"})
    answer(survey, ongoing, {"size": "small", "name": "Toinen vastaus"})
    invitations.invite(current, [ongoing])
    before = reports.build(survey, locale="en", k=3)["questions"]

    early = runner.invoke(args=["privacy", "retention", "--as-of", "2027-03-30T00:00:00+00:00"])
    assert "No survey is past its retention period." in early.output
    due = runner.invoke(args=["privacy", "retention", "--as-of", "2027-04-01T00:00:00+00:00"])
    assert "old-round: erased 2 open answers and 1 contact persons." in due.output
    texts = set(db.session.scalars(sa.select(Answer.text).where(Answer.text.is_not(None))))
    assert texts == {"[erased]"}
    remaining = set(db.session.scalars(sa.select(ContactPerson.email)))
    assert remaining == {"jatkaa@example.org"}  # still in a survey within its period
    assert reports.build(survey, locale="en", k=3)["questions"] == before
    assert (
        "No survey"
        in runner.invoke(
            args=["privacy", "retention", "--as-of", "2030-01-01T00:00:00+00:00"]
        ).output
    )
    assert runner.invoke(args=["privacy", "retention", "--as-of", "tomorrow"]).exit_code == 2


def test_survey_set_takes_a_retention_period(runner) -> None:
    make_survey()
    result = runner.invoke(args=["survey", "set", "test-survey", "--retention-days", "730"])
    assert result.exit_code == 0, result.output
    from consult.services.surveys import get_survey

    assert get_survey("test-survey").retention_days == 730
