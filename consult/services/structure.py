"""Changing a survey's structure — sections, questions, options, conditions, settings — by
giving its new survey document, without ever changing what a stored answer means.

Every change the designer makes is a small edit of the survey's document (see
``export_document``); ``apply_document`` checks the whole new document with the survey file's
own validator, refuses what would change the meaning of answers already given, and then
updates the stored survey in place, matching sections, questions and options by key, so that
the rows answers point to stay the same.

Refused once a question has answers (drafts included): removing it, changing its type,
removing or re-keying an option or statement chosen in an answer, and changing a scale's
range. Wording, help, settings such as limits, conditions, order and new items stay possible.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.extensions import db
from consult.models import Answer, Option, Question, Section, Survey
from consult.services import audit, designs
from consult.services.surveys import build_survey, export_document, extend_layout
from consult.survey_file import validate
from consult.survey_file.validate import parse_time

#: Settings whose change would shift the meaning of a stored answer.
MEANINGFUL_SETTINGS = {"scale": ("min", "max"), "matrix": ("min", "max")}


def document_of(survey: Survey) -> dict[str, Any]:
    """The survey's document, to be edited and given back to ``apply_document``."""
    return copy.deepcopy(export_document(survey))


def answered(survey: Survey) -> dict[str, set[str]]:
    """For each question with answers: the option and statement keys used in them."""
    used: dict[str, set[str]] = {}
    rows = db.session.execute(
        sa.select(Question.key, Answer.value)
        .join(Answer, Answer.question_id == Question.id)
        .where(Question.survey_id == survey.id)
    )
    for key, value in rows:
        keys = used.setdefault(key, set())
        if isinstance(value, str):
            keys.add(value)
        elif isinstance(value, list):
            keys.update(v for v in value if isinstance(v, str))
        elif isinstance(value, dict):
            keys.update(k for k in value if isinstance(k, str))
            keys.update(v for v in value.values() if isinstance(v, str))
    return used


def _questions(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["key"]: q for s in document.get("sections", []) for q in s.get("questions", [])}


def protection_problems(survey: Survey, document: dict[str, Any]) -> list[str]:
    """What the new document would change in the meaning of answers already stored."""
    used = answered(survey)
    if not used:
        return []
    problems = []
    new = _questions(document)
    current = {q.key: q for q in survey.questions}
    for key, keys in sorted(used.items()):
        question = current[key]
        if key not in new:
            problems.append(
                _(
                    "The question %(key)s has answers, so it cannot be removed. Hide it with a "
                    "display condition instead, or make a new survey.",
                    key=key,
                )
            )
            continue
        if new[key]["type"] != question.type:
            problems.append(
                _(
                    "The question %(key)s has answers, so its type cannot change "
                    "(the answers would change meaning). Add a new question instead.",
                    key=key,
                )
            )
            continue
        kept = {o["key"] for o in new[key].get("options", []) + new[key].get("statements", [])}
        for option in question.choices:
            if option.key in keys and option.key not in kept:
                problems.append(
                    _(
                        "The option %(option)s of the question %(key)s has been chosen in "
                        "answers, so it cannot be removed or get another key.",
                        option=option.key,
                        key=key,
                    )
                )
        settings = new[key].get("settings") or {}
        for name in MEANINGFUL_SETTINGS.get(question.type, ()):
            if settings.get(name) != question.settings.get(name):
                problems.append(
                    _(
                        "The question %(key)s has answers, so its scale cannot change "
                        "(%(setting)s).",
                        key=key,
                        setting=name,
                    )
                )
    return problems


def apply_document(survey: Survey, document: dict[str, Any], *, action: str = "edit") -> list[str]:
    """Make ``survey`` what ``document`` describes; returns the problems (nothing is changed
    then). The key cannot change."""
    errors, _warnings = validate(document)
    problems = [problem.located("").lstrip(": ") for problem in errors]
    if not problems and document.get("key") != survey.key:
        problems.append(_("The survey's key cannot change."))
    if not problems:
        problems = protection_problems(survey, document)
    if problems:
        return problems
    before = export_document(survey)
    fresh = build_survey(document)
    _sync(survey, fresh, document)
    audit.record(
        action,
        survey.key,
        survey=survey,
        details=_summary(before, document),
    )
    designs.touch(survey)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return []


