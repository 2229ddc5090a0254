"""XLSForm import and export: what survives, what the import report says, round trips."""

from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from factories import answer, make_organisation, survey_document, texts
from openpyxl import Workbook, load_workbook

from consult import conditions
from consult.extensions import db
from consult.models import Option, Question, Survey
from consult.services import responses
from consult.services.surveys import export_document
from consult.services.xlsform import export_xlsform, import_xlsform
from consult.survey_file import SurveyFileError
from consult.survey_file.xlsform import load_xlsform, read_xlsform, write_xlsform

LANGS = ("Finnish (fi)", "Swedish (sv)", "English (en)")
SURVEY_COLUMNS = [
    "type",
    "name",
    *(f"label::{lang}" for lang in LANGS),
    "hint::Finnish (fi)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "appearance",
    "calculation",
    "label::Deutsch (de)",
]


def labels(en: str) -> dict[str, str]:
    return {
        "label::Finnish (fi)": f"{en} (fi)",
        "label::Swedish (sv)": f"{en} (sv)",
        "label::English (en)": en,
    }


def choice(list_name: str, name: str, fi: str, sv: str, en: str) -> list[str]:
    return [list_name, name, fi, sv, en]


ROWS: list[dict[str, str]] = [
    {"type": "start", "name": "started"},
    {
        "type": "begin_group",
        "name": "basics",
        **labels("Basics"),
        "hint::Finnish (fi)": "Järjestöstä",
        "hint::English (en)": "About you",
        "appearance": "field-list",
    },
    {"type": "select_one size", "name": "org_size", **labels("Size"), "required": "yes"},
    {
        "type": "select_multiple needs",
        "name": "needs",
        **labels("Needs"),
        "relevant": "${org_size} != 'large'",
        "constraint": "count-selected(.) <= 2",
        "hint::Finnish (fi)": "Enintään kaksi",
    },
    {
        "type": "integer",
        "name": "staff",
        **labels("Staff"),
        "required": "true",
        "relevant": "selected(${needs}, 'training')",
        "constraint": ". >= 0 and . <= 500",
    },
    {"type": "decimal", "name": "budget", **labels("Budget"), "constraint": ". >= 0"},
    {
        "type": "text",
        "name": "contact",
        **labels("Contact"),
        "relevant": "${staff} != ''",
        "constraint": "string-length(.) <= 80",
    },
    {"type": "text", "name": "story", **labels("Story"), "appearance": "multiline"},
    {
        "type": "date",
        "name": "founded",
        **labels("Founded"),
        "constraint": ". >= date('1900-01-01') and . <= date('2026-12-31')",
    },
    {"type": "end_group", "name": "basics"},
    {
        "type": "begin_group",
        "name": "more",
        **labels("More"),
        "relevant": "${org_size} = 'small' or ${org_size} = 'medium'",
    },
    {"type": "note", "name": "thanks", **labels("Thanks")},
    {"type": "rank priorities", "name": "priorities", **labels("Priorities")},
    {"type": "calculate", "name": "double_staff", "calculation": "${staff} * 2"},
    {"type": "geopoint", "name": "location", **labels("Location")},
    {"type": "begin_repeat", "name": "members", **labels("Members")},
    {"type": "text", "name": "member_name", **labels("Member name")},
    {"type": "end_repeat", "name": "members"},
    {"type": "text", "name": "odd", **labels("Odd"), "relevant": "${staff} > 10"},
    {
        "type": "select_one yes_no",
        "name": "has_plan",
        **labels("Plan"),
        "label::Deutsch (de)": "Plan",
        "relevant": "${org_size} = 'small' and (selected(${needs}, 'training') or ${staff} = '')",
    },
    {"type": "end_group", "name": "more"},
    {"type": "text", "name": "feedback", **labels("Feedback")},
]
CHOICES = [
    ["list_name", "name", *(f"label::{lang}" for lang in LANGS)],
    choice("size", "small", "Pieni", "Liten", "Small"),
    choice("size", "medium", "Keskikokoinen", "Medelstor", "Medium"),
    choice("size", "large", "Suuri", "Stor", "Large"),
    choice("needs", "training", "Koulutus", "Utbildning", "Training"),
    choice("needs", "premises", "Tilat", "Lokaler", "Premises"),
    choice("needs", "money", "Raha", "Pengar", "Money"),
    choice("priorities", "a", "A (fi)", "A (sv)", "A"),
    choice("priorities", "b", "B (fi)", "B (sv)", "B"),
    choice("yes_no", "yes", "Kyllä", "Ja", "Yes"),
    choice("yes_no", "no", "Ei", "Nej", "No"),
]
SETTINGS = [
    ["form_id", "form_title", "default_language", "version"],
    ["NGO_check", "Järjestökysely", "Finnish (fi)", "2026-1"],
]


