"""A survey and its design: sections, questions, options.

Texts are stored per locale as ``{"fi": ..., "sv": ..., "en": ...}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.base import UTCDateTime, utcnow


class Survey(db.Model):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    theme: Mapped[str] = mapped_column(sa.String(20))
    state: Mapped[str] = mapped_column(sa.String(10), default="draft")
    #: Whether anyone may answer through the survey's open link, registering an organisation.
    open_link: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    default_locale: Mapped[str] = mapped_column(sa.String(5))
    locales: Mapped[list[str]] = mapped_column(sa.JSON)
    title: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    introduction: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    #: The analysis columns, append-only: ``[[question_key, item_key_or_null], ...]``.
    #: ``Response.coded`` holds one number per column in this order.
    column_layout: Mapped[list[list[str | None]]] = mapped_column(sa.JSON, default=list)
    #: Surveys of one series are rounds (waves) of the same questions, compared by key.
    series: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    #: The round's name in comparisons, such as "2027" (default: the year it opened).
    wave_label: Mapped[str | None] = mapped_column(sa.String(40))
    #: Days after closing that contact details and open answers are kept (None: no limit).
    retention_days: Mapped[int | None] = mapped_column()
    #: When `consult privacy retention` erased them.
    retention_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="Section.position"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        order_by="[Question.section_position, Question.position]",
    )

    def ordered_questions(self) -> list[Question]:
        """Every question in the order a respondent meets them."""
        return [q for section in self.sections for q in section.questions]

    def __repr__(self) -> str:
        return f"<Survey {self.key}>"


class Section(db.Model):
    __tablename__ = "section"
    __table_args__ = (sa.UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("survey.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    description: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position"
    )


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (sa.UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("survey.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(64))
    #: The section's position, kept here so a survey's questions sort without a join.
    section_position: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[str] = mapped_column(sa.String(20))
    required: Mapped[bool] = mapped_column(default=False)
    theme: Mapped[str | None] = mapped_column(sa.String(20))
    text: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    help: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    section: Mapped[Section] = relationship(back_populates="questions")
    choices: Mapped[list[Option]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="[Option.role, Option.position]",
    )

    @property
    def options(self) -> list[Option]:
        """The answer options (choice and ranking questions)."""
        return [o for o in self.choices if o.role == "option"]

    @property
    def statements(self) -> list[Option]:
        """The statements of a matrix question."""
        return [o for o in self.choices if o.role == "statement"]

    def __repr__(self) -> str:
        return f"<Question {self.key} {self.type}>"


class Option(db.Model):
    """An answer option, or a matrix statement (``role == "statement"``)."""

    __tablename__ = "option"
    __table_args__ = (
        sa.UniqueConstraint("question_id", "role", "key"),
        sa.UniqueConstraint("question_id", "role", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(10), default="option")
    key: Mapped[str] = mapped_column(sa.String(64))
    #: Stable integer code used by the analysis and the exports; never reused.
    code: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    #: Choosing this option asks for a short text ("other, please specify").
    specify: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="choices")
