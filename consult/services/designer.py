"""The survey designer's changes: new surveys (from a template, as the next wave of an earlier
one, or from a file), and corrections of wording in every language.

Wording may be corrected at any time, also after answers have come in: the meaning of a
stored answer hangs on question and option keys, which wording changes leave alone. Every
change is recorded in the audit log with the text before and after.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from consult.extensions import db
from consult.models import Survey
from consult.services import audit, designs, waves
from consult.services.surveys import export_document, import_document
from consult.survey_file import FORMAT, Problem, SurveyFileError, read
from consult.survey_templates import TEMPLATES, template_document


def _named(document: dict[str, Any], key: str, title: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["key"] = key
    if title:
        document["title"] = {**document["title"], document["default_locale"]: title}
    return document


def from_template(name: str, key: str, title: str = "") -> Survey:
    """A draft survey from one of the shipped templates. SurveyFileError says what is wrong."""
    if name not in TEMPLATES:
        raise SurveyFileError(
            [Problem("template", _("there is no template '%(name)s'", name=name))]
        )
    survey, _warnings = import_document(_named(template_document(name), key, title))
    audit.record("create_survey", key, survey=survey, details={"template": name})
    db.session.commit()
    return survey


def next_wave(source: Survey, key: str, title: str = "") -> Survey:
    """A draft copy of ``source`` for the next round: every section, question and option key
    is kept (so the rounds can be compared question by question); dates are left out."""
    document = export_document(source)
    document.pop("opens_at", None)
    document.pop("closes_at", None)
    survey, _warnings = import_document(_named(document, key, title))
    waves.join_series(source, survey)
    audit.record("create_survey", key, survey=survey, details={"copy_of": source.key})
    db.session.commit()
    return survey


def blank(key: str, title: str, theme: str, locales: list[str], default_locale: str) -> Survey:
    """A new draft survey with one page holding a welcome note, to build on in the designer."""
    document = {
        "format": FORMAT,
        "key": key,
        "theme": theme,
        "default_locale": default_locale,
        "locales": locales,
        "title": {default_locale: title},
        "sections": [
            {
                "key": "start",
                "title": {default_locale: title},
                "questions": [{"key": "welcome", "type": "note", "text": {default_locale: title}}],
            }
        ],
    }
    survey, _warnings = import_document(document)
    audit.record("create_survey", key, survey=survey, details={"blank": True})
    db.session.commit()
    return survey


def from_file(
    path: str | Path, filename: str, *, key: str | None = None, theme: str | None = None
) -> tuple[Survey, list[Any]]:
    """A draft survey from an uploaded survey file (.yaml, .yml, .json) or XLSForm (.xlsx);
    ``key`` and ``theme``, when given, replace the file's own. Returns the survey and the
    notes of what the import could not keep."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        from consult.services.xlsform import import_xlsform

        survey, notes = import_xlsform(path, filename, theme=theme, key=key)
    elif suffix in (".yaml", ".yml", ".json"):
        document = read(path)
        if isinstance(document, dict):
            document.update({k: v for k, v in (("key", key), ("theme", theme)) if v})
        survey, notes = import_document(document, source=filename)
    else:
        raise SurveyFileError(
            [Problem("file", _("choose a survey file (.yaml, .json) or an XLSForm (.xlsx)"))],
            filename,
        )
    audit.record("create_survey", survey.key, survey=survey, details={"file": filename[:200]})
    db.session.commit()
    return survey, notes


# --- wording ------------------------------------------------------------------------------


@dataclass
class Wording:
    """One translatable text of a survey: where it is, and its text per locale."""

    ref: str  # e.g. "q:12:text", stable within the survey
    where: str  # a human label: "Question plan_year", "Option plan/yes"
    texts: dict[str, str]
    long: bool = False


