"""The command line: init, survey list/import/export, org import, demo."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from factories import make_survey, survey_document
from test_survey_file import five_mistakes

from consult.cli import demo_command
from consult.extensions import db
from consult.models import ContactPerson, Organisation, Question, Survey


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_survey_import_list_and_export(runner, tmp_path: Path) -> None:
    source = tmp_path / "s.yaml"
    source.write_text(yaml.safe_dump(survey_document(), allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["survey", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "Imported survey test-survey (11 questions) as a draft." in result.output

    listing = runner.invoke(args=["survey", "list"])
    assert listing.exit_code == 0
    assert "test-survey" in listing.output and "draft" in listing.output
    assert "Test survey" in listing.output  # English, the command line's language

    out = tmp_path / "out.yaml"
    assert runner.invoke(args=["survey", "export", "test-survey", str(out)]).exit_code == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["key"] == "test-survey"


def test_a_file_with_five_mistakes_is_refused_with_five_messages(runner, tmp_path: Path) -> None:
    make_survey(key="existing")
    before = {m: count(m) for m in (Survey, Question)}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(five_mistakes(), allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["survey", "import", str(bad)])
    assert result.exit_code == 1
    located = [line for line in result.output.splitlines() if line.startswith(f"{bad}: ")]
    assert len(located) == 5
    assert (
        f"{bad}: sections[0].questions[2].condition.question: 'readiness' is not an earlier question"
        in located
    )
    assert "Nothing was imported: 5 problem(s)" in result.output
    assert {m: count(m) for m in (Survey, Question)} == before


def test_import_of_a_missing_or_broken_file(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["survey", "import", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "cannot read the file" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"\xff\xfe not utf8")
    result = runner.invoke(args=["survey", "import", str(broken)])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_export_of_an_unknown_key(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["survey", "export", "nope", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1
    assert "There is no survey with the key 'nope'" in result.output


def test_messages_follow_the_command_lines_language(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    result = runner.invoke(args=["survey", "export", "nope", str(tmp_path / "x.yaml")])
    assert "Kyselyä" in result.output or "kyselyä" in result.output


ORG_CSV = """name;business_id;theme_group;size;languages;districts;city_funded;contact_name;contact_email;contact_language
Kallion perheyhdistys ry;0201256-6;children_families;volunteers;fi, sv;Keskinen;kyllä;Aino Virtanen;aino@example.org;fi
Vuosaaren seniorit ry;;Vanhusjärjestöt;1–5 paid staff;fi;eastern;no;;;
"""


def test_org_import_adds_every_row(runner, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(ORG_CSV, encoding="utf-8")
    result = runner.invoke(args=["org", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Added 2 organisations." in result.output
    first, second = db.session.scalars(sa.select(Organisation).order_by(Organisation.id)).all()
    assert (first.business_id, first.languages, first.districts, first.city_funded) == (
        "0201256-6",
        ["fi", "sv"],
        ["central"],
        True,
    )
    assert (second.theme_group, second.size, second.city_funded) == (
        "older_people",
        "staff_1_5",
        False,
    )
    assert first.contacts[0].email == "aino@example.org"


def test_org_import_reports_row_and_column_and_stores_nothing(runner, tmp_path: Path) -> None:
    rows = ORG_CSV + (
        "Kallion perheyhdistys ry;1234567-8;sports;;fi;;maybe;;not-an-email;\n"
        ";;;;;;;;;\n"
        "Malmin nuoret ry;;youth;huge;klingon;;;;;\n"
    )
    path = tmp_path / "orgs.csv"
    path.write_text(rows, encoding="utf-8")
    result = runner.invoke(args=["org", "import", str(path)])
    assert result.exit_code == 1
    lines = [
        line.split(": ", 1)[1] for line in result.output.splitlines() if line.startswith(str(path))
    ]
    where = [line.split(":")[0] for line in lines]
    assert where == [
        "row 4, column name",
        "row 4, column business_id",
        "row 4, column city_funded",
        "row 4, column contact_email",
        "row 4, column contact_name",
        "row 6, column size",
        "row 6, column languages",
    ]
    assert "the same name is on row 2" in lines[0]
    assert count(Organisation) == 0 and count(ContactPerson) == 0


def test_org_import_reads_excel_style_semicolon_files(runner, tmp_path: Path) -> None:
    rows = (
        "name;languages;districts\r\n"
        '"Kallio, Vallila ry";fi,sv,en;southern,western\r\n'
        ";;\r\n"
        "Malmin nuoret ry;fi;northern\r\n"
        ";;\r\n"
    )
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"\xef\xbb\xbf" + rows.encode("utf-8"))
    result = runner.invoke(args=["org", "import", str(path)])
    assert result.exit_code == 0, result.output
    names = db.session.scalars(sa.select(Organisation.name).order_by(Organisation.id)).all()
    assert names == ["Kallio, Vallila ry", "Malmin nuoret ry"]


def test_org_import_counts_rows_as_a_spreadsheet_does(runner, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,size\nA ry,volunteers\n\nB ry,huge\nC ry,volunteers,extra\n", encoding="utf-8"
    )
    result = runner.invoke(args=["org", "import", str(path)])
    assert result.exit_code == 1
    assert "row 5, column -: this row has 3 cells" in result.output
    path.write_text("name,size\nA ry,volunteers\n\nB ry,huge\n", encoding="utf-8")
    result = runner.invoke(args=["org", "import", str(path)])
    assert "row 4, column size: 'huge' is not one of" in result.output


def test_org_import_refuses_unknown_columns(runner, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("name,colour\nA ry,blue\n", encoding="utf-8")
    result = runner.invoke(args=["org", "import", str(path)])
    assert result.exit_code == 1
    assert "row 1, column colour: unknown column" in result.output


@pytest.fixture
def demo_instance(tmp_path: Path, fresh_database_url: str, monkeypatch):
    monkeypatch.setenv("CONSULT_DATABASE_URL", fresh_database_url)
    return tmp_path / "demo-instance"


def test_demo_sets_up_data_once_and_groups_really_differ(demo_instance: Path) -> None:
    from click.testing import CliRunner

    runner = CliRunner()
    first = runner.invoke(demo_command, ["--instance", str(demo_instance), "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "added 3 surveys, 150 organisations" in first.output
    assert "http://127.0.0.1:5000/surveys/preparedness-2026?lang=sv" in first.output
    second = runner.invoke(demo_command, ["--instance", str(demo_instance), "--no-serve"])
    assert "added 0 surveys, 0 organisations, 0 responses" in second.output

    from consult import create_app
    from consult.services.columns import load_columns
    from consult.services.surveys import get_survey, list_surveys

    app = create_app({"INSTANCE_PATH": str(demo_instance)})
    with app.app_context():
        rows = {r.survey.key: r for r in list_surveys()}
        assert set(rows) == {"preparedness-2026", "volunteering-2026", "small-organisations-2026"}
        assert all(r.submitted >= 50 for r in rows.values())
        columns = load_columns(get_survey("preparedness-2026"))
        size = columns.column("org_size")
        has_plan = columns.column("prep_has_plan") == 1  # option code 1: "yes"
        large, small = size == 3, size == 1
        assert has_plan[large].mean() - has_plan[small].mean() > 0.25
        groups = columns.column("org_theme_group")
        assert len(set(groups[~(groups != groups)].tolist())) == 14
        db.session.remove()
        db.engine.dispose()

    # Every demo survey's report cut by theme group (14 groups) as JSON and XLSX; one of them
    # as HTML and PDF too, whose pages render (the PDF is the slow part: one is enough).
    reporter = app.test_cli_runner()
    for key in rows:
        kinds = ("json", "xlsx", "html", "pdf") if key == "volunteering-2026" else ("json", "xlsx")
        for kind in kinds:
            out = demo_instance / f"{key}.{kind}"
            args = ["report", key, "--format", kind, "--lang", "sv", "--by", "theme_group"]
            made = reporter.invoke(args=[*args, "--out", str(out)])
            assert made.exit_code == 0, made.output
            assert out.stat().st_size > 1000
        if "pdf" not in kinds:
            continue
        pages = subprocess.run(
            [
                "pdftoppm",
                "-r",
                "30",
                "-png",
                str(demo_instance / f"{key}.pdf"),
                str(demo_instance / key),
            ],
            capture_output=True,
        )
        assert pages.returncode == 0 and list(demo_instance.glob(f"{key}-*.png"))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("name", ["preparedness", "volunteering", "small-organisations"])
def test_export_then_import_of_each_template_gives_an_identical_file(
    runner, tmp_path, name
) -> None:
    from consult.services.surveys import import_document
    from consult.survey_templates import template_document

    survey, _ = import_document(template_document(name))
    key = survey.key
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    assert runner.invoke(args=["survey", "export", key, str(first)]).exit_code == 0
    db.session.delete(survey)
    db.session.commit()
    imported = runner.invoke(args=["survey", "import", str(first)])
    assert imported.exit_code == 0, imported.output
    assert "warning" not in imported.output
    assert runner.invoke(args=["survey", "export", key, str(second)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
