"""Coding open answers: a list of codes per question, the codes given to each answer, and
the answers chosen as quotes for the report."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db


class Code(db.Model):
    """One code of an open question's list ("needs training", "premises")."""

    __tablename__ = "answer_code"
    __table_args__ = (sa.UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(64))
    label: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    position: Mapped[int] = mapped_column(default=0)


class CodedAnswer(db.Model):
    """A code given to one response's answer to an open question."""

    __tablename__ = "coded_answer"
    __table_args__ = (sa.UniqueConstraint("response_id", "code_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer_code.id", ondelete="CASCADE"), index=True
    )


class Quote(db.Model):
    """An open answer a coordinator chose to quote in the report."""

    __tablename__ = "quote"
    __table_args__ = (sa.UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
