"""Response exports (CSV, XLSX with a codebook, JSON) and imports (CSV, XLSX)."""

from __future__ import annotations

import copy
import csv
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from factories import answer, make_organisation, survey_document, texts
from openpyxl import Workbook, load_workbook

from consult.domain import DISTRICTS, SIZES, THEME_GROUPS
from consult.extensions import db
from consult.models import Organisation, Response, Survey
from consult.services import responses
from consult.services.demo import synthetic_answers
from consult.services.exports import build_table, export_file, neutralise, restore
from consult.services.organisations import ImportRefused
from consult.services.response_import import import_file
from consult.services.surveys import import_document
from consult.survey_templates import template_document

FIXED = [
    "response:id",
    "response:status",
    "response:locale",
    "response:submitted_at",
    "response:updated_at",
    "organisation:name",
    "organisation:business_id",
    "organisation:theme_group",
    "organisation:size",
    "organisation:languages",
    "organisation:districts",
    "organisation:city_funded",
]
QUESTION_COLUMNS = [
    "size",
    "plan",
    "plan_year",
    "needs.training",
    "needs.premises",
    "needs.other",
    "needs.other.text",
    "balance",
    "readiness",
    "statements.info",
    "statements.help",
    "order.a",
    "order.b",
    "order.c",
    "comment",
    "when",
    "name",
]
ARABIC = "جمعية الجالية العربية"


def document(key: str = "test-survey") -> dict[str, Any]:
    """The factories' survey (every question type) with a number that may be negative."""
    doc = survey_document(key=key)
    doc["sections"][0]["questions"].append(
        {
            "key": "balance",
            "type": "number",
            "text": texts("Balance"),
            "settings": {"min": -1000, "max": 1000, "decimals": 1},
        }
    )
    return doc


@pytest.fixture
def survey(app) -> Survey:
    """Three submitted responses and a draft, covering every question type."""
    survey, _ = import_document(document())
    kallio = make_organisation(
        "Kallion perheyhdistys ry",
        business_id="0201256-6",
        theme_group="children_families",
        size="volunteers",
        languages=["fi", "sv"],
        districts=["central", "southern"],
        city_funded=True,
    )
    arabic = make_organisation(ARABIC, languages=["ar", "fi"], city_funded=False)
    at = make_organisation("@Helsinki ry")
    draft = make_organisation("Luonnos ry")
    answer(
        survey,
        kallio,
        {
            "size": "small",
            "plan": "yes",
            "plan_year": 2020,
            "needs": (["training", "other"], "=1+1"),
            "balance": -2.5,
            "readiness": "dont_know",
            "statements": {"info": 3, "help": 1},
            "order": ["b", "a", "c"],
            "comment": "-2",
            "when": "2025-05-01",
            "name": "@x",
        },
    )
    answer(
        survey,
        arabic,
        {
            "size": "small",
            "plan": "no",
            "needs": (["other"], "ترجمة إلى العربية"),
            "readiness": 4,
            "statements": {"info": 2},
            "order": ["c", "a", "b"],
            "comment": "مرحبا\nسطر ثان",
            "name": "+SUM(A1)",
        },
        locale="sv",
    )
    answer(survey, at, {"size": "large", "plan": "yes", "plan_year": 2001, "balance": 0})
    answer(survey, draft, {"size": "small"}, submitted=False)
    return survey


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    workbook = load_workbook(path)
    return list(workbook[sheet].iter_rows(values_only=True))


