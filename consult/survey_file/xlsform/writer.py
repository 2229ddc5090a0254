"""Writing a survey document as an XLSForm workbook that pyxform converts (docs/xlsform.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from consult.questions.scale import DONT_KNOW
from consult.survey_file.codes import effective_codes
from consult.survey_file.xlsform.conditions import _number_text, condition_to_relevant
from consult.survey_file.xlsform.languages import LANGUAGE_NAMES, _per_locale, language_header

_effective_codes = effective_codes


class _Writer:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc = document
        self.locales = [loc for loc in document["locales"] if loc in LANGUAGE_NAMES]
        self.default = document["default_locale"]
        self.survey: list[dict[Any, Any]] = []
        self.choices: list[dict[Any, Any]] = []
        questions = [q for s in document["sections"] for q in s["questions"]]
        self.types = {q["key"]: q["type"] for q in questions}
        self.names = {q["key"] for q in questions} | {s["key"] for s in document["sections"]}
        self.lists = {"yes_no"}
        self.matrix_rows: dict[str, list[str]] = {}

    def unique(self, wanted: str, taken: set[str]) -> str:
        name, number = wanted, 1
        while name in taken:
            number += 1
            name = f"{wanted}_{number}"
        taken.add(name)
        return name

    def texts(self, row: dict, column: str, texts: Mapping[str, str] | None) -> None:
        for locale, text in (texts or {}).items():
            if locale in LANGUAGE_NAMES:
                row[(column, locale)] = text

    def workbook(self) -> Workbook:
        doc = self.doc
        if doc.get("introduction"):
            row = {"type": "note", "name": self.unique("introduction", self.names)}
            self.texts(row, "label", doc["introduction"])
            self.survey.append(row)
        for section in doc["sections"]:
            row = {"type": "begin_group", "name": section["key"], "appearance": "field-list"}
            self.texts(row, "label", section["title"])
            self.texts(row, "hint", section.get("description"))
            if section.get("condition"):
                row["relevant"] = condition_to_relevant(
                    section["condition"], self.types, self.matrix_rows
                )
            self.survey.append(row)
            for question in section["questions"]:
                self.question(question)
            self.survey.append({"type": "end_group", "name": section["key"]})
        book = Workbook()
        sheet = book.active
        sheet.title = "survey"
        self.fill(
            sheet,
            self.survey,
            [
                "type",
                "name",
                "label",
                "hint",
                "required",
                "relevant",
                "constraint",
                "appearance",
                "consult_theme",
                "consult_decimals",
                "consult_max_ranked",
                "consult_unit",
                "consult_code",
            ],
        )
        self.fill(
            book.create_sheet("choices"),
            self.choices,
            ["list_name", "name", "label", "consult_code"],
        )
        self.fill(
            book.create_sheet("settings"),
            [self.settings()],
            [
                "form_id",
                "form_title",
                "default_language",
                "consult_theme",
                "consult_title",
                "consult_opens_at",
                "consult_closes_at",
            ],
        )
        return book

    def settings(self) -> dict[Any, Any]:
        doc = self.doc
        row: dict[Any, Any] = {
            "form_id": doc["key"],
            "form_title": doc["title"].get(self.default, ""),
            "default_language": f"{LANGUAGE_NAMES[self.default]} ({self.default})",
            "consult_theme": doc["theme"],
        }
        self.texts(
            row, "consult_title", {k: v for k, v in doc["title"].items() if k != self.default}
        )
        for name in ("opens_at", "closes_at"):
            if doc.get(name):
                value = doc[name]
                row[f"consult_{name}"] = (
                    value.isoformat() if hasattr(value, "isoformat") else str(value)
                )
        return row

    def fill(self, sheet: Any, rows: list[dict[Any, Any]], columns: list[str]) -> None:
        always = {"type", "name", "label", "list_name", "form_id"}
        headers: list[Any] = []
        for column in columns:
            if column in ("label", "hint", "consult_unit", "consult_title"):
                if column in always or any(
                    isinstance(k, tuple) and k[0] == column for r in rows for k in r
                ):
                    headers.extend((column, loc) for loc in self.locales)
            elif column in always or any(column in r for r in rows):
                headers.append(column)
        if sheet.title == "settings":
            headers = [h for h in headers if h != ("consult_title", self.default)]
        sheet.append([language_header(*h) if isinstance(h, tuple) else h for h in headers])
        for row in rows:
            sheet.append([_cell(row.get(h)) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            wide = str(cell.value).startswith(("label", "hint", "relevant", "form_title"))
            sheet.column_dimensions[cell.column_letter].width = 40 if wide else 18
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"

    def list_for(self, key: str) -> str:
        return self.unique(key, self.lists)

    def choice_rows(self, list_name: str, items: list[Mapping[str, Any]]) -> None:
        for item, code in zip(items, _effective_codes(items), strict=True):
            row = {"list_name": list_name, "name": item["key"], "consult_code": code}
            self.texts(row, "label", item["text"])
            self.choices.append(row)

    def question(self, question: Mapping[str, Any]) -> None:
        kind = question["type"]
        settings = question.get("settings") or {}
        row: dict[Any, Any] = {"name": question["key"]}
        self.texts(row, "label", question.get("text"))
        self.texts(row, "hint", question.get("help"))
        if question.get("required"):
            row["required"] = "yes"
        if question.get("condition"):
            row["relevant"] = condition_to_relevant(
                question["condition"], self.types, self.matrix_rows
            )
        if question.get("theme"):
            row["consult_theme"] = question["theme"]
        if kind == "matrix":
            self.matrix(question, row, settings)
            return
        getattr(self, f"write_{kind}")(question, row, settings)
        self.survey.append(row)
        for option in question.get("options") or []:
            if option.get("specify"):
                specify = {
                    "type": "text",
                    "name": self.unique(f"{question['key']}_specify", self.names),
                }
                self.texts(specify, "label", option["text"])
                specify["relevant"] = f"selected(${{{question['key']}}}, '{option['key']}')"
                self.survey.append(specify)

    def write_single_choice(self, question: Mapping, row: dict, settings: Mapping) -> None:
        list_name = self.list_for(question["key"])
        row["type"] = f"select_one {list_name}"
        self.choice_rows(list_name, question["options"])

    def write_multiple_choice(self, question: Mapping, row: dict, settings: Mapping) -> None:
        list_name = self.list_for(question["key"])
        row["type"] = f"select_multiple {list_name}"
        self.choice_rows(list_name, question["options"])
        if settings.get("max_choices") is not None:
            row["constraint"] = f"count-selected(.) <= {settings['max_choices']}"

    def write_ranking(self, question: Mapping, row: dict, settings: Mapping) -> None:
        list_name = self.list_for(question["key"])
        row["type"] = f"rank {list_name}"
        self.choice_rows(list_name, question["options"])
        if settings.get("max_ranked") is not None:
            row["consult_max_ranked"] = settings["max_ranked"]

    def write_yes_no(self, question: Mapping, row: dict, settings: Mapping) -> None:
        row["type"] = "select_one yes_no"
        if not any(r["list_name"] == "yes_no" for r in self.choices):
            items = [
                {"key": k, "text": _per_locale(w, self.locales)}
                for k, w in (("yes", _l("Yes")), ("no", _l("No")))
            ]
            for item in items:
                choice = {"list_name": "yes_no", "name": item["key"]}
                self.texts(choice, "label", item["text"])
                self.choices.append(choice)

    def scale_list(self, key: str, settings: Mapping) -> str:
        list_name = self.list_for(key)
        low, high = settings.get("min", 1), settings.get("max", 5)
        for point in range(low, high + 1):
            row = {"list_name": list_name, "name": str(point)}
            for locale in self.locales:
                end = "min_label" if point == low else "max_label" if point == high else None
                label = (settings.get(end) or {}).get(locale) if end else None
                row[("label", locale)] = label or str(point)
            self.choices.append(row)
        if settings.get("dont_know"):
            row = {"list_name": list_name, "name": DONT_KNOW}
            self.texts(row, "label", _per_locale(_l("Don't know"), self.locales))
            self.choices.append(row)
        return list_name

    def write_scale(self, question: Mapping, row: dict, settings: Mapping) -> None:
        row["type"] = f"select_one {self.scale_list(question['key'], settings)}"
        row["appearance"] = "likert"

    def matrix(self, question: Mapping, row: dict, settings: Mapping) -> None:
        required = row.pop("required", None)
        row.update({"type": "begin_group", "appearance": "field-list"})
        self.survey.append(row)
        list_name = self.scale_list(question["key"], settings)
        statements = question["statements"]
        for statement, code in zip(statements, _effective_codes(statements), strict=True):
            name = self.unique(f"{question['key']}_{statement['key']}", self.names)
            self.matrix_rows.setdefault(question["key"], []).append(name)
            line = {
                "type": f"select_one {list_name}",
                "name": name,
                "appearance": "likert",
                "consult_code": code,
            }
            self.texts(line, "label", statement["text"])
            if required:
                line["required"] = required
            self.survey.append(line)
        self.survey.append({"type": "end_group", "name": question["key"]})

    def write_number(self, question: Mapping, row: dict, settings: Mapping) -> None:
        row["type"] = "decimal" if settings.get("decimals") else "integer"
        if "decimals" in settings:
            row["consult_decimals"] = settings["decimals"]
        bounds = [
            f". {op} {_number_text(settings[n])}"
            for n, op in (("min", ">="), ("max", "<="))
            if settings.get(n) is not None
        ]
        if bounds:
            row["constraint"] = " and ".join(bounds)
        self.texts(row, "consult_unit", settings.get("unit"))

    def write_short_text(self, question: Mapping, row: dict, settings: Mapping) -> None:
        row["type"] = "text"
        if settings.get("max_length") is not None:
            row["constraint"] = f"string-length(.) <= {settings['max_length']}"

    def write_long_text(self, question: Mapping, row: dict, settings: Mapping) -> None:
        self.write_short_text(question, row, settings)
        row["appearance"] = "multiline"

    def write_date(self, question: Mapping, row: dict, settings: Mapping) -> None:
        row["type"] = "date"
        bounds = [
            f". {op} date('{_plain_date(settings[n])}')"
            for n, op in (("min", ">="), ("max", "<="))
            if settings.get(n)
        ]
        if bounds:
            row["constraint"] = " and ".join(bounds)

    def write_note(self, question: Mapping, row: dict, settings: Mapping) -> None:
        row["type"] = "note"


def _plain_date(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
