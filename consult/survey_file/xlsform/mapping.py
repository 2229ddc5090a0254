"""How XLSForm maps to consult: question types, scale lists, keys, question field order."""

from __future__ import annotations

import re
from typing import Any

from pyxform import aliases
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import RE_SELECT

from consult.questions.scale import DONT_KNOW
from consult.survey_file.xlsform.sheets import _Row

_TYPES = {
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "text": "text",
    "string": "text",
    "date": "date",
    "note": "note",
    "range": "range",
}
_SELECTS = {"select one": "select_one", "select all that apply": "select_multiple", "rank": "rank"}
_CONTROL = re.compile(r"^(begin|end)[ _](group|repeat|lgroup|looped[ _]group|loop)\b", re.I)
_KEY_CHARS = re.compile(r"[^a-z0-9_]+")


def consult_key(name: str, prefix: str) -> str:
    """``name`` as a consult key: lower case, ``_`` for other characters, a letter first."""
    key = _KEY_CHARS.sub("_", name.strip().lower()).strip("_")
    if not key or not key[0].isalpha():
        key = f"{prefix}_{key}" if key else prefix
    return key[:64]


def _question_type(raw: str) -> tuple[str, str, bool]:
    """``(kind, list name, or_other)``: kind is one of the build_* names, ``unsupported``
    (a type consult cannot ask), ``needs_list``, or "" for a type XLSForm does not know."""
    match = RE_SELECT.match(raw)
    if match:
        command = match.group("select_command")
        if command in aliases.select_from_file or command == "select_one_external":
            return "unsupported", "", False
        kind = _SELECTS.get(aliases.select[command], "unsupported")
        return kind, match.group("list_name"), bool(match.group("specify_other"))
    if raw in _TYPES or raw.lower() in _TYPES:
        return _TYPES.get(raw, _TYPES.get(raw.lower(), "")), "", False
    if raw in aliases.select or raw.replace("_", " ") in aliases.select:
        return "needs_list", "", False
    known = raw in QUESTION_TYPE_DICT or raw in aliases._type_alias_map or raw in aliases.osm
    return ("unsupported" if known else ""), "", False


def _scale_points(rows: list[_Row]) -> tuple[int, int, bool] | None:
    names = [str(r.values.get(r.sheet.header("name"), "")) for r in rows]
    dont_know = bool(names) and names[-1] == DONT_KNOW
    names = names[:-1] if dont_know else names
    if not names or not all(re.fullmatch(r"\d+", n) for n in names):
        return None
    low = int(names[0])
    high = low + len(names) - 1
    if [int(n) for n in names] != list(range(low, high + 1)) or low not in (0, 1):
        return None
    return (low, high, dont_know) if 3 <= high <= 11 else None


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


_QUESTION_ORDER = (
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


def _ordered(question: dict[str, Any]) -> dict[str, Any]:
    return {name: question[name] for name in _QUESTION_ORDER if name in question}


def consult_survey_key(name: str) -> str:
    """``name`` as a survey key: lower case, ``-`` and ``_`` kept, a letter first."""
    key = re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()).strip("-_")
    if not key or not key[0].isalpha():
        key = f"survey-{key}" if key else "survey"
    return key[:64]
