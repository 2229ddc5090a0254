"""The survey file: validation with located errors, lossless round trips, all-or-nothing import."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import yaml
from factories import survey_document

from consult.extensions import db
from consult.models import Option, Question, Section, Survey
from consult.services.surveys import export_document, get_survey, import_document
from consult.survey_file import SurveyFileError, dump, validate
from consult.survey_file.document import parse
from consult.survey_templates import TEMPLATES, template_document


def errors_of(document):
    errors, _warnings = validate(document)
    return [(p.path, p.message) for p in errors]


def five_mistakes():
    document = survey_document()
    first = document["sections"][0]["questions"]
    first[3]["options"] = first[3]["options"][:1]  # 1. too few options
    first[1]["type"] = "yes_or_no"  # 2. unknown type
    first[2]["condition"] = {"question": "readiness", "equals": 3}  # 3. refers to a later question
    document["locales"] = ["fi", "sv", "en", "de"]  # 4. unknown locale
    document["sections"][1]["questions"][0]["settings"]["max"] = 20  # 5. scale too long
    return document


def test_five_mistakes_give_five_located_messages(app) -> None:
    found = errors_of(five_mistakes())
    assert [path for path, _ in found] == [
        "locales[3]",
        "sections[0].questions[1].type",
        "sections[0].questions[2].condition.question",
        "sections[0].questions[3].options",
        "sections[1].questions[0].settings.max",
    ]
    messages = dict(found)
    assert "at least 2 options" in messages["sections[0].questions[3].options"]
    assert (
        "'readiness' is not an earlier question"
        in messages["sections[0].questions[2].condition.question"]
    )
    assert "at most 11" in messages["sections[1].questions[0].settings.max"]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda d: d.pop("title"), "title", "missing"),
        (lambda d: d.update(format="v2"), "format", "consult-survey/1"),
        (lambda d: d.update(key="Has Spaces"), "key", "lower-case"),
        (lambda d: d.update(theme="weather"), "theme", "preparedness"),
        (lambda d: d.update(default_locale="et"), "default_locale", "locales"),
        (lambda d: d.update(colour="blue"), "colour", "unknown field"),
        (lambda d: d["title"].pop("fi"), "title", "default locale 'fi'"),
        (
            lambda d: d.update(
                opens_at="2026-09-01T08:00:00+03:00", closes_at="2026-08-01T08:00:00+03:00"
            ),
            "closes_at",
            "later",
        ),
        (lambda d: d.update(opens_at="next monday"), "opens_at", "UTC offset"),
        (lambda d: d["sections"][1].update(key="first"), "sections[1].key", "twice"),
        (
            lambda d: d["sections"][1]["questions"][0].update(key="size"),
            "sections[1].questions[0].key",
            "twice",
        ),
        (
            lambda d: d["sections"][0]["questions"][3]["options"][0].update(specify=True),
            "sections[0].questions[3].options",
            "at most one",
        ),
        (
            lambda d: d["sections"][1]["questions"][3].update(required=True),
            "sections[1].questions[3].required",
            "note",
        ),
        (
            lambda d: d["sections"][0]["questions"][2].update(
                condition={"question": "plan", "equals": True}
            ),
            "sections[0].questions[2].condition.equals",
            '"yes"',
        ),
        (
            lambda d: d["sections"][0]["questions"][2].update(
                condition={"question": "size", "equals": "medium"}
            ),
            "sections[0].questions[2].condition.equals",
            "not an option",
        ),
        (
            lambda d: d["sections"][0]["questions"][2].update(condition={"any": []}),
            "sections[0].questions[2].condition.any",
            "non-empty",
        ),
        (
            lambda d: d["sections"][0]["questions"][2].update(
                condition={"question": "plan", "equals": "yes", "answered": True}
            ),
            "sections[0].questions[2].condition",
            "exactly one",
        ),
        (
            lambda d: [o.update(code=1) for o in d["sections"][0]["questions"][0]["options"]],
            "sections[0].questions[0].options[1].code",
            "twice",
        ),
    ],
)
def test_each_kind_of_mistake_is_located(app, change, path, words) -> None:
    document = survey_document()
    change(document)
    found = errors_of(document)
    assert [p for p, _ in found] == [path], found
    assert words in found[0][1]


def test_missing_translations_are_warnings_not_errors(app) -> None:
    document = survey_document()
    del document["title"]["sv"]
    errors, warnings = validate(document)
    assert errors == []
    assert [(w.path, w.message) for w in warnings] == [("title", "no translation for 'sv' yet")]


def test_a_refused_file_stores_nothing(app) -> None:
    with pytest.raises(SurveyFileError) as caught:
        import_document(five_mistakes(), source="bad.yaml")
    assert len(caught.value.problems) == 5
    assert str(caught.value).splitlines()[0].startswith("bad.yaml: locales[3]: ")
    for model in (Survey, Section, Question, Option):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_a_survey_key_can_be_imported_once(app) -> None:
    import_document(survey_document())
    with pytest.raises(SurveyFileError) as caught:
        import_document(survey_document())
    assert [p.path for p in caught.value.problems] == ["key"]


def test_yaml_syntax_errors_give_line_and_column() -> None:
    with pytest.raises(SurveyFileError) as caught:
        parse("format: consult-survey/1\nkey: [unclosed\n", "broken.yaml")
    problem = caught.value.problems[0]
    assert problem.path == "line 3, column 1"
    assert "not valid YAML" in problem.message


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_every_template_is_valid_complete_in_three_languages_and_substantial(app, name) -> None:
    document = template_document(name)
    errors, warnings = validate(document)
    assert errors == [] and warnings == []
    questions = [q for s in document["sections"] for q in s["questions"]]
    substantive = [q for q in questions if q["type"] != "note" and not q["key"].startswith("org_")]
    assert len(substantive) >= 12
    assert len({q["type"] for q in questions}) >= 8
    assert any(
        "condition" in q or "condition" in s for s in document["sections"] for q in s["questions"]
    )
    assert document["sections"][0]["key"] == "organisation_profile"


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_export_import_export_gives_an_identical_file(app, name) -> None:
    survey, _ = import_document(template_document(name))
    first = dump(export_document(survey))
    db.session.delete(survey)
    db.session.commit()
    again, _ = import_document(yaml.safe_load(first))
    assert dump(export_document(again)) == first
    # and the first export lost nothing of the template (order aside)
    assert yaml.safe_load(first) == _without_defaults(template_document(name))


def _without_defaults(node):
    """A document as export writes it: no empty texts, no required: false."""
    if isinstance(node, dict):
        return {
            k: _without_defaults(v)
            for k, v in node.items()
            if not (k == "required" and v is False) and v not in ({}, None)
        }
    if isinstance(node, list):
        return [_without_defaults(v) for v in node]
    return node


def test_round_trip_keeps_codes_times_and_conditions(app) -> None:
    document = survey_document(
        opens_at="2026-09-01T08:00:00+03:00", closes_at="2026-10-15T16:00:00+03:00"
    )
    document["sections"][0]["questions"][0]["options"] = [
        {"key": "large", "code": 2, "text": {"fi": "Iso"}},
        {"key": "small", "code": 1, "text": {"fi": "Pieni"}},
        {"key": "medium", "text": {"fi": "Keski"}},
    ]
    survey, _ = import_document(document)
    codes = {o.key: o.code for o in get_survey("test-survey").questions[0].options}
    assert codes == {"large": 2, "small": 1, "medium": 3}
    exported = export_document(survey)
    assert exported["opens_at"] == "2026-09-01T08:00:00+03:00"
    assert [o.get("code") for o in exported["sections"][0]["questions"][0]["options"]] == [
        2,
        1,
        None,
    ]
    assert exported["sections"][1]["condition"] == {"question": "size", "not_equals": "large"}


def test_json_is_read_as_well(app) -> None:
    document = parse(json.dumps(survey_document()))
    assert validate(document)[0] == []
