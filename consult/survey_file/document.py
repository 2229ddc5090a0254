"""Reading and writing survey files (YAML; JSON is read too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from consult.survey_file.problems import Problem, SurveyFileError

FORMAT = "consult-survey/1"


def read(path: str | Path) -> dict[str, Any]:
    """The parsed document; a file that cannot be read or parsed raises SurveyFileError."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise SurveyFileError(
            [Problem("", _("cannot read the file: %(error)s", error=error.strerror))], source
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = Problem("", _("is not UTF-8 text (byte %(offset)d)", offset=error.start))
        raise SurveyFileError([problem], source) from None
    return parse(text, source)


class _Loader(yaml.SafeLoader):
    """YAML 1.1 as PyYAML reads it, except that a date that does not exist (2026-02-30)
    stays text, so that the validator can say where it is instead of failing."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def parse(text: str, source: str = "") -> dict[str, Any]:
    """Parse YAML (or JSON) text into a document mapping."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except RecursionError:
        problem = Problem("", _("is nested too deeply to be a survey"))
        raise SurveyFileError([problem], source) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = _("line %(line)d, column %(column)d", line=mark.line + 1, column=mark.column + 1)
        message = _("is not valid YAML: %(problem)s", problem=error.problem or error.context)
        raise SurveyFileError([Problem(where, message)], source) from None
    except yaml.YAMLError as error:
        problem = Problem("", _("is not valid YAML: %(problem)s", problem=str(error)))
        raise SurveyFileError([problem], source) from None
    if not isinstance(data, dict):
        problem = Problem("", _("must hold a survey: a mapping with format, key, title, sections"))
        raise SurveyFileError([problem], source)
    return data


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text; lists of plain keys stay on one line."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = bool(value) and all(
        isinstance(item, str | int | float) and "\n" not in str(item) for item in value
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def dump(document: dict[str, Any]) -> str:
    """The document as YAML text, keys in the order given, Unicode kept readable."""
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
