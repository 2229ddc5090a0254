"""Matrices: a group of likert rows on one scale list read as one consult matrix question."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from pyxform import aliases

from consult.survey_file.xlsform.conditions import Asked
from consult.survey_file.xlsform.mapping import (
    _ordered,
    _question_type,
    _scale_points,
    consult_key,
)
from consult.survey_file.xlsform.report import located
from consult.survey_file.xlsform.sheets import _Node, _Row


class _Matrices:
    """The reader's matrices (mixed into the reader)."""

    def heading_row(self, row: _Row) -> None:
        row.use_all()
        message = _("the heading row of a table (appearance label) not kept: it takes no answer")
        self.note(row, self.survey.header("appearance"), message)

    def matrix_rows(self, node: _Node) -> tuple[list[_Row], list[_Row]]:
        header_rows = [
            c.row for c in node.children if c.kind == "item" and c.row.get("appearance") == "label"
        ]
        rows = [c.row for c in node.children if c.row not in header_rows]
        return header_rows, rows

    def is_matrix(self, node: _Node) -> bool:
        if any(c.kind != "item" for c in node.children):
            return False
        _header_rows, rows = self.matrix_rows(node)
        kinds = [_question_type(" ".join(r.get("type").split())) for r in rows]
        lists = {list_name for kind, list_name, _o in kinds if kind == "select_one"}
        return (
            len(rows) >= 2
            and all(kind == "select_one" and not other for kind, _name, other in kinds)
            and len(lists) == 1
            and next(iter(lists)) in self.lists
            and _scale_points(self.lists[next(iter(lists))]) is not None
        )

    def matrix(
        self, node: _Node, path: str, extra: dict | None, *, conditioned: bool = True
    ) -> dict[str, Any]:
        group = node.row
        header_rows, rows = self.matrix_rows(node)
        for row in header_rows:
            self.heading_row(row)
        name = group.get("name")
        key = consult_key(name, "q")
        self.at(path, group)
        for field_name, column in (
            ("key", "name"),
            ("type", "type"),
            ("theme", "consult_theme"),
            ("statements", "type"),
            ("required", "required"),
        ):
            self.at(f"{path}.{field_name}", group, self.survey.header(column))
        condition = extra
        if conditioned:
            consequence = _("the question is always shown")
            condition = self.condition(group, f"{path}.condition", consequence, extra)
        self.group_appearance(group)
        list_name = _question_type(" ".join(rows[0].get("type").split()))[1]
        self.used_lists.add(list_name)
        scale = _scale_points(self.lists[list_name])
        settings: dict[str, Any] = {}
        self.scale_settings(self.lists[list_name], settings, f"{path}.settings", list_name, scale)
        question: dict[str, Any] = {"key": key, "type": "matrix"}
        prefix = f"{name}_"
        names = tuple(r.get("name") for r in rows)
        strip = all(n.startswith(prefix) for n in names)
        statements = []
        required = []
        for index, row in enumerate(rows):
            row_name = row.get("name")
            item_path = f"{path}.statements[{index}]"
            statement: dict[str, Any] = {
                "key": consult_key(row_name[len(prefix) :] if strip else row_name, "statement")
            }
            code = row.get("consult_code")
            if code:
                statement["code"] = int(code) if re.fullmatch(r"\d+", code) else code
                if statement["code"] == index + 1:
                    del statement["code"]
            text = self.texts(row, "label", f"{item_path}.text")
            if text:
                statement["text"] = text
            statements.append(statement)
            required.append(aliases.yes_no.get(row.get("required")) is True)
            row.get("type")
            self.appearance(row, "likert", "list-nolabel", "list")
            self.at(item_path, row)
            self.at(f"{item_path}.key", row, self.survey.header("name"))
            self.at(f"{item_path}.code", row, self.survey.header("consult_code"))
            self.asked[row_name] = Asked(row_name, key, "matrix_row", rows=names)
        question["statements"] = statements
        self.common(question, group, path, condition)
        if all(required):
            question["required"] = True
        elif any(required):
            rows_required = [r.number for r, wanted in zip(rows, required, strict=True) if wanted]
            self.notes.append(
                located(
                    "survey",
                    rows_required,
                    self.survey.header("required"),
                    _("not kept: consult requires every statement of a matrix or none"),
                )
            )
        question["settings"] = settings
        self.asked[name] = Asked(name, key, "matrix")
        self.key_note(group, name, key)
        return _ordered(question)