def count(model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- columns and values --------------------------------------------------------------------


def test_csv_columns_and_values_for_every_question_type(survey, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    assert export_file(survey, "csv", path) == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # so that spreadsheets see UTF-8
    headers, rows = read_csv(path)
    assert headers == FIXED + QUESTION_COLUMNS
    kallio, arabic, at = rows
    assert {k: kallio[k] for k in FIXED[1:3] + FIXED[5:]} == {
        "response:status": "submitted",
        "response:locale": "fi",
        "organisation:name": "Kallion perheyhdistys ry",
        "organisation:business_id": "0201256-6",
        "organisation:theme_group": "children_families",
        "organisation:size": "volunteers",
        "organisation:languages": "fi;sv",
        "organisation:districts": "central;southern",
        "organisation:city_funded": "yes",
    }
    assert {k: kallio[k] for k in QUESTION_COLUMNS} == {
        "size": "small",
        "plan": "yes",
        "plan_year": "2020",
        "needs.training": "1",
        "needs.premises": "0",
        "needs.other": "1",
        "needs.other.text": "'=1+1",
        "balance": "-2.5",  # a number: not neutralised
        "readiness": "dont_know",
        "statements.info": "3",
        "statements.help": "1",
        "order.a": "2",
        "order.b": "1",
        "order.c": "3",
        "comment": "'-2",  # text: neutralised
        "when": "2025-05-01",
        "name": "'@x",
    }
    assert {k: arabic[k] for k in QUESTION_COLUMNS} == {
        "size": "small",
        "plan": "no",
        "plan_year": "",  # not asked: the plan is "no"
        "needs.training": "0",
        "needs.premises": "0",
        "needs.other": "1",
        "needs.other.text": "ترجمة إلى العربية",
        "balance": "",
        "readiness": "4",
        "statements.info": "2",
        "statements.help": "",
        "order.a": "2",
        "order.b": "3",
        "order.c": "1",
        "comment": "مرحبا\nسطر ثان",
        "when": "",
        "name": "'+SUM(A1)",
    }
    assert arabic["organisation:name"] == ARABIC and arabic["response:locale"] == "sv"
    assert arabic["organisation:city_funded"] == "no"
    assert at["organisation:name"] == "'@Helsinki ry"
    # An unanswered multiple-choice question is empty, not 0; a hidden section is empty.
    assert [at[k] for k in ("needs.training", "needs.other", "readiness", "order.a")] == [""] * 4
    assert at["balance"] == "0"
    submitted = db.session.scalars(
        sa.select(Response.submitted_at).where(Response.status == "submitted")
    ).first()
    assert kallio["response:submitted_at"] == submitted.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_drafts_only_with_all(survey, tmp_path: Path) -> None:
    export_file(survey, "csv", tmp_path / "all.csv", status="all")
    _, rows = read_csv(tmp_path / "all.csv")
    assert [r["response:status"] for r in rows] == ["submitted"] * 3 + ["draft"]
    assert rows[3]["organisation:name"] == "Luonnos ry" and rows[3]["response:submitted_at"] == ""
    export_file(survey, "csv", tmp_path / "submitted.csv")
    _, rows = read_csv(tmp_path / "submitted.csv")
    assert [r["response:status"] for r in rows] == ["submitted"] * 3
    assert "Luonnos ry" not in [r["organisation:name"] for r in rows]


def expected_cells(question: Any, value: Any, text: str | None) -> dict[str, str]:
    """What the CSV should hold for one stored answer, worked out from the Answer row."""

    def typed(t: str | None) -> str:
        return "" if t is None else ("'" + t if t[:1] in ("=", "+", "-", "@") else t)

    def plain(v: Any) -> str:
        if v is None:
            return ""
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    key, kind = question.key, question.type
    if kind in ("multiple_choice", "ranking"):
        chosen = value or []
        cells = {
            f"{key}.{o.key}": ""
            if value is None
            else (
                ("1" if o.key in chosen else "0")
                if kind == "multiple_choice"
                else (str(chosen.index(o.key) + 1) if o.key in chosen else "")
            )
            for o in question.options
        }
    elif kind == "matrix":
        cells = {f"{key}.{s.key}": plain((value or {}).get(s.key)) for s in question.statements}
    elif kind in ("short_text", "long_text"):
        cells = {key: typed(text)}
    elif kind == "note":
        cells = {}
    else:
        cells = {key: plain(value)}
    cells.update({f"{key}.{o.key}.text": typed(text) for o in question.options if o.specify})
    return cells


def profiled(i: int, rng: random.Random) -> Organisation:
    """An organisation with the attributes the templates' profile questions ask about."""
    return make_organisation(
        f"Yhdistys {i} ry",
        theme_group=rng.choice(list(THEME_GROUPS)),
        size=rng.choice(list(SIZES)),
        languages=rng.sample(["fi", "sv", "en", "ar"], k=rng.randint(1, 3)),
        districts=rng.sample(list(DISTRICTS), k=rng.randint(1, 2)),
        city_funded=rng.random() < 0.5,
    )


def test_every_cell_agrees_with_the_answer_rows_of_a_template(app, tmp_path: Path) -> None:
    """The export reads packed vectors; here each cell is worked out from the Answer rows."""
    survey, _ = import_document(template_document("preparedness"))
    rng = random.Random(3)
    for i in range(12):
        organisation = profiled(i, rng)
        clean = synthetic_answers(survey, organisation, rng, complete=True)
        responses.add_response(survey, organisation.id, clean, locale="fi", submitted=True)
    db.session.commit()
    export_file(survey, "csv", tmp_path / "p.csv")
    headers, rows = read_csv(tmp_path / "p.csv")
    stored = db.session.scalars(
        sa.select(Response).where(Response.survey_id == survey.id).order_by(Response.id)
    ).all()
    assert len(rows) == 12
    checked = 0
    for row, response in zip(rows, stored, strict=True):
        assert row["response:id"] == str(response.id)
        answers = responses.answers_of(response, survey)
        for question in survey.ordered_questions():
            value, text = answers.get(question.key, (None, None))
            for column, cell in expected_cells(question, value, text).items():
                assert row[column] == cell, (response.id, column)
                checked += 1
    assert checked == 12 * (len(headers) - len(FIXED))


# --- XLSX, codebook, JSON ------------------------------------------------------------------


def test_xlsx_keeps_numbers_and_neutralises_text(survey, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    export_file(survey, "xlsx", path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["responses", "codebook"]
    sheet = workbook["responses"]
    headers = [c.value for c in sheet[1]]
    assert headers == FIXED + QUESTION_COLUMNS
    kallio = {h: c for h, c in zip(headers, sheet[2], strict=True)}
    assert kallio["balance"].value == -2.5 and kallio["balance"].data_type == "n"
    assert kallio["plan_year"].value == 2020 and kallio["needs.other"].value == 1
    assert kallio["when"].value == datetime(2025, 5, 1)  # a date cell
    for column, shown in [
        ("needs.other.text", "'=1+1"),
        ("comment", "'-2"),
        ("name", "'@x"),
    ]:
        assert kallio[column].value == shown and kallio[column].data_type == "s"
    arabic = {h: c.value for h, c in zip(headers, sheet[3], strict=True)}
    assert arabic["organisation:name"] == ARABIC and arabic["name"] == "'+SUM(A1)"
    assert arabic["comment"] == "مرحبا\nسطر ثان"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_drops_characters_xml_cannot_hold(survey, tmp_path: Path) -> None:
    bell = make_organisation("Kello\x07 ry")
    answer(survey, bell, {"size": "small", "plan": "no", "name": "soi\x07 \x1b[31m"})
    export_file(survey, "xlsx", tmp_path / "r.xlsx")
    rows = sheet_rows(tmp_path / "r.xlsx", "responses")
    row = dict(zip(rows[0], rows[-1], strict=True))
    assert row["organisation:name"] == "Kello ry" and row["name"] == "soi [31m"
    export_file(survey, "csv", tmp_path / "r.csv")  # CSV keeps them
    assert read_csv(tmp_path / "r.csv")[1][-1]["name"] == "soi\x07 \x1b[31m"


def test_the_codebook_in_the_chosen_language(survey, tmp_path: Path) -> None:
    for locale, suffix, column in (
        ("en", "", "column"),
        ("sv", " (sv)", "kolumn"),
        ("fi", " (fi)", "sarake"),
    ):
        path = tmp_path / f"r-{locale}.xlsx"
        export_file(survey, "xlsx", path, locale=locale)
        rows = sheet_rows(path, "codebook")
        assert rows[0][0] == column  # the codebook's own words follow --lang too
        size = [r for r in rows if r[0] == "size"]
        assert size[0][1:4] == ("size", "single_choice", f"Size{suffix}")
        assert [r[5:8] for r in size[1:]] == [
            ("small", f"Small{suffix}", 1),
            ("large", f"Large{suffix}", 2),
        ]
        other = next(r for r in rows if r[0] == "needs.other")
        assert other[4] == f"Other{suffix}" and other[7] == 3
        assert next(r for r in rows if r[0] == "statements.help")[4] == f"Help{suffix}"
        readiness = [r[5:8] for r in rows if r[0] == "readiness"][1:]
        assert [r[0] for r in readiness] == [1, 2, 3, 4, 5, "dont_know"]
        assert readiness[-1][2] == -1
        headers = [c for c in sheet_rows(path, "responses")[0]]
        assert {r[0] for r in rows[1:]} == set(headers)  # every column is described


def test_json_export(survey, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    export_file(survey, "json", path, status="all")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "consult-responses/1" and data["survey"] == "test-survey"
    assert data["columns"] == FIXED + QUESTION_COLUMNS
    kallio, arabic, at, draft = data["responses"]
    assert kallio["needs.other.text"] == "=1+1"  # JSON is not a spreadsheet: as written
    assert kallio["balance"] == -2.5 and kallio["order.b"] == 1 and kallio["needs.premises"] == 0
    assert kallio["organisation:languages"] == ["fi", "sv"]
    assert kallio["organisation:city_funded"] is True
    assert kallio["when"] == "2025-05-01" and kallio["readiness"] == "dont_know"
    assert arabic["organisation:name"] == ARABIC and ARABIC in path.read_text(encoding="utf-8")
    assert at["needs.training"] is None and draft["response:status"] == "draft"


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+SUM(A1)", "-2", "@x", "\tx", "\rx", "'=x", "''", "'", "'a", "plain", "", "=", "'-"],
)
def test_neutralise_then_restore_gives_the_text_back(text: str) -> None:
    cell = neutralise(text)
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore(cell) == text


# --- imports -------------------------------------------------------------------------------


def fresh_copy(key: str = "copy") -> Survey:
    survey, _ = import_document(document(key))
    return survey


def snapshot(survey: Survey) -> dict[str, Any]:
    """Each organisation's response: answers, analysis vector, status, language, time."""
    found = db.session.scalars(
        sa.select(Response).where(Response.survey_id == survey.id, Response.status == "submitted")
    ).all()
    return {
        r.organisation.name: (
            responses.answers_of(r, survey),
            r.coded,
            r.locale,
            r.submitted_at.replace(microsecond=0),
        )
        for r in found
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_round_trip_into_a_fresh_copy(survey, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"r.{kind}"
    export_file(survey, kind, path)
    copy_ = fresh_copy()
    result = import_file(copy_, path)
    assert (result.created, result.replaced, result.stored) == (3, 0, True)
    db.session.expire_all()
    original, imported = snapshot(survey), snapshot(copy_)
    assert len(imported) == 3 and imported == original
    assert imported[ARABIC][0]["needs"] == (["other"], "ترجمة إلى العربية")
    assert imported["Kallion perheyhdistys ry"][0]["name"] == (None, "@x")


def test_round_trip_of_a_template(app, tmp_path: Path) -> None:
    doc = template_document("volunteering")
    survey, _ = import_document(doc)
    rng = random.Random(11)
    for i in range(8):
        organisation = profiled(i, rng)
        clean = synthetic_answers(survey, organisation, rng, complete=True)
        responses.add_response(survey, organisation.id, clean, locale="fi", submitted=True)
    db.session.commit()
    export_file(survey, "csv", tmp_path / "v.csv")
    copy_, _ = import_document({**copy.deepcopy(doc), "key": "volunteering-copy"})
    import_file(copy_, tmp_path / "v.csv")
    db.session.expire_all()
    assert snapshot(copy_) == snapshot(survey) and len(snapshot(copy_)) == 8


def write_rows(path: Path, headers: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def problems_of(survey: Survey, path: Path, **kw: Any) -> set[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as refused:
        import_file(survey, path, **kw)
    return {(p.row, p.column, p.message) for p in refused.value.problems}


def has(problems: set[tuple[int, str, str]], row: int, column: str, fragment: str) -> bool:
    return any(p[:2] == (row, column) and fragment in p[2] for p in problems)


def test_a_bad_import_is_refused_with_located_problems_and_stores_nothing(
    survey, tmp_path: Path
) -> None:
    export_file(survey, "csv", tmp_path / "good.csv")
    headers, (kallio, arabic, at) = read_csv(tmp_path / "good.csv")
    make_organisation("Toinen ry", business_id="1234567-1")  # in the register, not in the file
    rows = [
        {**kallio, "organisation:business_id": "7654321-2"},  # row 2: not in the register
        {**arabic, "size": "medium", "needs.training": "2"},  # row 3: option, 0/1
        {**at, "plan_year": "twenty"},  # row 4: not a number
        {**at, "plan_year": "1800"},  # row 5: the same organisation again, out of range
        {"organisation:name": "Toinen ry", "size": "", "plan": "no", "plan_year": "2020"},
        {"organisation:name": "Ei ole ry", "size": "small", "plan": "yes"},  # row 7
        {**arabic, "organisation:name": "", "organisation:business_id": "1234567-1",
         "response:status": "draft", "order.a": "1", "order.b": "1", "order.c": "2",
         "needs.other": "0"},  # row 8
    ]  # fmt: skip
    bad = tmp_path / "bad.csv"
    write_rows(bad, headers, rows)
    copy_ = fresh_copy()
    make_organisation("Kopio ry")  # nothing else changes in the register either
    before = (count(Response), count(Organisation))
    problems = problems_of(copy_, bad)
    assert has(problems, 2, "organisation:business_id", "no organisation in the register")
    assert has(problems, 3, "size", "'medium' is not an option of this question")
    assert has(problems, 3, "needs.training", "write 1 (chosen) or 0")
    assert has(problems, 4, "plan_year", "Enter a number")
    assert has(problems, 5, "organisation:name", "the same organisation is on row 4")
    assert has(problems, 5, "plan_year", "at least 1990")
    assert has(problems, 6, "size", "required question is not answered")
    assert has(problems, 6, "plan_year", "not asked")
    assert has(problems, 7, "organisation:name", "no organisation in the register is named")
    assert has(problems, 8, "response:status", "only submitted responses")
    assert has(problems, 8, "order.*", "use the places 1 to 3")
    assert has(problems, 8, "needs.other.text", "the option other is not chosen")
    assert (count(Response), count(Organisation)) == before


def test_a_file_without_its_columns_is_refused(survey, tmp_path: Path) -> None:
    export_file(survey, "csv", tmp_path / "good.csv")
    headers, rows = read_csv(tmp_path / "good.csv")
    bad = tmp_path / "bad.csv"
    left = [
        h for h in headers if h not in ("plan", "organisation:name", "organisation:business_id")
    ]
    write_rows(bad, [*left, "needz.training", "needs.other"], rows)
    problems = problems_of(fresh_copy(), bad)
    assert has(problems, 1, "plan", "this column is missing")
    assert has(problems, 1, "organisation:business_id", "is needed to find the organisations")
    assert has(problems, 1, "needz.training", "unknown column")
    assert has(problems, 1, "needs.other", "named twice")
    assert count(Response) == 4


def test_an_organisation_that_has_answered_is_replaced_only_when_asked(
    survey, tmp_path: Path
) -> None:
    export_file(survey, "csv", tmp_path / "r.csv")
    headers, rows = read_csv(tmp_path / "r.csv")
    rows[2]["plan_year"] = "1999"
    write_rows(tmp_path / "changed.csv", headers, rows)
    problems = problems_of(survey, tmp_path / "changed.csv")
    assert {p[0] for p in problems} == {2, 3, 4}
    assert has(problems, 2, "organisation:business_id", "has already answered")
    before = dict(db.session.execute(sa.select(Response.organisation_id, Response.id)).all())
    result = import_file(survey, tmp_path / "changed.csv", replace=True)
    assert (result.created, result.replaced) == (0, 3)
    db.session.expire_all()
    after = dict(db.session.execute(sa.select(Response.organisation_id, Response.id)).all())
    assert after == before  # the same responses, answers replaced
    assert snapshot(survey)["@Helsinki ry"][0]["plan_year"] == (1999, None)


def test_an_xlsx_with_a_formula_is_refused(survey, tmp_path: Path) -> None:
    export_file(survey, "xlsx", tmp_path / "r.xlsx")
    workbook = load_workbook(tmp_path / "r.xlsx")
    sheet = workbook["responses"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=headers.index("plan_year") + 1, value="=1000+1000")
    workbook.save(tmp_path / "f.xlsx")
    problems = problems_of(fresh_copy(), tmp_path / "f.xlsx")
    assert has(problems, 3, "O", "holds a formula")
    plain = Workbook()
    plain.active.append(["organisation:name"])
    plain.save(tmp_path / "short.xlsx")
    assert has(problems_of(fresh_copy("c2"), tmp_path / "short.xlsx"), 1, "size", "missing")


# --- the command line ----------------------------------------------------------------------


def test_export_commands(runner, survey, tmp_path: Path) -> None:
    for kind in ("csv", "xlsx", "json"):
        out = tmp_path / f"r.{kind}"
        result = runner.invoke(
            args=["responses", "export", "test-survey", "--format", kind, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert f"Wrote 3 responses to {out}." in result.output
    assert len(read_csv(tmp_path / "r.csv")[1]) == 3
    assert len(sheet_rows(tmp_path / "r.xlsx", "responses")) == 4
    result = runner.invoke(
        args=["responses", "export", "test-survey", "--format", "xlsx", "--lang", "sv",
              "--all", "--out", str(tmp_path / "all.xlsx")]
    )  # fmt: skip
    assert "Wrote 4 responses" in result.output
    assert ("size", "size", "single_choice", "Size (sv)") in [
        r[:4] for r in sheet_rows(tmp_path / "all.xlsx", "codebook")
    ]
    missing = runner.invoke(args=["responses", "export", "nope", "--out", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "There is no survey with the key 'nope'" in missing.output


def test_import_commands(runner, survey, tmp_path: Path) -> None:
    export_file(survey, "csv", tmp_path / "r.csv")
    fresh_copy()
    dry = runner.invoke(args=["responses", "import", "copy", str(tmp_path / "r.csv"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 new and 0 replaced" in dry.output and "nothing was stored" in dry.output
    assert count(Response) == 4
    real = runner.invoke(args=["responses", "import", "copy", str(tmp_path / "r.csv")])
    assert real.exit_code == 0, real.output
    assert "Imported 3 new and 0 replaced responses." in real.output
    assert count(Response) == 7
    again = runner.invoke(args=["responses", "import", "copy", str(tmp_path / "r.csv")])
    assert again.exit_code == 1
    path = tmp_path / "r.csv"
    assert f"{path}: row 2, column organisation:business_id: this organisation has already" in (
        again.output
    )
    assert "Nothing was imported: 3 problem(s)." in again.output
    assert count(Response) == 7
    replaced = runner.invoke(
        args=["responses", "import", "copy", str(tmp_path / "r.csv"), "--replace"]
    )
    assert "Imported 0 new and 3 replaced responses." in replaced.output
    assert count(Response) == 7


def test_submitted_at_is_kept_from_the_file(survey, tmp_path: Path) -> None:
    export_file(survey, "csv", tmp_path / "r.csv")
    headers, rows = read_csv(tmp_path / "r.csv")
    rows[0]["response:submitted_at"] = "2026-01-02T03:04:05Z"
    rows[1]["response:submitted_at"] = ""
    rows[2]["response:submitted_at"] = "yesterday"
    write_rows(tmp_path / "t.csv", headers, rows)
    copy_ = fresh_copy()
    assert has(problems_of(copy_, tmp_path / "t.csv"), 4, "response:submitted_at", "2026-03-31")
    write_rows(tmp_path / "t.csv", headers, rows[:2])
    import_file(copy_, tmp_path / "t.csv")
    times = dict(
        db.session.execute(
            sa.select(Organisation.name, Response.submitted_at)
            .join(Response.organisation)
            .where(Response.survey_id == copy_.id)
        ).all()
    )
    assert times["Kallion perheyhdistys ry"] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert abs((times[ARABIC] - datetime.now(UTC)).total_seconds()) < 60


def test_an_empty_survey_exports_its_header(app, tmp_path: Path) -> None:
    survey, _ = import_document(document())
    table = build_table(survey)
    assert len(table) == 0 and table.headers == FIXED + QUESTION_COLUMNS
    export_file(survey, "xlsx", tmp_path / "e.xlsx")
    assert sheet_rows(tmp_path / "e.xlsx", "responses") == [tuple(FIXED + QUESTION_COLUMNS)]
