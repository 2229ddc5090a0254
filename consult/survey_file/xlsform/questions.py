"""Questions read from survey rows: each XLSForm type built as a consult question."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from pyxform import aliases

from consult.survey_file.xlsform.conditions import Asked, Unsupported
from consult.survey_file.xlsform.constraints import _bound, _constraint_parts
from consult.survey_file.xlsform.mapping import (
    _ordered,
    _plain_number,
    _question_type,
    _scale_points,
    consult_key,
)
from consult.survey_file.xlsform.sheets import _Row


class _Questions:
    """The reader's questions (mixed into the reader)."""

    def question(self, row: _Row, path: str, extra: dict | None) -> dict[str, Any] | None:
        raw = " ".join(row.get("type").split())
        kind, list_name, or_other = _question_type(raw)
        name = row.get("name")
        type_header = self.survey.header("type")
        if kind == "":
            self.error(row, type_header, _("'%(type)s' is not an XLSForm question type", type=raw))
            return None
        if kind == "needs_list":
            self.error(
                row, type_header, _("'%(type)s' needs a list name from the choices sheet", type=raw)
            )
            return None
        if kind == "unsupported":
            row.use_all()
            self.note(
                row,
                type_header,
                _(
                    "'%(name)s' (%(type)s) not kept: consult has no such question type",
                    name=name,
                    type=raw,
                ),
            )
            return None
        if kind in ("select_one", "select_multiple") and row.get("appearance") == "label":
            self.heading_row(row)
            return None
        if kind in ("select_one", "select_multiple", "rank") and list_name not in self.lists:
            self.error(
                row,
                type_header,
                _("the list '%(list)s' is not in the choices sheet", list=list_name),
            )
            return None
        key = consult_key(name, "q")
        question: dict[str, Any] = {"key": key, "type": ""}
        self.at(path, row)
        for field_name, column in (
            ("key", "name"),
            ("type", "type"),
            ("required", "required"),
            ("theme", "consult_theme"),
            ("settings", "type"),
            ("options", "type"),
        ):
            self.at(f"{path}.{field_name}", row, self.survey.header(column))
        condition = self.condition(
            row, f"{path}.condition", _("the question is always shown"), extra
        )
        asked = Asked(name, key, "")
        settings: dict[str, Any] = {}
        build = getattr(self, f"build_{kind}")
        build(question, row, path, settings, asked, list_name, or_other)
        self.common(question, row, path, condition)
        if settings:
            question["settings"] = settings
        asked.type = question["type"]
        self.asked[name] = asked
        self.key_note(row, name, key)
        return _ordered(question)

    def common(
        self, question: dict[str, Any], row: _Row, path: str, condition: dict | None
    ) -> None:
        text = self.texts(row, "label", f"{path}.text")
        if text:
            question["text"] = text
        help_text = self.texts(row, "hint", f"{path}.help")
        if help_text:
            question["help"] = help_text
        required = row.get("required")
        if required:
            value = aliases.yes_no.get(required)
            if value is None:
                self.note(
                    row,
                    self.survey.header("required"),
                    _(
                        "'%(value)s' not kept: consult's questions are required or not, without conditions",
                        value=required,
                    ),
                )
            elif value and question["type"] == "note":
                self.note(row, self.survey.header("required"), _("not kept: a note has no answer"))
            elif value:
                question["required"] = True
        theme = row.get("consult_theme")
        if theme:
            question["theme"] = theme
        if condition:
            question["condition"] = condition

    def key_note(self, row: _Row, name: str, key: str) -> None:
        if name != key:
            self.note(
                row,
                self.survey.header("name"),
                _(
                    "'%(name)s' became the key '%(key)s' (lower-case letters, digits and _)",
                    name=name,
                    key=key,
                ),
            )

    def appearance(self, row: _Row, *wanted: str) -> set[str]:
        """The appearance words of a row; the column is kept only when all are ``wanted``."""
        words = set(row.get("appearance").split())
        if words - set(wanted):
            row.used.discard(self.survey.header("appearance"))
        return words

    def build_select_one(
        self,
        question: dict,
        row: _Row,
        path: str,
        settings: dict,
        asked: Asked,
        list_name: str,
        or_other: bool,
    ) -> None:
        rows = self.lists[list_name]
        self.used_lists.add(list_name)
        scale = _scale_points(rows)
        if scale and "likert" in self.appearance(row, "likert"):
            question["type"] = "scale"
            self.scale_settings(rows, settings, f"{path}.settings", list_name, scale)
            asked.points = scale
            return
        if (
            list_name == "yes_no"
            and [r.get("name") for r in rows] == ["yes", "no"]
            and not or_other
        ):
            question["type"] = "yes_no"
            self.appearance(row)
            self.yes_no_labels(rows)
            return
        question["type"] = "single_choice"
        self.appearance(row)
        question["options"] = self.options(rows, list_name, f"{path}.options", asked, or_other)

    def build_select_multiple(
        self,
        question: dict,
        row: _Row,
        path: str,
        settings: dict,
        asked: Asked,
        list_name: str,
        or_other: bool,
    ) -> None:
        question["type"] = "multiple_choice"
        self.used_lists.add(list_name)
        self.appearance(row)
        question["options"] = self.options(
            self.lists[list_name], list_name, f"{path}.options", asked, or_other
        )
        self.constraint(row, path, "multiple_choice", settings)

    def build_rank(
        self,
        question: dict,
        row: _Row,
        path: str,
        settings: dict,
        asked: Asked,
        list_name: str,
        or_other: bool,
    ) -> None:
        question["type"] = "ranking"
        self.used_lists.add(list_name)
        self.appearance(row)
        question["options"] = self.options(
            self.lists[list_name], list_name, f"{path}.options", asked, False
        )
        self.integer_setting(row, path, settings, "consult_max_ranked", "max_ranked")

    def build_integer(
        self, question: dict, row: _Row, path: str, settings: dict, asked: Asked, *_: Any
    ) -> None:
        self.build_number(question, row, path, settings, "integer")

    def build_decimal(
        self, question: dict, row: _Row, path: str, settings: dict, asked: Asked, *_: Any
    ) -> None:
        self.build_number(question, row, path, settings, "decimal")

    def build_number(self, question: dict, row: _Row, path: str, settings: dict, kind: str) -> None:
        question["type"] = "number"
        self.appearance(row)
        if (
            not self.integer_setting(row, path, settings, "consult_decimals", "decimals")
            and kind == "decimal"
        ):
            settings["decimals"] = 4
            self.note(
                row,
                self.survey.header("type"),
                _("decimal: consult keeps answers to at most 4 decimals"),
            )
        whole = settings.get("decimals", 0) == 0
        self.constraint(row, path, "integer" if whole else "number", settings)
        unit = self.texts(row, "consult_unit", f"{path}.settings.unit")
        if unit:
            settings["unit"] = unit

    def build_text(
        self, question: dict, row: _Row, path: str, settings: dict, asked: Asked, *_: Any
    ) -> None:
        words = self.appearance(row, "multiline")
        question["type"] = "long_text" if "multiline" in words else "short_text"
        self.constraint(row, path, question["type"], settings)

    def build_date(
        self, question: dict, row: _Row, path: str, settings: dict, asked: Asked, *_: Any
    ) -> None:
        question["type"] = "date"
        self.appearance(row)
        self.constraint(row, path, "date", settings)

    def build_note(
        self, question: dict, row: _Row, path: str, settings: dict, asked: Asked, *_: Any
    ) -> None:
        question["type"] = "note"
        self.appearance(row)

    def build_range(
        self, question: dict, row: _Row, path: str, settings: dict, asked: Asked, *_: Any
    ) -> None:
        parameters = dict(re.findall(r"(\w+)\s*=\s*([^\s;,]+)", row.get("parameters")))
        try:
            start, end, step = (
                float(parameters.get(n, d)) for n, d in (("start", 1), ("end", 10), ("step", 1))
            )
        except ValueError:
            start, end, step = 1.0, 10.0, 1.0
        self.appearance(row)
        if step == 1 and start in (0, 1) and 3 <= end <= 11 and end.is_integer():
            question["type"] = "scale"
            settings.update({"min": int(start), "max": int(end)})
            asked.points = (int(start), int(end), False)
            return
        question["type"] = "number"
        low, high = sorted((start, end))
        settings.update({"min": _plain_number(low), "max": _plain_number(high)})
        if not step.is_integer():
            settings["decimals"] = min(4, len(str(step).split(".")[1]))
        self.note(
            row,
            self.survey.header("parameters"),
            _(
                "range: asked as a number from %(low)s to %(high)s; the step is not kept",
                low=_plain_number(low),
                high=_plain_number(high),
            ),
        )

    def integer_setting(self, row: _Row, path: str, settings: dict, column: str, name: str) -> bool:
        value = row.get(column)
        if not value:
            return False
        settings[name] = int(value) if re.fullmatch(r"-?\d+", value) else value
        self.at(f"{path}.settings.{name}", row, self.survey.header(column))
        return True

    def constraint(self, row: _Row, path: str, kind: str, settings: dict) -> None:
        text = row.get("constraint")
        if not text:
            return
        header = self.survey.header("constraint")
        try:
            parts = _constraint_parts(text)
        except Unsupported as why:
            self.note(
                row,
                header,
                _("constraint '%(expression)s' not kept: %(reason)s", expression=text, reason=why),
            )
            return
        for written, subject, operator, bound in parts:
            try:
                name, value = _bound(kind, subject, operator, bound)
                if name in settings:
                    raise Unsupported(_("it repeats a limit"))
            except Unsupported as why:
                self.note(
                    row,
                    header,
                    _(
                        "constraint '%(expression)s' not kept: %(reason)s",
                        expression=written,
                        reason=why,
                    ),
                )
                continue
            settings[name] = value
            self.at(f"{path}.settings.{name}", row, header)
