"""Question types: what each accepts, how it is stored and how it becomes numbers."""

from __future__ import annotations

import math

import pytest
from factories import make_survey

from consult.questions import REGISTRY, AnswerError, QuestionSpec, get_type

EVERY_TYPE = {
    "single_choice",
    "multiple_choice",
    "scale",
    "matrix",
    "number",
    "short_text",
    "long_text",
    "yes_no",
    "date",
    "ranking",
    "note",
}


def test_the_registry_has_every_type_and_one_class_each() -> None:
    assert set(REGISTRY) == EVERY_TYPE
    assert len({type(t) for t in REGISTRY.values()}) == len(EVERY_TYPE)


@pytest.fixture
def questions(app):
    survey = make_survey()
    return {q.key: q for q in survey.questions}


def normalise(question, value, text=None):
    return get_type(question.type).normalise(question, value, text)


def test_single_choice(questions) -> None:
    q = questions["size"]
    assert normalise(q, "small") == ("small", None)
    assert normalise(q, "") == (None, None)
    with pytest.raises(AnswerError):
        normalise(q, "medium")
    assert get_type(q.type).encode(q, "large") == [2.0]


def test_multiple_choice_keeps_option_order_limits_choices_and_specify_text(questions) -> None:
    q = questions["needs"]
    assert normalise(q, ["premises", "training"]) == (["training", "premises"], None)
    assert normalise(q, ["other"], "  a van  ") == (["other"], "a van")
    assert normalise(q, ["training"], "ignored") == (["training"], None)
    with pytest.raises(AnswerError, match="at most 2"):
        normalise(q, ["training", "premises", "other"])
    with pytest.raises(AnswerError):
        normalise(q, ["nonsense"])
    assert get_type(q.type).columns(q) == ["training", "premises", "other"]
    assert get_type(q.type).encode(q, ["premises"]) == [0.0, 1.0, 0.0]
    assert all(math.isnan(x) for x in get_type(q.type).encode(q, None))


def test_scale_accepts_points_and_dont_know(questions) -> None:
    q = questions["readiness"]
    assert normalise(q, "3") == (3, None)
    assert normalise(q, "dont_know") == ("dont_know", None)
    for bad in ("0", "6", "2.5", "three"):
        with pytest.raises(AnswerError):
            normalise(q, bad)
    assert get_type(q.type).encode(q, "dont_know") == [-1.0]


def test_matrix_rates_each_statement_and_is_complete_only_when_all_are(questions) -> None:
    q = questions["statements"]
    value, _ = normalise(q, {"info": "4", "help": ""})
    assert value == {"info": 4}
    matrix = get_type("matrix")
    assert not matrix.is_complete(q, value, None)
    assert matrix.is_complete(q, {"info": 1, "help": 2}, None)
    with pytest.raises(AnswerError):
        normalise(q, {"info": "5"})  # the scale goes to 4
    assert matrix.encode(q, {"help": 2})[1] == 2.0


def test_number_reads_finnish_and_english_style_and_checks_range(questions) -> None:
    q = questions["plan_year"]
    assert normalise(q, "2 020") == (2020, None)
    assert normalise(q, 2021) == (2021, None)
    with pytest.raises(AnswerError, match="whole number"):
        normalise(q, "2020,5")
    with pytest.raises(AnswerError, match="at least 1990"):
        normalise(q, "1989")
    with pytest.raises(AnswerError):
        normalise(q, "twenty")


def test_decimal_number() -> None:
    class Q:
        settings = {"decimals": 2, "min": 0}

    number = get_type("number")
    assert number.normalise(Q, "1 234,56", None) == (1234.56, None)
    with pytest.raises(AnswerError, match="2 decimals"):
        number.normalise(Q, "1,234", None)
    with pytest.raises(AnswerError):
        number.normalise(Q, "nan", None)


def test_text_length_is_limited_and_text_goes_to_the_text_column(questions) -> None:
    q = questions["comment"]
    assert normalise(q, None, "  fine  ") == (None, "fine")
    with pytest.raises(AnswerError, match="at most 50"):
        normalise(q, None, "x" * 51)
    assert get_type(q.type).columns(q) == []


def test_yes_no_date_ranking_note(questions) -> None:
    assert normalise(questions["plan"], "yes") == ("yes", None)
    with pytest.raises(AnswerError):
        normalise(questions["plan"], "maybe")
    assert normalise(questions["when"], "2026-03-31") == ("2026-03-31", None)
    with pytest.raises(AnswerError):
        normalise(questions["when"], "31.3.2026x")
    order = questions["order"]
    assert normalise(order, ["c", "a", "b"]) == (["c", "a", "b"], None)
    with pytest.raises(AnswerError):
        normalise(order, ["c", "a"])  # all three must be ranked
    with pytest.raises(AnswerError):
        normalise(order, ["c", "c", "a"])
    assert get_type("ranking").encode(order, ["c", "a", "b"]) == [2.0, 3.0, 1.0]
    with pytest.raises(AnswerError):
        normalise(questions["note"], "anything")


@pytest.mark.parametrize(
    ("type_key", "settings", "options", "expected_path"),
    [
        ("single_choice", {}, ["a"], "options"),
        ("multiple_choice", {"max_choices": 3}, ["a", "b"], "settings.max_choices"),
        ("scale", {"max": 12}, [], "settings.max"),
        ("scale", {"colour": "red"}, [], "settings.colour"),
        ("number", {"min": 5, "max": 5}, [], "settings.max"),
        ("date", {"min": "2026-01-01", "max": "2025-01-01"}, [], "settings.max"),
        ("ranking", {"max_ranked": 0}, ["a", "b"], "settings.max_ranked"),
        ("short_text", {"max_length": "long"}, [], "settings.max_length"),
        ("yes_no", {}, ["a", "b"], "options"),
    ],
)
def test_each_type_checks_its_own_settings(app, type_key, settings, options, expected_path) -> None:
    spec = QuestionSpec(key="q", type=type_key, settings=settings, option_keys=options)
    problems = get_type(type_key).check(spec)
    assert [path for path, _ in problems] == [expected_path]
