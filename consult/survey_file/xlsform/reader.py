"""Reading a workbook: languages, choice lists, the group tree and settings; the survey
sheet's sections, questions, choices and matrices are read by the mixins it combines."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from pyxform import aliases
from pyxform.parsing.expression import RE_PYXFORM_REF

from consult.domain import ACTION_THEMES
from consult.i18n import CONTENT_LOCALES
from consult.survey_file.document import FORMAT
from consult.survey_file.problems import SurveyFileError
from consult.survey_file.xlsform.choices import _Choices
from consult.survey_file.xlsform.conditions import Asked
from consult.survey_file.xlsform.languages import language_header, locale_of
from consult.survey_file.xlsform.mapping import _CONTROL, consult_key, consult_survey_key
from consult.survey_file.xlsform.matrices import _Matrices
from consult.survey_file.xlsform.questions import _Questions
from consult.survey_file.xlsform.report import SheetProblem, _Report, located
from consult.survey_file.xlsform.sections import _Sections
from consult.survey_file.xlsform.sheets import (
    _CHOICE_COLUMNS,
    _SETTINGS_COLUMNS,
    _SURVEY_COLUMNS,
    _TRANSLATED,
    _Node,
    _Row,
    _Sheet,
)


class _Reader(_Sections, _Questions, _Matrices, _Choices, _Report):
    def __init__(self, book: dict[str, Any], stem: str, theme: str | None, key: str | None):
        self.book = book
        self.stem = stem
        self.theme = theme
        self.key = key
        self.errors: list[SheetProblem] = []
        self.notes: list[SheetProblem] = []
        self.where: dict[str, tuple[str, int | None, str]] = {}
        self.asked: dict[str, Asked] = {}
        self.lists: dict[str, list[_Row]] = {}
        self.lists_noted: set[str] = set()
        self.used_lists: set[str] = set()
        self.sections: list[dict[str, Any]] = []

    # --- the workbook ---------------------------------------------------------------------

    def run(self, source: str) -> dict[str, Any]:
        book = self.book
        if "survey" not in book:
            sheets = ", ".join(book.get("sheet_names") or []) or "-"
            message = _("has no sheet named survey (its sheets: %(sheets)s)", sheets=sheets)
            raise SurveyFileError([located("", None, "", message)], source)
        self.survey = _Sheet("survey", book, _SURVEY_COLUMNS, aliases.survey_header)
        self.choices = _Sheet("choices", book, _CHOICE_COLUMNS, aliases.list_header)
        self.settings = _Sheet("settings", book, _SETTINGS_COLUMNS, aliases.settings_header)
        sheets = (self.survey, self.choices, self.settings)
        for sheet in sheets:
            for first, second in sheet.duplicates:
                message = _("means the same as column %(other)s", other=first)
                self.errors.append(located(sheet.name, None, second, message))
        for name in book.get("sheet_names") or []:
            if name.lower() not in ("survey", "choices", "settings"):
                message = _(
                    "sheet '%(name)s' not kept: consult reads survey, choices and settings",
                    name=name,
                )
                self.notes.append(located("", None, "", message))
        if "type" not in {c.name for c in self.survey.columns.values()}:
            self.error(None, "type", _("is missing: every XLSForm needs a type column"), "survey")
        self.setting_row = next((r for r in self.settings.rows if r.values), None)
        self.read_languages()
        self.read_lists()
        tree = self.read_tree()
        self.stop_on_errors(source)
        document = self.read_settings()
        self.read_sections(tree, document)
        self.stop_on_errors(source)
        if not self.sections:
            message = _("has no question that consult can ask")
            raise SurveyFileError([located("survey", None, "", message)], source)
        document["sections"] = self.sections
        self.note_unused()
        return document

    def read_languages(self) -> None:
        row = self.setting_row
        wanted = row.get("default_language") if row else ""
        self.default = locale_of(wanted) if wanted else None
        if wanted and self.default is None:
            self.note(
                row,
                self.settings.header("default_language"),
                _(
                    "'%(language)s' is not a language consult offers (%(locales)s)",
                    language=wanted,
                    locales=", ".join(CONTENT_LOCALES),
                ),
            )
        order: list[str | None] = []
        self.unknown_languages: set[str] = set()
        for sheet in (self.survey, self.choices, self.settings):
            for column in sheet.columns.values():
                if column.name not in _TRANSLATED:
                    continue
                locale = locale_of(column.language) if column.language else None
                if column.language and locale is None:
                    self.unknown_languages.add(column.header)
                elif locale not in order:
                    order.append(locale)
        if self.default is None:
            self.default = next((loc for loc in order if loc), None)
        if self.default is None:
            self.default = self.fallback_locale()
        locales = [self.default if loc is None else loc for loc in order]
        self.locales = list(
            dict.fromkeys([*locales] if self.default in locales else [self.default, *locales])
        )

    def fallback_locale(self) -> str:
        locale = current_app.config.get("DEFAULT_LOCALE", "fi") if has_app_context() else "fi"
        locale = locale if locale in CONTENT_LOCALES else "fi"
        message = _(
            "no default_language: the untranslated columns are read as '%(locale)s'", locale=locale
        )
        self.notes.append(
            located("settings", None, self.settings.header("default_language"), message)
        )
        return locale

    def texts(self, row: _Row, name: str, path: str | None = None) -> dict[str, str]:
        """A text per locale from ``name::Language (code)`` columns, and from the plain ``name``
        column for the default locale (a translated column in that locale wins)."""
        out: dict[str, str] = {}
        columns = sorted(row.sheet.languages(name), key=lambda item: item[0] is None)
        for language, header in columns:
            locale = self.default if language is None else locale_of(language)
            if locale is None:
                continue
            row.used.add(header)
            if path and (language is not None or f"{path}.{locale}" not in self.where):
                self.at(f"{path}.{locale}", row, header)
            value = str(row.values.get(header, "")).strip()
            if not value:
                continue
            if locale in out:
                if out[locale] != value:
                    other = self.header_for(row, name, locale)
                    self.note(
                        row, header, _("not kept: column %(other)s gives this text", other=other)
                    )
                continue
            out[locale] = value
            if RE_PYXFORM_REF.search(value):
                self.note(
                    row, header, _("a reference to another answer (${...}) is shown as written")
                )
        if path:
            self.at(path, row, self.header_for(row, name, self.default))
        return out

    def header_for(self, row: _Row, name: str, locale: str) -> str:
        for language, header in row.sheet.languages(name):
            if language is not None and locale_of(language) == locale:
                return header
        return row.sheet.index.get((name, None), language_header(name, locale))

    def read_lists(self) -> None:
        names = {c.name for c in self.choices.columns.values()}
        if self.choices.rows and not {"list_name", "name"} <= names:
            for missing in sorted({"list_name", "name"} - names):
                self.error(None, missing, _("is missing from the choices sheet"), "choices")
            return
        seen: dict[tuple[str, str], int] = {}
        for row in self.choices.rows:
            if not row.values:
                continue
            list_name, name = row.get("list_name"), row.get("name")
            if not list_name or not name:
                column = self.choices.header("list_name" if not list_name else "name")
                self.error(row, column, _("is empty: every choice needs a list_name and a name"))
                continue
            if (list_name, name) in seen:
                message = _(
                    "'%(name)s' is used twice in list '%(list)s' (first in row %(row)d)",
                    name=name,
                    list=list_name,
                    row=seen[(list_name, name)],
                )
                self.error(row, self.choices.header("name"), message)
                continue
            seen[(list_name, name)] = row.number
            self.lists.setdefault(list_name, []).append(row)

    def read_tree(self) -> list[_Node]:
        root: list[_Node] = []
        stack: list[_Node] = []
        seen: dict[tuple[str, str], int] = {}
        for row in self.survey.rows:
            if not row.values:
                continue
            kind = " ".join(row.get("type").split())
            if not kind and not row.get("name") and not self.texts(row, "label"):
                row.use_all()
                self.note(row, "", _("a row without type, name or label is a comment: not kept"))
                continue
            if not kind:
                self.error(row, self.survey.header("type"), _("is empty: every row needs a type"))
                continue
            control = _CONTROL.match(kind)
            siblings = stack[-1].children if stack else root
            if control and control.group(1).lower() == "begin":
                node = _Node(row, "group" if control.group(2).lower() == "group" else "repeat")
                siblings.append(node)
                stack.append(node)
            elif control:
                wanted = "group" if control.group(2).lower() == "group" else "repeat"
                row.use_all()
                if not stack or stack[-1].kind != wanted:
                    message = _("%(type)s has no begin_%(kind)s before it", type=kind, kind=wanted)
                    self.error(row, self.survey.header("type"), message)
                else:
                    stack.pop()
            else:
                siblings.append(_Node(row, "item"))
            name = row.get("name")
            if not name and not control:
                self.error(
                    row, self.survey.header("name"), _("is empty: every question needs a name")
                )
            elif name and not (control and control.group(1).lower() == "end"):
                # Sections and questions are separate namespaces in consult.
                space = "section" if control and len(stack) == 1 else "item"
                slot = (space, consult_key(name, "q"))
                if slot in seen:
                    message = _(
                        "'%(name)s' is used twice (first in row %(row)d)", name=name, row=seen[slot]
                    )
                    self.error(row, self.survey.header("name"), message)
                seen.setdefault(slot, row.number)
        for node in stack:
            message = _(
                "begin_%(kind)s '%(name)s' has no end_%(kind)s",
                kind=node.kind,
                name=node.row.get("name"),
            )
            self.error(node.row, self.survey.header("type"), message)
        return root

    def read_settings(self) -> dict[str, Any]:
        row = self.setting_row
        header = self.settings.header
        form_id = row.get("form_id") if row else ""
        key = self.key or consult_survey_key(form_id or self.stem)
        if row:
            self.at("key", row, header("form_id"))
            self.at("default_locale", row, header("default_language"))
            self.at("locales", row, header("default_language"))
        else:
            for path, column in (("key", "form_id"), ("default_locale", "default_language")):
                self.at(path, None, column, "settings")
        if not self.key and key != form_id:
            message = (
                _("no usable form_id: the survey key is '%(key)s'", key=key)
                if not form_id
                else _("the survey key is '%(key)s' (lower-case letters, digits, - and _)", key=key)
            )
            self.notes.append(
                located("settings", row.number if row else None, header("form_id"), message)
            )
        title = self.texts(row, "consult_title", "title") if row else {}
        form_title = row.get("form_title") if row else ""
        if form_title:
            title[self.default] = form_title
            self.at(f"title.{self.default}", row, header("form_title"))
        self.at("title", row, header("form_title"), "settings")
        if not title:
            title = {self.default: form_id or self.stem}
            self.notes.append(
                located(
                    "settings",
                    row.number if row else None,
                    header("form_title"),
                    _("no form_title: the survey is titled '%(title)s'", title=title[self.default]),
                )
            )
        written = row.get("consult_theme") if row else ""
        theme = self.theme or written
        if self.theme and written and written != self.theme:
            message = _(
                "'%(theme)s' not kept: the theme chosen when importing is used", theme=written
            )
            self.note(row, header("consult_theme"), message)
        self.at("theme", row, header("consult_theme"), "settings")
        if not theme:
            message = _(
                "the survey needs a theme (%(themes)s): add a consult_theme column or choose one when importing",
                themes=", ".join(ACTION_THEMES),
            )
            self.errors.append(
                located("settings", row.number if row else None, header("consult_theme"), message)
            )
        document: dict[str, Any] = {
            "format": FORMAT,
            "key": key,
            "theme": theme,
            "default_locale": self.default,
            "locales": self.locales,
            "title": title,
        }
        for name in ("opens_at", "closes_at"):
            value = row.get(f"consult_{name}") if row else ""
            if value:
                document[name] = value
                self.at(name, row, header(f"consult_{name}"))
        return document
