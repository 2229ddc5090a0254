"""Validation of a survey document: every mistake, located, before anything is stored."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from consult import conditions
from consult.domain import ACTION_THEMES
from consult.i18n import CONTENT_LOCALES
from consult.questions import REGISTRY, QuestionSpec
from consult.survey_file.document import FORMAT
from consult.survey_file.problems import Problem

SURVEY_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
ITEM_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

TOP_FIELDS = (
    "format",
    "key",
    "theme",
    "default_locale",
    "locales",
    "title",
    "introduction",
    "opens_at",
    "closes_at",
    "sections",
)
SECTION_FIELDS = ("key", "title", "description", "condition", "questions")
QUESTION_FIELDS = (
    "key",
    "type",
    "required",
    "theme",
    "text",
    "help",
    "settings",
    "options",
    "statements",
    "condition",
)
OPTION_FIELDS = ("key", "code", "text", "specify")
MAX_CODE = 9999


def parse_time(value: Any) -> datetime | None:
    """A timezone-aware datetime from a YAML timestamp or an ISO 8601 string; None if invalid."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo is not None else None


class _Validator:
    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.locales: list[str] = []
        self.default_locale = ""

    def error(self, path: str, message: str) -> None:
        self.errors.append(Problem(path, message))

    # --- helpers --------------------------------------------------------------------------

    def unknown_fields(self, mapping: dict[str, Any], allowed: tuple[str, ...], path: str) -> None:
        for name in mapping:
            if name not in allowed:
                where = f"{path}.{name}" if path else str(name)
                self.error(
                    where, _("unknown field (allowed: %(fields)s)", fields=", ".join(allowed))
                )

    def texts(self, value: Any, path: str, *, required: bool) -> None:
        if value is None:
            if required:
                self.error(path, _("is missing: give a text per locale"))
            return
        if not isinstance(value, dict) or not value:
            self.error(path, _("must be a text per locale, such as {fi: ..., sv: ..., en: ...}"))
            return
        for locale, text in value.items():
            if self.locales and locale not in self.locales:
                self.error(
                    f"{path}.{locale}",
                    _("'%(locale)s' is not one of the survey's locales", locale=locale),
                )
            elif not isinstance(text, str) or not text.strip():
                self.error(f"{path}.{locale}", _("must be a non-empty text"))
        if self.default_locale and self.default_locale not in value:
            self.error(
                path,
                _("has no text in the default locale '%(locale)s'", locale=self.default_locale),
            )
        for locale in self.locales:
            if locale not in value:
                self.warnings.append(
                    Problem(path, _("no translation for '%(locale)s' yet", locale=locale))
                )

    def key(self, value: Any, path: str, seen: set[str], pattern: re.Pattern[str]) -> str | None:
        if not isinstance(value, str) or not pattern.match(value):
            self.error(
                path,
                _(
                    "must be lower-case letters, digits and _ starting with a letter "
                    "(at most 64 characters)"
                ),
            )
            return None
        if value in seen:
            self.error(path, _("'%(key)s' is used twice", key=value))
            return None
        seen.add(value)
        return value

    def theme(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or value not in ACTION_THEMES:
            self.error(path, _("must be one of %(themes)s", themes=", ".join(ACTION_THEMES)))

    # --- the document ---------------------------------------------------------------------

    def run(self) -> None:
        doc = self.doc
        self.unknown_fields(doc, TOP_FIELDS, "")
        if doc.get("format") != FORMAT:
            self.error("format", _("must be '%(format)s'", format=FORMAT))
        key = doc.get("key")
        if not isinstance(key, str) or not SURVEY_KEY.match(key):
            self.error(
                "key",
                _(
                    "must be lower-case letters, digits, - and _ starting with a letter "
                    "(at most 64 characters)"
                ),
            )
        self.theme(doc.get("theme"), "theme")
        self.check_locales()
        self.texts(doc.get("title"), "title", required=True)
        self.texts(doc.get("introduction"), "introduction", required=False)
        self.check_times()
        sections = doc.get("sections")
        if not isinstance(sections, list) or not sections:
            self.error("sections", _("must be a list of at least one section"))
            return
        earlier: dict[str, QuestionSpec] = {}
        section_keys: set[str] = set()
        for i, section in enumerate(sections):
            self.check_section(section, f"sections[{i}]", section_keys, earlier)

    def check_locales(self) -> None:
        locales = self.doc.get("locales")
        if not isinstance(locales, list) or not locales:
            self.error("locales", _("must be a list of locales, such as [fi, sv, en]"))
            return
        for i, locale in enumerate(locales):
            if locale not in CONTENT_LOCALES:
                self.error(
                    f"locales[{i}]",
                    _("must be one of %(locales)s", locales=", ".join(CONTENT_LOCALES)),
                )
            elif locale in self.locales:
                self.error(f"locales[{i}]", _("'%(key)s' is used twice", key=locale))
            else:
                self.locales.append(locale)
        default = self.doc.get("default_locale")
        if default not in self.locales:
            self.error("default_locale", _("must be one of the survey's locales"))
        else:
            self.default_locale = default

    def check_times(self) -> None:
        times = {}
        for name in ("opens_at", "closes_at"):
            value = self.doc.get(name)
            if value is None:
                continue
            moment = parse_time(value)
            if moment is None:
                self.error(
                    name,
                    _(
                        "must be a date and time with a UTC offset, such as 2026-09-01T08:00:00+03:00"
                    ),
                )
            else:
                times[name] = moment
        if len(times) == 2 and times["closes_at"] <= times["opens_at"]:
            self.error("closes_at", _("must be later than opens_at"))

    def check_section(
        self,
        section: Any,
        path: str,
        keys: set[str],
        earlier: dict[str, QuestionSpec],
    ) -> None:
        if not isinstance(section, dict):
            self.error(path, _("must be a section: a mapping with key, title and questions"))
            return
        self.unknown_fields(section, SECTION_FIELDS, path)
        self.key(section.get("key"), f"{path}.key", keys, ITEM_KEY)
        self.texts(section.get("title"), f"{path}.title", required=True)
        self.texts(section.get("description"), f"{path}.description", required=False)
        if section.get("condition") is not None:
            self.check_condition(section["condition"], earlier, f"{path}.condition")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            self.error(f"{path}.questions", _("must be a list of at least one question"))
            return
        for i, question in enumerate(questions):
            self.check_question(question, f"{path}.questions[{i}]", earlier)

    def check_condition(self, condition: Any, earlier: dict[str, QuestionSpec], path: str) -> None:
        for where, message in conditions.check(condition, earlier, path):
            self.error(where, message)

    def check_question(self, question: Any, path: str, earlier: dict[str, QuestionSpec]) -> None:
        if not isinstance(question, dict):
            self.error(path, _("must be a question: a mapping with key, type and text"))
            return
        self.unknown_fields(question, QUESTION_FIELDS, path)
        key = self.key(question.get("key"), f"{path}.key", set(earlier), ITEM_KEY)
        type_key = question.get("type")
        question_type = REGISTRY.get(type_key) if isinstance(type_key, str) else None
        if question_type is None:
            self.error(f"{path}.type", _("must be one of %(types)s", types=", ".join(REGISTRY)))
        required = question.get("required", False)
        if not isinstance(required, bool):
            self.error(f"{path}.required", _("must be true or false"))
        elif required and question_type is not None and not question_type.answerable:
            self.error(f"{path}.required", _("a note has no answer and cannot be required"))
        if question.get("theme") is not None:
            self.theme(question["theme"], f"{path}.theme")
        self.texts(question.get("text"), f"{path}.text", required=True)
        self.texts(question.get("help"), f"{path}.help", required=False)
        if question.get("condition") is not None:
            self.check_condition(question["condition"], earlier, f"{path}.condition")
        settings = question.get("settings")
        if settings is None:
            settings = {}
        elif not isinstance(settings, dict):
            self.error(f"{path}.settings", _("must be a mapping of settings"))
            settings = {}
        option_keys = self.check_options(question, "options", path, question_type)
        statement_keys = self.check_options(question, "statements", path, question_type)
        if question_type is None:
            return
        for name, rule in question_type.settings_spec.items():
            if rule.kind == "text" and name in settings:
                self.texts(settings[name], f"{path}.settings.{name}", required=False)
        spec = QuestionSpec(
            key=key or "",
            type=type_key,
            settings={k: _plain_date(v) for k, v in settings.items()},
            option_keys=option_keys,
            statement_keys=statement_keys,
        )
        problems = question_type.check(spec)
        for where, message in problems:
            self.error(f"{path}.{where}", str(message))
        spec.valid = not problems
        if key is not None:
            earlier[key] = spec

    def check_options(
        self, question: dict[str, Any], field: str, path: str, question_type: Any
    ) -> list[str]:
        items = question.get(field)
        if items is None:
            return []
        where = f"{path}.{field}"
        if not isinstance(items, list):
            self.error(where, _("must be a list"))
            return []
        keys: set[str] = set()
        codes: set[int] = set()
        ordered: list[str] = []
        specified = 0
        for i, item in enumerate(items):
            item_path = f"{where}[{i}]"
            if not isinstance(item, dict):
                self.error(item_path, _("must be a mapping with key and text"))
                continue
            allowed = OPTION_FIELDS if field == "options" else ("key", "code", "text")
            self.unknown_fields(item, allowed, item_path)
            item_key = self.key(item.get("key"), f"{item_path}.key", keys, ITEM_KEY)
            if item_key:
                ordered.append(item_key)
            self.texts(item.get("text"), f"{item_path}.text", required=True)
            code = item.get("code")
            if code is not None:
                if not isinstance(code, int) or isinstance(code, bool) or not 1 <= code <= MAX_CODE:
                    self.error(
                        f"{item_path}.code",
                        _("must be a whole number from 1 to %(maximum)d", maximum=MAX_CODE),
                    )
                elif code in codes:
                    self.error(f"{item_path}.code", _("'%(key)s' is used twice", key=code))
                else:
                    codes.add(code)
            specify = item.get("specify", False)
            if not isinstance(specify, bool):
                self.error(f"{item_path}.specify", _("must be true or false"))
            elif specify:
                specified += 1
                if question_type is not None and question_type.key not in (
                    "single_choice",
                    "multiple_choice",
                ):
                    self.error(
                        f"{item_path}.specify",
                        _("only single and multiple choice options can ask to specify"),
                    )
        if specified > 1:
            self.error(where, _("at most one option may ask to specify"))
        return ordered


def _plain_date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def validate(document: dict[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """``(errors, warnings)`` for a parsed survey document."""
    validator = _Validator(document)
    validator.run()
    return validator.errors, validator.warnings
