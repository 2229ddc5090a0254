"""The report's tables as an XLSX workbook (openpyxl): a sheet about the report, a sheet of
findings, then one sheet per question with its tables. Numbers are numbers (percentages in
percent, 0–100, as in the JSON); a hidden number is the word "hidden"."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from consult.reporting import text
from consult.reporting.document import build_sections
from consult.reporting.tables import Hidden, Table, question_tables

FORMATS = {"count": "#,##0", "percent": "0.0", "decimal": "0.00"}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _cell(value: Any) -> Any:
    if isinstance(value, Hidden):
        return text.hidden()
    return value


def _sheet_name(key: str, taken: set[str]) -> str:
    base = SHEET_NAME.sub("_", key)[:31] or "sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f"~{number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def write_table(sheet: Worksheet, row: int, table: Table) -> int:
    """Write ``table`` from ``row`` on; return the next free row."""
    sheet.cell(row, 1, table.caption).font = BOLD
    row += 1
    for column, label in enumerate([table.row_header, *(c.label for c in table.columns)], 1):
        cell = sheet.cell(row, column, label)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for entry in table.rows:
        row += 1
        sheet.cell(row, 1, entry.label)
        for column, (value, spec) in enumerate(zip(entry.values, table.columns, strict=True), 2):
            cell = sheet.cell(row, column, _cell(value))
            if isinstance(value, int | float) and spec.kind in FORMATS:
                cell.number_format = FORMATS[spec.kind]
    for note in table.notes:
        row += 1
        sheet.cell(row, 1, note)
    return row + 2


def _about(sheet: Worksheet, report: dict[str, Any]) -> None:
    sheet.title = _("Report")[:31]
    sheet.cell(1, 1, report["survey"]["title"]).font = TITLE
    rows = [
        (_("Survey"), report["survey"]["key"]),
        (_("Language of the report"), report["language"]),
        (_("Submitted responses"), report["n_responses"]),
        (_("Smallest group shown (k)"), report["k"]),
        (_("Compared by"), report.get("by_label") or report.get("by") or "–"),
        (_("p-value adjustment"), report.get("p_adjustment") or "–"),
    ]
    if report.get("generated_at"):
        moment = datetime.fromisoformat(report["generated_at"]).replace(tzinfo=None)
        rows.append((_("Made (UTC)"), moment))
    for i, (label, value) in enumerate(rows, 3):
        sheet.cell(i, 1, label).font = BOLD
        cell = sheet.cell(i, 2, value)
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 40


def _findings(sheet: Worksheet, report: dict[str, Any]) -> None:
    headers = [
        _("Question"),
        _("Answer"),
        _("Group with the higher share"),
        _("Higher share (%)"),
        _("Group with the lower share"),
        _("Lower share (%)"),
        _("Test"),
        _("p"),
        _("Adjusted p"),
        _("Finding"),
    ]
    for column, label in enumerate(headers, 1):
        sheet.cell(1, column, label).font = BOLD
    for row, finding in enumerate(report.get("findings", []), 2):
        values = [
            finding["question_text"],
            finding["option_label"],
            finding["high"]["group"],
            finding["high"]["percent"],
            finding["low"]["group"],
            finding["low"]["percent"],
            text.test_name(finding["test"]),
            finding["p_value"],
            finding["p_adjusted"],
            finding["sentence"],
        ]
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row, column, value)
            if column in (4, 6):
                cell.number_format = FORMATS["percent"]
            elif column in (8, 9):
                cell.number_format = "0.0000"
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 40 if column in (1, 10) else 18


def render_xlsx(report: dict[str, Any], *, group_by_theme: bool = False) -> bytes:
    """The report's tables as XLSX bytes, in the report's language."""
    with force_locale(report["language"]):
        workbook = Workbook()
        _about(workbook.active, report)
        _findings(workbook.create_sheet(_("Findings")[:31]), report)
        taken = {s.title.lower() for s in workbook.worksheets}
        for section in build_sections(report, group_by_theme=group_by_theme):
            for question in section.questions:
                found = question_tables(question, report)
                if not found:
                    continue
                sheet = workbook.create_sheet(_sheet_name(question["key"], taken))
                sheet.cell(1, 1, question["text"]).font = TITLE
                sheet.cell(2, 1, section.title)
                row = 4
                for table in found:
                    row = write_table(sheet, row, table)
                sheet.column_dimensions["A"].width = 40
                for column in range(2, 14):
                    sheet.column_dimensions[get_column_letter(column)].width = 14
        if report.get("waves"):
            _rounds(workbook.create_sheet(_("Rounds")[:31]), report["waves"], report["k"])
        if report.get("open_answers"):
            _open_answers(workbook.create_sheet(_("Open answers")[:31]), report["open_answers"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _header(sheet: Worksheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, 1):
        sheet.cell(row, column, label).font = BOLD


def _rounds(sheet: Worksheet, compared: dict[str, Any], k: int) -> None:
    """Each compared option: its share (and interval) per round, and the last change."""
    labels = [_("Question"), _("Answer"), _("Round"), _("n"), _("Share (%)")]
    labels += [_("Lower limit (95 %)"), _("Upper limit (95 %)"), _("Change (points)")]
    labels += [_("Lower limit (95 %)"), _("Upper limit (95 %)"), _("p"), _("Adjusted p")]
    _header(sheet, 1, labels)
    row = 2
    for question in compared["questions"]:
        for option in question["options"]:
            change = option.get("change") or {}
            for point in option["points"]:
                last = point["wave"] == change.get("to")
                values = [
                    question.get("text", question["key"]),
                    option["label"],
                    point["wave"],
                    point["n"] if point["n"] is None or point["n"] >= k else _("hidden"),
                    point["percent"] if point["percent"] is not None else _("hidden"),
                    point["ci_low"],
                    point["ci_high"],
                    change.get("difference") if last else None,
                    change.get("ci_low") if last else None,
                    change.get("ci_high") if last else None,
                    change.get("p_value") if last else None,
                    change.get("p_adjusted") if last else None,
                ]
                for column, value in enumerate(values, 1):
                    sheet.cell(row, column, value)
                row += 1
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 30


def _open_answers(sheet: Worksheet, questions: list[dict[str, Any]]) -> None:
    """Coded open questions: each code's share, then the chosen quotes."""
    _header(
        sheet,
        1,
        [
            _("Question"),
            _("Code"),
            _("n"),
            _("Count"),
            _("Share (%)"),
            _("Lower limit (95 %)"),
            _("Upper limit (95 %)"),
        ],
    )
    row = 2
    for question in questions:
        for option in question["options"]:
            hidden = option["suppressed"]
            values = [
                question["text"],
                option["label"],
                question["n"],
                _("hidden") if hidden else option["count"],
                None if hidden else option["percent"],
                None if hidden else option["ci_low"],
                None if hidden else option["ci_high"],
            ]
            for column, value in enumerate(values, 1):
                sheet.cell(row, column, value)
            row += 1
        for quote in question.get("quotes", []):
            sheet.cell(row, 1, question["text"])
            sheet.cell(row, 2, _("Quote"))
            sheet.cell(row, 3, quote)
            row += 1
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 30
