"""What the process tests check in the database afterwards: every acknowledged submission
stored exactly once as submitted, and no response half stored."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import Flask

from consult.extensions import db
from consult.models import Invitation, Response
from consult.models.invitation import token_hash
from consult.services import responses
from consult.services.designs import design


def stored_once_and_whole(app: Flask, acknowledged: Iterable[str]) -> list[str]:
    """What is wrong: an acknowledged token (its link) whose response is not stored exactly
    once as submitted, or a response whose packed answers differ from its answer rows."""
    failed: list[str] = []
    with app.app_context():
        survey = design(db.session.scalar(sa.select(Invitation).limit(1)).survey)
        for token in acknowledged:
            invitation = db.session.scalar(
                sa.select(Invitation).where(Invitation.token_hash == token_hash(token))
            )
            found = db.session.scalars(
                sa.select(Response).where(Response.invitation_id == invitation.id)
            ).all()
            if len(found) != 1 or found[0].status != "submitted":
                failed.append(f"{token[:8]}: acknowledged, stored {[r.status for r in found]}")
        for response in db.session.scalars(sa.select(Response)):
            answers = responses.answers_of(response, survey)
            if not answers and response.coded == b"" and response.status == "draft":
                continue  # opened, stopped before the first save: empty, not half of one
            if response.coded != responses.encode(survey, answers):
                failed.append(
                    f"response {response.id} ({response.status}, {len(answers)} answers): "
                    "packed answers differ from its rows"
                )
        db.session.remove()
        db.engine.dispose()
    return failed
