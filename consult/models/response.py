"""Responses and their answers.

Each answer is kept twice, on purpose and in one transaction:

* ``Answer`` rows are the record: one per question, the structured ``value`` (option keys,
  numbers) in JSON and anything the respondent typed in ``text``;
* ``Response.coded`` is the analysis copy: every closed answer as a number, packed as
  little-endian float64 in the order of ``Survey.column_layout`` (NaN where there is no
  answer), so that a report reads 100,000 responses as columns with one query and one
  ``numpy.frombuffer`` instead of decoding JSON row by row.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from consult.models.invitation import Invitation
    from consult.models.organisation import Organisation
    from consult.models.survey import Question, Survey


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "organisation_id"),
        # Also answers "has anything changed since?" (the report cache) from the index alone.
        sa.Index("ix_response_survey_status_updated", "survey_id", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("survey.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitation.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    locale: Mapped[str] = mapped_column(sa.String(5))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    coded: Mapped[bytes] = mapped_column(sa.LargeBinary, default=b"")
    #: The key of the section the respondent was last on, to return there.
    resume_section: Mapped[str | None] = mapped_column(sa.String(64))

    survey: Mapped[Survey] = relationship()
    organisation: Mapped[Organisation] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    #: The structured answer: an option key, a list of keys, a number, ``{statement: point}``.
    value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    #: What the respondent typed: an open answer, or the "please specify" text of an option.
    text: Mapped[str | None] = mapped_column(sa.Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