def _sync(survey: Survey, fresh: Survey, document: dict[str, Any]) -> None:
    for name in ("theme", "default_locale", "title", "introduction"):
        setattr(survey, name, copy.deepcopy(getattr(fresh, name)))
    survey.locales = list(fresh.locales)
    survey.opens_at = parse_time(document["opens_at"]) if document.get("opens_at") else None
    survey.closes_at = parse_time(document["closes_at"]) if document.get("closes_at") else None

    sections = {s.key: s for s in survey.sections}
    questions = {q.key: q for q in survey.questions}
    wanted_sections = [s.key for s in fresh.sections]
    wanted_questions = {q.key for q in fresh.questions}
    for key, question in questions.items():
        if key not in wanted_questions:
            question.section.questions.remove(question)
            survey.questions.remove(question)
            db.session.delete(question)
    for key, section in sections.items():
        if key not in wanted_sections:
            survey.sections.remove(section)
            db.session.delete(section)
    db.session.flush()

    for s_index, new_section in enumerate(fresh.sections):
        section = sections.get(new_section.key)
        if section is None:
            section = Section(key=new_section.key)
            survey.sections.append(section)
            sections[section.key] = section
        section.position = s_index
        section.title = copy.deepcopy(new_section.title)
        section.description = copy.deepcopy(new_section.description)
        section.condition = copy.deepcopy(new_section.condition)
        for q_index, new_question in enumerate(new_section.questions):
            question = questions.get(new_question.key)
            if question is None:
                question = Question(key=new_question.key, type=new_question.type)
                survey.questions.append(question)
                questions[question.key] = question
            if question.section is not section:
                if question.section is not None and question in question.section.questions:
                    question.section.questions.remove(question)
                section.questions.append(question)
            question.type = new_question.type
            question.section_position = s_index
            question.position = q_index
            for name in ("required", "theme", "text", "help", "settings", "condition"):
                setattr(question, name, copy.deepcopy(getattr(new_question, name)))
            _sync_options(question, new_question)
    db.session.flush()
    survey.sections.sort(key=lambda s: s.position)
    for section in survey.sections:
        section.questions.sort(key=lambda q: q.position)
    survey.column_layout = extend_layout(survey.column_layout, survey.ordered_questions())


def _sync_options(question: Question, new_question: Question) -> None:
    current = {(o.role, o.key): o for o in question.choices}
    wanted = {(o.role, o.key) for o in new_question.choices}
    for marker, option in current.items():
        if marker not in wanted:
            question.choices.remove(option)
            db.session.delete(option)
    next_code = max([o.code for o in question.choices] + [0]) + 1
    for position, new_option in enumerate(new_question.choices):
        option = current.get((new_option.role, new_option.key))
        if option is None:
            taken = {o.code for o in question.choices if o.role == new_option.role}
            code = new_option.code if new_option.code not in taken else next_code
            next_code = max(next_code, code) + 1
            option = Option(role=new_option.role, key=new_option.key, code=code)
            question.choices.append(option)
        option.position = position
        option.text = copy.deepcopy(new_option.text)
        option.specify = new_option.specify
    question.choices.sort(key=lambda o: (o.role, o.position))


def _summary(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Which sections and questions were added, removed or changed."""
    old_q, new_q = _questions(before), _questions(after)
    old_s = {s["key"] for s in before.get("sections", [])}
    new_s = {s["key"] for s in after.get("sections", [])}
    return {
        "sections_added": sorted(new_s - old_s),
        "sections_removed": sorted(old_s - new_s),
        "questions_added": sorted(set(new_q) - set(old_q)),
        "questions_removed": sorted(set(old_q) - set(new_q)),
        "questions_changed": sorted(k for k in set(old_q) & set(new_q) if old_q[k] != new_q[k]),
    }
