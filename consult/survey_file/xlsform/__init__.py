"""XLSForm workbooks (ODK, KoboToolbox, SurveyCTO) read into survey documents and written from them.

:func:`read_xlsform` turns a workbook into a survey document (docs/survey-format.md) and an
import report that names, by sheet, row and column, everything consult could not keep.
:func:`write_xlsform` writes a survey document as a workbook that pyxform converts and that
reads back into the same survey. docs/xlsform.md describes the mapping.

The workbook is read with pyxform's own reader, column aliases and expression lexer, so a
workbook means here what it means to ODK; it is written with openpyxl.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import xlsx_to_dict

from consult.survey_file.problems import Problem, SurveyFileError
from consult.survey_file.validate import validate
from consult.survey_file.xlsform.conditions import (
    Asked,
    condition_to_relevant,
    relevant_to_condition,
    simplify,
)
from consult.survey_file.xlsform.expressions import Node, Unsupported
from consult.survey_file.xlsform.languages import LANGUAGE_NAMES, language_header, locale_of
from consult.survey_file.xlsform.mapping import consult_key, consult_survey_key
from consult.survey_file.xlsform.reader import _Reader
from consult.survey_file.xlsform.report import SheetProblem, located
from consult.survey_file.xlsform.writer import _Writer

__all__ = [
    "LANGUAGE_NAMES",
    "Asked",
    "Node",
    "SheetProblem",
    "Unsupported",
    "XLSFormImport",
    "condition_to_relevant",
    "consult_key",
    "consult_survey_key",
    "language_header",
    "load_xlsform",
    "locale_of",
    "located",
    "read_xlsform",
    "relevant_to_condition",
    "simplify",
    "write_xlsform",
]


@dataclass
class XLSFormImport:
    """A workbook read: the survey document, the import report, and how to locate a problem
    that the validator (or the database) reports on the document in the workbook."""

    document: dict[str, Any]
    notes: list[SheetProblem]
    warnings: list[SheetProblem]
    locate: Callable[[Problem], SheetProblem]


def load_xlsform(
    source: str | Path | bytes | IO[bytes],
    *,
    filename: str | None = None,
    theme: str | None = None,
    key: str | None = None,
) -> XLSFormImport:
    """Read and validate a workbook. Every error, located, in one :class:`SurveyFileError`."""
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    if isinstance(source, str | Path):
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            message = _("cannot read the file: %(error)s", error=error.strerror)
            raise SurveyFileError([located("", None, "", message)], name) from None
    else:
        data = source if isinstance(source, bytes) else source.read()
    try:
        book = xlsx_to_dict(BytesIO(data))
    except (PyXFormError, ValueError, TypeError, KeyError, OSError) as error:
        message = _("is not an XLSForm workbook (.xlsx) that can be read: %(error)s", error=error)
        raise SurveyFileError([located("", None, "", message)], name) from None
    reader = _Reader(book, Path(name).stem if name else "survey", theme, key)
    document = reader.run(name)
    errors, warnings = validate(document)
    if errors:
        raise SurveyFileError([reader.locate(p) for p in errors], name)
    return XLSFormImport(
        document, reader.report(), [reader.locate(w) for w in warnings], reader.locate
    )


def read_xlsform(
    path_or_file: str | Path | bytes | IO[bytes], **options: Any
) -> tuple[dict[str, Any], list[SheetProblem]]:
    """The survey document of an XLSForm workbook, and the import report: located notes on
    what was not kept, then warnings (missing translations). Raises SurveyFileError."""
    loaded = load_xlsform(path_or_file, **options)
    return loaded.document, loaded.notes + loaded.warnings


def write_xlsform(document: Mapping[str, Any], path_or_file: str | Path | IO[bytes]) -> None:
    """Write a (valid) survey document as an XLSForm workbook (docs/xlsform.md)."""
    _Writer(document).workbook().save(path_or_file)