def row_of(name: str, rows: list[dict[str, str]] = ROWS) -> int:
    """The spreadsheet row of the question named ``name`` (the header is row 1)."""
    return next(
        i + 2 for i, row in enumerate(rows) if row.get("name") == name and "end" not in row["type"]
    )


def workbook(**sheets: list[list[Any]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form(
    rows: list[dict[str, str]] = ROWS,
    choices: list[list[str]] = CHOICES,
    settings: list[list[str]] = SETTINGS,
) -> bytes:
    survey = [SURVEY_COLUMNS, *([row.get(c) for c in SURVEY_COLUMNS] for row in rows)]
    return workbook(survey=survey, choices=choices, settings=settings)


def questions(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["key"]: q for s in document["sections"] for q in s["questions"]}


def test_questions_choices_translations_and_conditions_survive(app) -> None:
    document, _report = read_xlsform(form(), filename="form.xlsx", theme="cooperation")
    assert (document["key"], document["default_locale"], document["locales"]) == (
        "ngo_check",
        "fi",
        ["fi", "sv", "en"],
    )
    assert document["title"] == {"fi": "Järjestökysely"}
    assert [s["key"] for s in document["sections"]] == ["basics", "more", "section_3"]
    assert document["sections"][0]["description"] == {"fi": "Järjestöstä", "en": "About you"}
    q = questions(document)
    assert list(q) == [
        "org_size",
        "needs",
        "staff",
        "budget",
        "contact",
        "story",
        "founded",
        "thanks",
        "priorities",
        "odd",
        "has_plan",
        "feedback",
    ]
    assert {
        k: v["type"]
        for k, v in q.items()
        if k in ("story", "contact", "priorities", "has_plan", "thanks")
    } == {
        "contact": "short_text",
        "story": "long_text",
        "thanks": "note",
        "priorities": "ranking",
        "has_plan": "yes_no",
    }
    assert q["org_size"]["required"] is True and q["staff"]["required"] is True
    assert q["org_size"]["options"][1] == {
        "key": "medium",
        "text": {"fi": "Keskikokoinen", "sv": "Medelstor", "en": "Medium"},
    }
    assert q["needs"]["text"] == {"fi": "Needs (fi)", "sv": "Needs (sv)", "en": "Needs"}
    assert q["needs"]["help"] == {"fi": "Enintään kaksi"}
    # constraints became settings
    assert q["needs"]["settings"] == {"max_choices": 2}
    assert q["staff"]["settings"] == {"min": 0, "max": 500}
    assert q["budget"]["settings"] == {"decimals": 4, "min": 0}
    assert q["contact"]["settings"] == {"max_length": 80}
    assert q["founded"]["settings"] == {"min": "1900-01-01", "max": "2026-12-31"}
    # relevant became conditions; XLSForm's != also holds when the question is unanswered
    assert q["needs"]["condition"] == {
        "any": [
            {"question": "org_size", "answered": False},
            {"question": "org_size", "not_equals": "large"},
        ]
    }
    assert q["staff"]["condition"] == {"question": "needs", "equals": "training"}
    assert q["contact"]["condition"] == {"question": "staff", "answered": True}
    assert document["sections"][1]["condition"] == {
        "question": "org_size",
        "any_of": ["small", "medium"],
    }
    assert q["has_plan"]["condition"] == {
        "all": [
            {"question": "org_size", "equals": "small"},
            {
                "any": [
                    {"question": "needs", "equals": "training"},
                    {"question": "staff", "answered": False},
                ]
            },
        ]
    }
    assert "condition" not in q["odd"]


def test_the_report_lists_every_item_not_kept_with_its_row(app) -> None:
    loaded = load_xlsform(form(), filename="form.xlsx", theme="cooperation")
    report = loaded.notes
    where = {(n.sheet, n.rows, n.column) for n in report}
    expected = {
        ("survey", (row_of("started"),), "type"),
        ("survey", (row_of("double_staff"),), "type"),
        ("survey", (row_of("location"),), "type"),
        ("survey", (row_of("members"),), "type"),
        ("survey", (row_of("member_name"),), "type"),
        ("survey", (row_of("odd"),), "relevant"),
        ("survey", (row_of("has_plan"),), "label::Deutsch (de)"),
        ("survey", (row_of("budget"),), "type"),  # decimals: at most 4
        ("survey", (row_of("feedback"),), ""),  # put in a section of its own
        ("settings", (2,), "form_id"),  # NGO_check became ngo_check
        ("settings", (2,), "version"),
    }
    assert where == expected
    odd = next(n for n in report if n.column == "relevant")
    assert odd.located("form.xlsx") == (
        f"form.xlsx: survey sheet, row {row_of('odd')}, column relevant: display condition "
        "'${staff} > 10' not kept (consult's conditions compare answers only with = and !=): "
        "the question is always shown"
    )
    assert "geopoint" in next(n.message for n in report if n.rows == (row_of("location"),))
    # missing translations are warnings, located too
    assert (
        f"survey sheet, row {row_of('needs')}, column hint::Finnish (fi)",
        "no translation for 'sv' yet",
    ) in [(w.path, w.message) for w in loaded.warnings]
    assert "repeat" in next(n.message for n in report if n.rows == (row_of("member_name"),))


def test_import_answer_export_and_reimport_keep_the_survey(app) -> None:
    survey, _report = import_xlsform(form(), "form.xlsx", theme="cooperation")
    assert survey.state == "draft" and len(survey.questions) == 12
    organisation = make_organisation()
    response = answer(
        survey,
        organisation,
        {
            "org_size": "large",
            "needs": ["training"],
            "staff": 12,
            "has_plan": "yes",
            "feedback": (None, "Hyvä"),
        },
    )
    stored = responses.answers_of(response, survey)
    # needs is hidden for large organisations, so are staff (needs unanswered) and the section "more"
    assert set(stored) == {"org_size", "feedback"}
    second = answer(
        survey,
        make_organisation("Toinen ry"),
        {"org_size": "small", "needs": ["training", "money"], "staff": 3},
    )
    assert set(responses.answers_of(second, survey)) == {"org_size", "needs", "staff"}

    data = export_xlsform(survey)
    again = load_xlsform(data, filename="again.xlsx")
    assert again.notes == []  # nothing lost; the survey's own missing translations stay warnings
    assert again.document == export_document(survey)


def test_or_other_specify_likert_scales_matrices_and_nested_groups(app) -> None:
    rows = [
        {"type": "begin_group", "name": "g", **labels("G")},
        {"type": "select_one agree5", "name": "q_agree", **labels("Agree"), "appearance": "likert"},
        {"type": "select_one place or_other", "name": "where", **labels("Where")},
        {"type": "select_multiple help", "name": "help", **labels("Help")},
        {
            "type": "text",
            "name": "help_other",
            **labels("Please specify"),
            "relevant": "selected(${help}, 'other')",
        },
        {"type": "begin_group", "name": "inner", **labels("Inner"), "relevant": "${q_agree} >= 4"},
        {"type": "integer", "name": "count", **labels("Count"), "relevant": "${where} = 'home'"},
        {"type": "end_group"},
        {"type": "begin_group", "name": "grid", **labels("Grid"), "appearance": "table-list"},
        {
            "type": "select_one agree5",
            "name": "grid_a",
            **labels("A"),
            "required": "yes",
            "appearance": "likert",
        },
        {
            "type": "select_one agree5",
            "name": "grid_b",
            **labels("B"),
            "required": "yes",
            "appearance": "likert",
        },
        {"type": "end_group"},
        {"type": "end_group"},
    ]
    words = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    choices = [
        CHOICES[0],
        *(choice("agree5", str(i + 1), w, w, w) for i, w in enumerate(words)),
        choice("place", "home", "Koti", "Hem", "Home"),
        choice("place", "work", "Työ", "Jobb", "Work"),
        choice("help", "money", "Raha", "Pengar", "Money"),
        choice("help", "people", "Ihmiset", "Folk", "People"),
        choice("help", "other", "Muu", "Annat", "Other"),
    ]
    document, report = read_xlsform(
        form(rows, choices, [["form_id", "consult_theme"], ["x", "volunteering"]])
    )
    q = questions(document)
    assert list(q) == ["q_agree", "where", "help", "count", "grid"]
    assert q["q_agree"]["type"] == "scale"
    assert q["q_agree"]["settings"] == {
        "min": 1,
        "max": 5,
        "min_label": {
            "fi": "Strongly disagree",
            "sv": "Strongly disagree",
            "en": "Strongly disagree",
        },
        "max_label": {"fi": "Strongly agree", "sv": "Strongly agree", "en": "Strongly agree"},
    }
    assert (
        q["where"]["options"][-1]["key"] == "other" and q["where"]["options"][-1]["specify"] is True
    )
    assert [o.get("specify", False) for o in q["help"]["options"]] == [False, False, True]
    assert q["count"]["condition"] == {
        "all": [{"question": "q_agree", "any_of": [4, 5]}, {"question": "where", "equals": "home"}]
    }
    assert q["grid"]["type"] == "matrix" and q["grid"]["required"] is True
    assert [s["key"] for s in q["grid"]["statements"]] == ["a", "b"]
    notes = {(n.rows, n.column): n.message for n in report}
    assert "middle scale points" in notes[((3, 4, 5), "label::Finnish (fi)")]
    assert "inside another group" in notes[((row_of("inner", rows),), "type")]
    assert "label is not kept" in notes[((row_of("help_other", rows),), "label::Finnish (fi)")]


def test_relevant_expressions_and_their_meaning(app) -> None:
    cases = {
        "${org_size} = 'small'": {"question": "org_size", "equals": "small"},
        "${org_size}='small'or${org_size}='large'": {
            "question": "org_size",
            "any_of": ["small", "large"],
        },
        "not(selected(${needs}, 'money'))": {
            "any": [
                {"question": "needs", "answered": False},
                {"question": "needs", "not_equals": "money"},
            ]
        },
        "count-selected(${needs}) > 0 and not(selected(${needs}, 'money'))": {
            "question": "needs",
            "not_equals": "money",
        },
        "${org_size} != '' and ${org_size} != 'large'": {
            "question": "org_size",
            "not_equals": "large",
        },
        "${staff} = ''": {"question": "staff", "answered": False},
        "${staff} = 3": {"question": "staff", "equals": 3},
    }
    for relevant, condition in cases.items():
        rows = [
            *ROWS[2:9],
            {"type": "note", "name": "probe", **labels("Probe"), "relevant": relevant},
        ]
        document, report = read_xlsform(form(rows), theme="segregation")
        assert questions(document)["probe"]["condition"] == condition, relevant
    for relevant in (
        "${later} = 'x'",
        "${org_size} = 'huge'",
        "${contact} = 'x'",
        "${needs} = 'money'",
        "today() > date('2026-01-01')",
        "${org_size} = 'small' and",
    ):
        rows = [
            *ROWS[2:9],
            {"type": "note", "name": "probe", **labels("Probe"), "relevant": relevant},
            {"type": "text", "name": "later", **labels("Later")},
        ]
        document, report = read_xlsform(form(rows), theme="segregation")
        assert "condition" not in questions(document)["probe"], relevant
        assert [n.column for n in report if n.rows == (row_of("probe", rows),)] == ["relevant"], (
            relevant
        )


def texts_stripped(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: texts_stripped(v) for k, v in value.items() if k != "condition"}
    if isinstance(value, list):
        return [texts_stripped(v) for v in value]
    return value.strip() if isinstance(value, str) else value


def condition_paths(document: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for section in document["sections"]:
        found[section["key"]] = section.get("condition")
        for question in section["questions"]:
            found[question["key"]] = question.get("condition")
    return found


def sample_answer(
    question: dict[str, Any], rng: random.Random, numbers: list[Any]
) -> tuple[Any, Any]:
    kind = question["type"]
    if rng.random() < 0.25:
        return None, None
    if kind == "single_choice":
        return rng.choice(question["options"])["key"], None
    if kind == "multiple_choice":
        chosen = [o["key"] for o in question["options"] if rng.random() < 0.4]
        return chosen or None, None
    if kind == "yes_no":
        return rng.choice(["yes", "no"]), None
    if kind == "scale":
        settings = question.get("settings", {})
        points = list(range(settings.get("min", 1), settings.get("max", 5) + 1))
        return rng.choice([*points, "dont_know"] if settings.get("dont_know") else points), None
    if kind == "number":
        return rng.choice([*numbers, 7]), None
    return None, "text"


def assert_same_conditions(original: dict[str, Any], copy: dict[str, Any]) -> None:
    """Both documents' conditions hold for exactly the same answers (checked on 400 random
    answer sets, with consult's own evaluation)."""
    first, second = condition_paths(original), condition_paths(copy)
    assert first.keys() == second.keys()
    by_key = questions(original)
    numbers = [v for c in first.values() if c for v in _values(c) if isinstance(v, int | float)]
    rng = random.Random(2026)
    answers: dict[str, tuple[Any, Any]] = {}

    def lookup(key: str) -> tuple[Any, Any, Any]:
        value, text = answers[key]
        return SimpleNamespace(type=by_key[key]["type"]), value, text

    for _ in range(400):
        answers.update({k: sample_answer(q, rng, numbers) for k, q in by_key.items()})
        for key, condition in first.items():
            assert conditions.holds(condition, lookup) == conditions.holds(second[key], lookup), key


def _values(condition: dict[str, Any]) -> list[Any]:
    if "all" in condition or "any" in condition:
        return [v for part in condition.get("all", condition.get("any")) for v in _values(part)]
    return [condition.get(op) for op in ("equals", "not_equals") if op in condition] + list(
        condition.get("any_of", [])
    )


def test_templates_export_to_xlsform_and_read_back_equivalently(
    template_surveys, tmp_path: Path
) -> None:
    from pyxform.xls2xform import convert

    for survey in template_surveys:
        original = export_document(survey)
        data = export_xlsform(survey)
        copy, report = read_xlsform(data, filename=f"{survey.key}.xlsx")
        assert report == [], survey.key
        assert texts_stripped(copy) == texts_stripped(original), survey.key
        assert_same_conditions(original, copy)
        # the workbook is an XLSForm that ODK's own converter accepts without warnings
        path = tmp_path / f"{survey.key}.xlsx"
        path.write_bytes(data)
        warnings: list[str] = []
        assert "<h:html" in convert(xlsform=str(path), warnings=warnings).xform
        assert warnings == []
    book = load_workbook(BytesIO(export_xlsform(template_surveys[0])))
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    assert {
        "label::Finnish (fi)",
        "label::Swedish (sv)",
        "label::English (en)",
        "relevant",
        "required",
    } <= set(header)


PROBES = [
    {"question": "size", "not_equals": "large"},
    {"question": "needs", "not_equals": "other"},
    {"question": "needs", "any_of": ["training", "premises"]},
    {"question": "readiness", "any_of": [4, 5, "dont_know"]},
    {"question": "readiness", "not_equals": "dont_know"},
    {"question": "plan_year", "equals": 2020},
    {"question": "statements", "answered": False},
    {"question": "statements", "answered": True},
    {"question": "order", "answered": True},
    {"question": "when", "answered": False},
    {
        "all": [
            {"question": "plan", "equals": "no"},
            {
                "any": [
                    {"question": "size", "equals": "small"},
                    {"question": "name", "answered": True},
                ]
            },
        ]
    },
]


def test_every_kind_of_condition_survives_the_round_trip(app, tmp_path: Path) -> None:
    from pyxform.xls2xform import convert

    document = survey_document()
    probes = [
        {"key": f"probe_{i}", "type": "note", "text": texts(f"Probe {i}"), "condition": c}
        for i, c in enumerate(PROBES)
    ]
    document["sections"].append({"key": "probes", "title": texts("Probes"), "questions": probes})
    path = tmp_path / "probes.xlsx"
    write_xlsform(document, path)
    loaded = load_xlsform(path)
    assert loaded.notes == []
    assert [q["condition"] for q in loaded.document["sections"][2]["questions"]] == PROBES
    document["sections"][1]["questions"][1]["settings"]["min"] = 1  # a default, now written out
    assert loaded.document == document
    warnings: list[str] = []
    convert(xlsform=str(path), warnings=warnings)
    assert warnings == []


def test_a_kobo_style_form_with_plain_labels_numeric_choices_and_a_table(app) -> None:
    survey = [
        ["type", "name", "label", "required", "relevant", "appearance", "default", "media::image"],
        ["select_one agree", "Q1_Agree", "How much?", "yes", "", "minimal", "3", "pic.png"],
        ["begin_group", "tbl", "Rate these", "", "${Q1_Agree} = '2'", "table-list"],
        ["select_one agree", "hdr", "", "", "", "label"],
        ["select_one agree", "r1", "Parks", "", "", "list-nolabel"],
        ["select_one agree", "r2", "Roads", "", "", "list-nolabel"],
        ["end_group"],
        ["begin group", "g2", "Nested"],
        ["select_multiple langs or_other", "langs", "Languages"],
        ["end group"],
    ]
    choices = [["list_name", "name", "label"], ["agree", "1", "Bad"], ["agree", "2", "Meh"]]
    choices += [["agree", "3", "Good"], ["langs", "fi", "Finnish"], ["langs", "sv", "Swedish"]]
    document, report = read_xlsform(workbook(survey=survey, choices=choices), theme="volunteering")
    assert (document["key"], document["locales"], document["default_locale"]) == (
        "survey",
        ["fi"],
        "fi",
    )
    q = questions(document)
    assert [o["key"] for o in q["q1_agree"]["options"]] == ["option_1", "option_2", "option_3"]
    assert q["q1_agree"]["options"][1]["text"] == {"fi": "Meh"}
    assert [s["key"] for s in document["sections"]] == ["section_1", "tbl", "g2"]
    assert document["sections"][1]["condition"] == {"question": "q1_agree", "equals": "option_2"}
    assert q["tbl"]["type"] == "matrix" and [s["key"] for s in q["tbl"]["statements"]] == [
        "r1",
        "r2",
    ]
    assert q["tbl"]["settings"] == {
        "min": 1,
        "max": 3,
        "min_label": {"fi": "Bad"},
        "max_label": {"fi": "Good"},
    }
    assert q["langs"]["options"][-1]["specify"] is True
    notes = {(n.sheet, n.rows, n.column) for n in report}
    assert {
        ("settings", (), "default_language"),
        ("survey", (2,), "name"),
        ("survey", (2,), "appearance"),
        ("survey", (2,), "default"),
        ("survey", (2,), "media::image"),
        ("survey", (4,), "appearance"),  # the table's heading row
        ("choices", (2, 3, 4), "name"),  # 1, 2, 3 became option_1 ...
        ("choices", (3,), "label"),  # "Meh": the middle of a scale shows its number
    } <= notes


def test_the_command_line_imports_and_exports_by_extension(app, runner, tmp_path: Path) -> None:
    source = tmp_path / "form.xlsx"
    source.write_bytes(form())
    result = runner.invoke(args=["survey", "import", str(source), "--theme", "cooperation"])
    assert result.exit_code == 0, result.output
    assert f"{source}: survey sheet, row {row_of('location')}, column type:" in result.output
    assert "Imported survey ngo_check (12 questions) as a draft." in result.output

    out = tmp_path / "out.xlsx"
    result = runner.invoke(args=["survey", "export", "ngo_check", str(out)])
    assert result.exit_code == 0, result.output
    loaded = load_xlsform(out)
    assert loaded.notes == []
    assert loaded.document == export_document(db.session.scalar(sa.select(Survey)))

    again = runner.invoke(args=["survey", "import", str(out)])
    assert again.exit_code == 1
    assert (
        f"{out}: settings sheet, row 2, column form_id: a survey with the key 'ngo_check' exists already"
        in again.output
    )
    renamed = runner.invoke(args=["survey", "import", str(out), "--key", "ngo-check-2"])
    assert renamed.exit_code == 0, renamed.output


def count(model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def broken(change: str) -> bytes:
    rows = [dict(r) for r in ROWS[1:10]]
    choices = [list(c) for c in CHOICES]
    settings = [["form_id", "consult_theme"], ["broken", "cooperation"]]
    if change == "no survey sheet":
        return workbook(questions=[SURVEY_COLUMNS], settings=settings)
    if change == "unknown list":
        rows[1]["type"] = "select_one sizes"
    if change == "duplicate name":
        rows[3]["name"] = "org_size"
    if change == "one choice":
        choices = [c for c in choices if c[:2] != ["size", "medium"] and c[:2] != ["size", "large"]]
    if change == "label missing":
        choices[2][2] = None
    if change == "no theme":
        settings = [["form_id"], ["broken"]]
    if change == "typo in a type":
        rows[3]["type"] = "intger"
    if change == "unbalanced group":
        rows = rows[:-1]
    return form(rows, choices, settings)


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ("no survey sheet", "form.xlsx: ", "has no sheet named survey"),
        (
            "unknown list",
            "form.xlsx: survey sheet, row 3, column type: ",
            "the list 'sizes' is not in the choices sheet",
        ),
        (
            "duplicate name",
            "form.xlsx: survey sheet, row 5, column name: ",
            "'org_size' is used twice (first in row 3)",
        ),
        ("one choice", "form.xlsx: survey sheet, row 3, column type: ", "needs at least 2 options"),
        (
            "label missing",
            "form.xlsx: choices sheet, row 3, column label::Finnish (fi): ",
            "default locale 'fi'",
        ),
        ("no theme", "form.xlsx: settings sheet, row 2, column consult_theme: ", "needs a theme"),
        ("typo in a type", "form.xlsx: survey sheet, row 5, column type: ", "'intger' is not"),
        ("unbalanced group", "form.xlsx: survey sheet, row 2, column type: ", "has no end_group"),
        ("not a workbook", "form.xlsx: ", "is not an XLSForm workbook"),
    ],
)
def test_a_broken_workbook_gives_located_errors_and_stores_nothing(
    app, change: str, where: str, words: str
) -> None:
    data = b"name,type\nq1,text\n" if change == "not a workbook" else broken(change)
    with pytest.raises(SurveyFileError) as caught:
        import_xlsform(data, "form.xlsx")
    lines = str(caught.value).splitlines()
    assert any(line.startswith(where) and words in line for line in lines), lines
    assert (count(Survey), count(Question), count(Option)) == (0, 0, 0)


def test_a_missing_file_is_reported(app, runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["survey", "import", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 1 and "cannot read the file" in result.output
    assert count(Survey) == 0
