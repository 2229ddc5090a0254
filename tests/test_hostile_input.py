"""Malformed survey files and answers: each gives located problems or AnswerError, never a crash."""

from __future__ import annotations

import pytest
from factories import make_survey, survey_document

from consult.questions import AnswerError, get_type
from consult.survey_file import SurveyFileError, validate
from consult.survey_file.document import parse


def q(document, section, question):
    return document["sections"][section]["questions"][question]


HOSTILE_DOCUMENTS = {
    "theme is a list": lambda d: d.update(theme=["x"]),
    "theme is a mapping": lambda d: q(d, 0, 0).update(theme={}),
    "scale max is text, then a condition on it": lambda d: (
        q(d, 1, 0)["settings"].update(max="ten"),
        q(d, 1, 1).update(condition={"question": "readiness", "equals": 3}),
    ),
    "scale max is null": lambda d: q(d, 1, 0)["settings"].update(max=None),
    "scale condition on infinity": lambda d: q(d, 1, 1).update(
        condition={"question": "readiness", "any_of": [float("inf")]}
    ),
    "scale condition on text three": lambda d: q(d, 1, 1).update(
        condition={"question": "readiness", "equals": "3"}
    ),
    "deep nesting": lambda d: q(d, 0, 2).update(condition=_deep(50)),
    "number min is NaN": lambda d: q(d, 0, 2)["settings"].update(min=float("nan")),
    "number max is infinity": lambda d: q(d, 0, 2)["settings"].update(max=float("inf")),
    "number condition on NaN": lambda d: q(d, 1, 1).update(
        condition={"question": "plan_year", "equals": float("nan")}
    ),
    "huge option code": lambda d: q(d, 0, 0)["options"][0].update(code=2**40),
    "condition on a note": lambda d: q(d, 1, 4).update(
        condition={"question": "note", "answered": False}
    ),
    "empty any_of": lambda d: q(d, 0, 2).update(condition={"question": "size", "any_of": []}),
    "settings is false": lambda d: q(d, 0, 0).update(settings=False),
    "date setting not YYYY-MM-DD": lambda d: q(d, 1, 5).update(settings={"min": "20260101"}),
    "options is a mapping": lambda d: q(d, 0, 0).update(options={"a": 1}),
    "text is a number": lambda d: q(d, 0, 0).update(text=5),
    "key is a number": lambda d: q(d, 0, 0).update(key=5),
    "sections is text": lambda d: d.update(sections="none"),
    "question is a list": lambda d: d["sections"][0]["questions"].append(["x"]),
    "condition question is a list": lambda d: q(d, 0, 2).update(
        condition={"question": ["plan"], "equals": "yes"}
    ),
}


def _deep(levels: int) -> dict:
    condition: dict = {"question": "plan", "equals": "yes"}
    for _ in range(levels):
        condition = {"all": [condition]}
    return condition


@pytest.mark.parametrize("name", list(HOSTILE_DOCUMENTS))
def test_a_malformed_document_gives_problems_not_a_crash(app, name) -> None:
    document = survey_document()
    HOSTILE_DOCUMENTS[name](document)
    errors, _warnings = validate(document)
    assert errors, name
    assert all(isinstance(p.path, str) and p.message for p in errors)


@pytest.mark.parametrize(
    "text",
    ids=["impossible day", "impossible month", "deep brackets", "alias loop"],
    argvalues=[
        "closes_at: 2026-02-30T16:00:00+03:00\n",
        "opens_at: 2026-13-45\n",
        "[" * 5000,
        "a: &c {all: [*c]}\n",
    ],
)
def test_yaml_that_cannot_be_a_survey_is_reported(app, text) -> None:
    try:
        document = parse("format: consult-survey/1\n" + text if not text.startswith("[") else text)
    except SurveyFileError as error:
        assert error.problems
        return
    errors, _ = validate(document)
    assert errors


def test_an_impossible_date_is_reported_where_it_stands(app) -> None:
    document = parse("closes_at: 2026-02-30T16:00:00+03:00\n")
    errors, _ = validate(document)
    assert "closes_at" in [p.path for p in errors]


HOSTILE_ANSWERS = [
    ("size", ["small"], None),
    ("size", {"a": 1}, None),
    ("needs", ["other"], ["not", "text"]),
    ("needs", [["training"]], None),
    ("needs", [{"x": 1}], None),
    ("readiness", float("inf"), None),
    ("readiness", True, None),
    ("readiness", "1e9999", None),
    ("statements", {"info": float("inf")}, None),
    ("statements", ["info"], None),
    ("plan_year", "1e5000", None),
    ("plan_year", 10**5000, None),
    ("plan_year", "1" * 30 + ".5", None),
    ("plan_year", [2020], None),
    ("comment", None, ["x"]),
    ("comment", {"x": 1}, None),
    ("order", [["a"], "b", "c"], None),
    ("order", "abc", None),
    ("when", 20260101, None),
    ("when", "2026-W05-1", None),
    ("plan", ["yes"], None),
]


@pytest.mark.parametrize(
    ("key", "value", "text"),
    HOSTILE_ANSWERS,
    ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(HOSTILE_ANSWERS)],
)
def test_a_malformed_answer_is_an_answer_error(app, key, value, text) -> None:
    survey = make_survey()
    question = next(item for item in survey.questions if item.key == key)
    with pytest.raises(AnswerError):
        get_type(question.type).normalise(question, value, text)
