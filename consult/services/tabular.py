"""Reading a table from a CSV or XLSX file, as the imports need it: rows numbered as a
spreadsheet numbers them, neutralised formulas restored, cells holding formulas refused."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from consult.services.exports import restore
from consult.services.organisations import ImportRefused, RowProblem


def cell_value(value: Any) -> Any:
    """A cell as a plain value: text stripped and un-neutralised; None when empty."""
    if isinstance(value, str):
        value = restore(value.strip())
        return value or None
    return value


def read_file(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the non-blank rows (numbered as a spreadsheet numbers them) of a CSV or
    XLSX file. ImportRefused when the file cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records = read_csv_records(path)
    elif suffix == ".xlsx":
        records = read_xlsx_records(path)
    else:
        raise ImportRefused([RowProblem(1, "-", _("the file must be a .csv or .xlsx file"))])
    if not records:
        raise ImportRefused([RowProblem(1, "-", _("the file is empty"))])
    header = [str(h or "").strip().lower() for h in records[0]]
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell_value(c) is not None for c in cells)
    ]
    # A column without a name and without cells (a spreadsheet's trailing comma) is no column.
    blank = {
        i
        for i, name in enumerate(header)
        if not name and all(i >= len(c) or cell_value(c[i]) is None for _n, c in rows)
    }
    if blank:
        header = [name for i, name in enumerate(header) if i not in blank]
        rows = [(n, [v for i, v in enumerate(c) if i not in blank]) for n, c in rows]
    return header, rows


def read_csv_records(path: Path) -> list[list[Any]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _(
            "the file is not UTF-8 text (byte %(offset)d); save it as CSV UTF-8", offset=error.start
        )
        raise ImportRefused([RowProblem(1, "-", message)]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        message = _("the file cannot be read as CSV: %(error)s", error=error)
        raise ImportRefused([RowProblem(1, "-", message)]) from None


def read_xlsx_records(path: Path | IO[bytes]) -> list[list[Any]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused([RowProblem(1, "-", _("the file cannot be read as XLSX"))]) from None
    try:
        names = workbook.sheetnames
        sheet = workbook["responses" if "responses" in names else names[0]]
        records, problems = [], []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            for cell in row:
                if cell.data_type == "f":
                    where = getattr(cell, "column_letter", "-")
                    message = _("this cell holds a formula; write its value instead")
                    problems.append(RowProblem(number, where, message))
            records.append([cell.value for cell in row])
    finally:
        workbook.close()
    if problems:
        raise ImportRefused(problems)
    return records