def wordings(survey: Survey) -> list[Wording]:
    """Every text of the survey, in the order a respondent meets them."""
    items = [
        Wording("survey:title", _("Survey title"), dict(survey.title)),
        Wording("survey:introduction", _("Introduction"), dict(survey.introduction or {}), True),
    ]
    for section in survey.sections:
        items.append(
            Wording(
                f"s:{section.id}:title",
                _("Page %(key)s: title", key=section.key),
                dict(section.title),
            )
        )
        if section.description:
            items.append(
                Wording(
                    f"s:{section.id}:description",
                    _("Page %(key)s: description", key=section.key),
                    dict(section.description),
                    True,
                )
            )
        for question in section.questions:
            items.append(
                Wording(
                    f"q:{question.id}:text",
                    _("Question %(key)s", key=question.key),
                    dict(question.text),
                    True,
                )
            )
            if question.help:
                items.append(
                    Wording(
                        f"q:{question.id}:help",
                        _("Question %(key)s: help", key=question.key),
                        dict(question.help),
                        True,
                    )
                )
            for option in question.choices:
                label = (
                    _("Statement %(question)s/%(key)s", question=question.key, key=option.key)
                    if option.role == "statement"
                    else _("Option %(question)s/%(key)s", question=question.key, key=option.key)
                )
                items.append(Wording(f"o:{option.id}:text", label, dict(option.text)))
    return items


def untranslated(survey: Survey, items: list[Wording] | None = None) -> dict[str, list[Wording]]:
    """Per locale of the survey, the texts that have a default-language text but none in it."""
    items = items if items is not None else wordings(survey)
    return {
        locale: [w for w in items if w.texts.get(survey.default_locale) and not w.texts.get(locale)]
        for locale in survey.locales
        if locale != survey.default_locale
    }


def _target(survey: Survey, ref: str) -> tuple[Any, str] | None:
    kind, _sep, rest = ref.partition(":")
    if kind == "survey":
        return (survey, rest) if rest in ("title", "introduction") else None
    ident, _sep, field = rest.partition(":")
    if not ident.isdigit():
        return None
    number = int(ident)
    if kind == "s" and field in ("title", "description"):
        return next(((s, field) for s in survey.sections if s.id == number), None)
    if kind == "q" and field in ("text", "help"):
        return next(((q, field) for q in survey.questions if q.id == number), None)
    if kind == "o" and field == "text":
        for question in survey.questions:
            for option in question.choices:
                if option.id == number:
                    return option, field
    return None


MAX_TEXT = 10_000


def change_wording(survey: Survey, changes: dict[tuple[str, str], str]) -> tuple[int, list[str]]:
    """Apply ``{(ref, locale): text}``; returns how many texts changed and the problems (then
    nothing is changed). The default language's text cannot be emptied."""
    problems: list[str] = []
    planned = []
    texts: dict[tuple[int, str], dict[str, str]] = {}  # one dict per owner and field
    for (ref, locale), raw in changes.items():
        text = raw.replace("\r\n", "\n").strip()
        target = _target(survey, ref)
        if target is None or locale not in survey.locales:
            problems.append(_("Unknown text %(ref)s (%(locale)s).", ref=ref, locale=locale))
            continue
        owner, field = target
        current = texts.setdefault((id(owner), field), dict(getattr(owner, field) or {}))
        if current.get(locale, "") == text:
            continue
        if len(text) > MAX_TEXT:
            problems.append(_("%(ref)s: at most %(count)d characters.", ref=ref, count=MAX_TEXT))
            continue
        if not text and locale == survey.default_locale and field in ("title", "text"):
            problems.append(
                _("A text in the survey's main language cannot be left empty (%(ref)s).", ref=ref)
            )
            continue
        planned.append((owner, field, locale, current, text, ref))
    if problems:
        return 0, problems
    for owner, field, locale, current, text, ref in planned:
        before = current.get(locale, "")
        if text:
            current[locale] = text
        else:
            current.pop(locale, None)
        setattr(owner, field, dict(current))
        audit.record(
            "change_wording",
            f"{survey.key} {ref} {locale}",
            survey=survey,
            details={"before": before, "after": text},
        )
    if planned:
        designs.touch(survey)
        db.session.commit()
    return len(planned), []
