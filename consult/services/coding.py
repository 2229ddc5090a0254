"""Coding open answers: each open question keeps a list of codes; coordinators give codes to
answers and choose quotes; the codes are then counted like a multiple-choice question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.analysis.report import coded_question
from consult.extensions import db
from consult.i18n import localized
from consult.models import Answer, Code, CodedAnswer, Question, Quote, Response, Survey
from consult.services import audit
from consult.services.design_edits import slug

OPEN_TYPES = ("short_text", "long_text")
PAGE_SIZE = 50


class CodingError(ValueError):
    """A code cannot be added or given; the message says why."""


def open_questions(survey: Survey) -> list[Question]:
    return [q for q in survey.ordered_questions() if q.type in OPEN_TYPES]


def open_question(survey: Survey, key: str) -> Question | None:
    return next((q for q in open_questions(survey) if q.key == key), None)


def codes(question: Question) -> list[Code]:
    return list(
        db.session.scalars(
            sa.select(Code).where(Code.question_id == question.id).order_by(Code.position, Code.id)
        )
    )


def add_code(question: Question, text: str, locale: str) -> Code:
    """A new code at the end of the question's list (committed)."""
    text = (text or "").strip()
    if not text or len(text) > 200:
        raise CodingError(_("Write the code's name (at most 200 characters)."))
    existing = codes(question)
    key = slug(text)
    if any(c.key == key for c in existing):
        raise CodingError(_("The question has the code %(name)s already.", name=text))
    code = Code(question_id=question.id, key=key, label={locale: text}, position=len(existing) + 1)
    db.session.add(code)
    audit.record("add_code", f"{question.key}: {text}", survey=question.survey)
    db.session.commit()
    return code


@dataclass
class Row:
    response_id: int
    organisation: str
    text: str
    codes: set[int] = field(default_factory=set)
    quoted: bool = False


def answers(question: Question, search: str = "") -> list[Row]:
    """The submitted answers to an open question, with their codes; ``search`` matches the
    text (case-insensitive)."""
    from consult.models import Organisation

    query = (
        sa.select(Answer.response_id, Organisation.name, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(
            Answer.question_id == question.id,
            Response.status == "submitted",
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .order_by(Answer.response_id)
    )
    if search:
        pattern = (
            "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(sa.func.lower(Answer.text).like(pattern, escape="\\"))
    rows = {rid: Row(rid, name, text) for rid, name, text in db.session.execute(query)}
    code_ids = [c.id for c in codes(question)]
    if rows and code_ids:
        for response_id, code_id in db.session.execute(
            sa.select(CodedAnswer.response_id, CodedAnswer.code_id).where(
                CodedAnswer.code_id.in_(code_ids), CodedAnswer.response_id.in_(list(rows))
            )
        ):
            rows[response_id].codes.add(code_id)
    for (response_id,) in db.session.execute(
        sa.select(Quote.response_id).where(Quote.question_id == question.id)
    ):
        if response_id in rows:
            rows[response_id].quoted = True
    return list(rows.values())


def save(question: Question, given: dict[int, tuple[set[int], bool]]) -> int:
    """Set the codes and the quote choice of the answers of these responses (committed);
    returns how many answers changed."""
    known = {c.id for c in codes(question)}
    current = {row.response_id: row for row in answers(question)}
    changed = 0
    for response_id, (code_ids, quoted) in given.items():
        row = current.get(response_id)
        if row is None:
            continue
        code_ids = code_ids & known
        if code_ids == row.codes and quoted == row.quoted:
            continue
        changed += 1
        for code_id in row.codes - code_ids:
            db.session.execute(
                sa.delete(CodedAnswer).where(
                    CodedAnswer.response_id == response_id, CodedAnswer.code_id == code_id
                )
            )
        for code_id in code_ids - row.codes:
            db.session.add(CodedAnswer(response_id=response_id, code_id=code_id))
        if quoted and not row.quoted:
            db.session.add(Quote(response_id=response_id, question_id=question.id))
        elif row.quoted and not quoted:
            db.session.execute(
                sa.delete(Quote).where(
                    Quote.response_id == response_id, Quote.question_id == question.id
                )
            )
    if changed:
        audit.record(
            "code_answers", question.key, survey=question.survey, details={"answers": changed}
        )
    db.session.commit()
    return changed


def counts(question: Question) -> tuple[list[tuple[Code, int]], int]:
    """How many answers have each code, and how many answers there are (for coordinators:
    nothing hidden)."""
    rows = answers(question)
    return [(c, sum(1 for r in rows if c.id in r.codes)) for c in codes(question)], len(rows)


def frequencies(question: Question, locale: str, k: int) -> dict[str, Any]:
    """The codes of a question's answers as report JSON (like a multiple-choice question),
    cells of fewer than ``k`` respondents hidden."""
    survey = question.survey
    per_code, n = counts(question)
    code_list = [c for c, _count in per_code]
    fallback = survey.default_locale
    return coded_question(
        question.key,
        localized(question.text, locale, fallback)[0],
        [c.key for c in code_list],
        [localized(c.label, locale, next(iter(c.label), fallback))[0] for c in code_list],
        [count for _c, count in per_code],
        n,
        k,
    )


def quotes(question: Question) -> list[str]:
    """The chosen quotes of a question: texts only, and the answering organisation's own name
    taken out of the text (with or without its legal form) as "[…]"."""
    return [without_name(row.text, row.organisation) for row in answers(question) if row.quoted]


#: Legal forms that end Finnish and Swedish organisations' names, and are often left out when
#: an organisation writes its own name.
_LEGAL_FORMS = re.compile(r"\s+(ry|r\.\s?y\.?|rf|r\.\s?f\.?|säätiö|sr|stiftelse|oy|ab)\s*$", re.I)


def without_name(text: str, name: str) -> str:
    """``text`` with every mention of ``name`` (case-insensitive) replaced by "[…]"."""
    names = {name.strip(), _LEGAL_FORMS.sub("", name.strip())}
    for variant in sorted((n for n in names if len(n) >= 3), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(variant)}(?!\w)", "[…]", text, flags=re.I)
    return text
