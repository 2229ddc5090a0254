"""A workbook's sheets read as pyxform reads them: dealiased columns, rows, the group tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyxform.parsing.sheet_headers import process_header
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.survey import Survey as PyxformSurvey

#: Columns that pyxform nests under bind/control/media, and the names we give them.
_NAMESPACES = ("bind", "control", "media", "instance")
_COLUMN_NAMES = {
    "jr:constraintMsg": "constraint_message",
    "jr:requiredMsg": "required_message",
    "jr:count": "repeat_count",
    "list name": "list_name",
    "id_string": "form_id",
    "title": "form_title",
}
_TRANSLATED = ("label", "hint", "consult_unit", "consult_title")
_SURVEY_COLUMNS = set(MultipleChoiceQuestion.get_slot_names())
_CHOICE_COLUMNS = {*Option.get_slot_names(), "list name"}
_SETTINGS_COLUMNS = set(PyxformSurvey.get_slot_names())


@dataclass
class _Column:
    header: str
    name: str
    language: str | None


class _Sheet:
    """One sheet's columns (dealiased as pyxform does) and rows."""

    def __init__(self, name: str, book: dict[str, Any], known: set[str], names: dict) -> None:
        self.name = name
        header = book.get(f"{name}_header") or [{}]
        double = any("::" in h for h in header[0])
        self.columns: dict[str, _Column] = {}
        self.index: dict[tuple[str, str | None], str] = {}
        self.duplicates: list[tuple[str, str]] = []
        for text in header[0]:
            _new, tokens = process_header(text, double, names, known)
            tokens = tuple(tokens)
            if tokens[0] in _NAMESPACES and len(tokens) > 1:
                tokens = tokens[1:]
            column = _Column(text, _COLUMN_NAMES.get(tokens[0], tokens[0]), None)
            column.language = "::".join(tokens[1:]) or None
            self.columns[text] = column
            slot = (column.name, column.language)
            if slot in self.index:
                self.duplicates.append((self.index[slot], text))
            self.index.setdefault(slot, text)
        self.rows = [_Row(self, i + 2, values) for i, values in enumerate(book.get(name) or [])]

    def header(self, name: str) -> str:
        return self.index.get((name, None), name)

    def languages(self, name: str) -> list[tuple[str | None, str]]:
        return [(lang, h) for (n, lang), h in self.index.items() if n == name]


class _Row:
    def __init__(self, sheet: _Sheet, number: int, values: dict[str, str]) -> None:
        self.sheet = sheet
        self.number = number
        self.values = {h: v for h, v in values.items() if v not in (None, "")}
        self.used: set[str] = set()
        self.done = False  # reported as a whole: its cells need no notes of their own

    def get(self, name: str) -> str:
        header = self.sheet.index.get((name, None))
        if header is None:
            return ""
        self.used.add(header)
        return str(self.values.get(header, "")).strip()

    def use_all(self) -> None:
        self.done = True


@dataclass
class _Node:
    row: _Row
    kind: str  # group, repeat, item
    children: list[_Node] = field(default_factory=list)
