"""Surveys as XLSForm workbooks (ODK, KoboToolbox, SurveyCTO): import as a draft, export.

The conversion itself is :mod:`consult.survey_file.xlsform`; this module stores and loads.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import IO

from consult.models import Survey
from consult.services.surveys import export_document, import_document
from consult.survey_file import SurveyFileError
from consult.survey_file.xlsform import SheetProblem, load_xlsform, write_xlsform

#: The content type of an .xlsx workbook, for downloads.
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_xlsform(
    source: str | Path | bytes | IO[bytes],
    filename: str,
    *,
    theme: str | None = None,
    key: str | None = None,
) -> tuple[Survey, list[SheetProblem]]:
    """Store an XLSForm workbook as a new draft survey, all or nothing.

    ``source`` is a path, the workbook's bytes or a binary file; ``filename`` names it in
    messages. ``theme`` and ``key`` replace the workbook's ``consult_theme`` and ``form_id``.
    Returns the survey and the import report: what was not kept, then missing translations,
    each located by sheet, row and column. A workbook with mistakes raises SurveyFileError
    with every mistake located the same way, and nothing is stored.
    """
    loaded = load_xlsform(source, filename=filename, theme=theme, key=key)
    try:
        survey, warnings = import_document(loaded.document, source=filename)
    except SurveyFileError as error:
        raise SurveyFileError([loaded.locate(p) for p in error.problems], filename) from None
    return survey, loaded.notes + [loaded.locate(w) for w in warnings]


def export_xlsform(survey: Survey) -> bytes:
    """The survey as an XLSForm workbook (.xlsx) that reads back into the same survey."""
    buffer = BytesIO()
    write_xlsform(export_document(survey), buffer)
    return buffer.getvalue()
