"""The report as a reader gets it: one HTML file, a PDF, an XLSX of every table, the command
line, and a cache that never serves a report older than its answers."""

from __future__ import annotations

import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from factories import answer, make_organisation, survey_document, texts

from consult.extensions import db
from consult.models import Organisation
from consult.reporting.html import render_html
from consult.reporting.pdf import render_pdf
from consult.reporting.xlsx import render_xlsx
from consult.services import report_cache, reports
from consult.services.designs import touch
from consult.services.surveys import import_document

HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def outputs_document():
    """The factories' survey with themes on three questions and markup in its texts."""
    document = survey_document(key="outputs", title=texts(f"{HOSTILE} Preparedness"))
    first, second = (s["questions"] for s in document["sections"])
    first[0]["options"][0]["text"] = texts(f"Small {HOSTILE}")
    first[1]["theme"] = "preparedness"  # plan
    first[3]["theme"] = "cooperation"  # needs
    second[0]["theme"] = "preparedness"  # readiness
    return document


@pytest.fixture
def survey(app):
    """40 organisations: a quarter of the volunteer-run ones have a plan, three quarters of
    the larger ones (a finding when cut by size)."""
    survey, _warnings = import_document(outputs_document())
    for i in range(40):
        size = "volunteers" if i < 20 else "staff_6_plus"
        plan = "yes" if (i < 20 and i % 4 == 0) or (i >= 20 and i % 4 != 0) else "no"
        answer(
            survey,
            make_organisation(f"Org {i} ry", size=size),
            {
                "size": "small",
                "plan": plan,
                "needs": ["training"] if i % 2 else ["training", "premises"],
                "readiness": "dont_know" if i % 10 == 0 else 1 + i % 5,
                "statements": {"info": 1 + i % 4, "help": 2 + i % 3},
            },
        )
    return survey


class Page(HTMLParser):
    """The tags of an HTML page with their attributes, and the open elements around each."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.stack: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes, list(self.stack)))
        if tag not in ("img", "meta", "br", "hr", "input", "link"):
            classes = (attributes.get("class") or "").split()
            self.stack.append(f"{tag}.{'.'.join(classes)}" if classes else tag)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop().split(".")[0] == tag:
                break

    def all(self, tag):
        return [(attrs, around) for name, attrs, around in self.tags if name == tag]


def test_the_html_report_is_one_file_with_nothing_from_outside(survey) -> None:
    report = reports.build(survey, locale="sv", by="size", k=5)
    html = render_html(report)
    page = Page(html)
    assert page.all("html")[0][0]["lang"] == "sv"
    for _tag, attributes, _around in page.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attributes.get(name)
            assert value is None or value.startswith(("data:", "#")), value
    assert not page.all("script") and not page.all("link") and not page.all("iframe")
    assert "http://" not in html and "https://" not in html
    assert html.count("<style>") == 1


def test_every_chart_has_alt_text_and_its_table_beside_it(survey) -> None:
    report = reports.build(survey, locale="en", by="size", k=5)
    page = Page(render_html(report))
    images = page.all("img")
    assert len(images) >= 6
    for attributes, around in images:
        assert attributes["alt"] and len(attributes["alt"]) > 40
        assert attributes["src"].startswith("data:image/svg+xml;base64,")
        assert "div.figure" in around
    figures = [attrs for attrs, _ in page.all("div") if "figure" in (attrs.get("class") or "")]
    tables = page.all("table")
    assert len(tables) == len(figures) >= len(images)
    assert len(page.all("caption")) == len(tables)
    assert all(attrs.get("scope") in ("col", "row") for attrs, _ in page.all("th"))


def test_user_text_is_escaped_everywhere(survey) -> None:
    report = reports.build(survey, locale="en", by="size", k=5)
    html = render_html(report)
    assert HOSTILE not in html and "<script" not in html
    assert f"<h1>{ESCAPED} Preparedness</h1>" in html
    assert f"Small {ESCAPED}" in html  # the option, in its table and in the charts' alt text
    alts = [attrs["alt"] for attrs, _ in Page(html).all("img")]
    assert any(f"Small {HOSTILE}" in alt for alt in alts)  # as the reader will hear it


def test_findings_come_first_and_questions_can_be_grouped_by_theme(survey) -> None:
    report = reports.build(survey, locale="en", by="size", k=5)
    assert report["findings"]
    html = render_html(report, group_by_theme=True)
    headings = [h.split(">", 1)[1] for h in html.split("<h2")[1:] for h in [h.split("</h2>")[0]]]
    assert headings == [
        "Key findings",
        "A safe city for everyone (preparedness)",
        "Cooperation structures",
        "Other questions",
        "How to read the numbers",
    ]
    sentence = report["findings"][0]["sentence"]
    assert html.index(sentence) < html.index('id="q-plan"')
    plain = render_html(report)
    assert [h.split(">", 1)[1].split("</h2>")[0] for h in plain.split("<h2")[1:]] == [
        "Key findings",
        "Results",
        "How to read the numbers",
    ]


def test_the_report_speaks_the_language_asked_for(survey) -> None:
    html = render_html(reports.build(survey, locale="fi", by="size", k=5))
    assert '<html lang="fi"' in html
    assert "Kyllä" in html  # yes/no options in the report's language
    assert "Do you have a plan? (fi)" in html


def test_the_pdf_prints_the_same_report(survey, tmp_path: Path) -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: install poppler-utils (CI does)")
    report = reports.build(survey, locale="en", by="size", k=5)
    pdf = render_pdf(report, group_by_theme=True)
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert all(p.read_bytes()[:8] == PNG_SIGNATURE for p in pages)
    words = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert f"{HOSTILE} Preparedness" in words
    assert "Key findings" in words and report["findings"][0]["option_label"] in words


def test_the_xlsx_holds_the_numbers_of_the_json(survey) -> None:
    report = reports.build(survey, locale="en", by="size", k=5)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames[:2] == ["Report", "Findings"]
    assert book["Report"]["B5"].value == 40
    plan = next(q for q in report["questions"] if q["key"] == "plan")
    rows = {r[0]: r[1:] for r in book["plan"].iter_rows(values_only=True) if r[0]}
    for option in plan["options"]:
        count, percent, low, high = rows[option["label"]][:4]
        assert isinstance(count, int) and count == option["count"]
        assert percent == pytest.approx(option["percent"])
        assert (low, high) == (pytest.approx(option["ci_low"]), pytest.approx(option["ci_high"]))
    for group, cells in zip(plan["crosstab"]["groups"], plan["crosstab"]["cells"], strict=True):
        n, *percents = rows[group["label"]][:3]
        if group["suppressed"]:
            assert n == "hidden"
        else:
            assert n == group["n"]
            assert percents == [pytest.approx(c["percent"]) for c in cells]
    finding = report["findings"][0]
    header, first = list(book["Findings"].iter_rows(values_only=True))[:2]
    assert header[0] == "Question" and first[0] == finding["question_text"]
    assert first[3] == pytest.approx(finding["high"]["percent"])
    assert first[8] == pytest.approx(finding["p_adjusted"])


def test_a_repeat_view_comes_from_the_cache_until_a_response_comes_in(survey) -> None:
    report_cache.clear()

    def view() -> bytes:
        return report_cache.render_report(survey, locale="en", kind="html", by="size", k=5)

    drafting = make_organisation("Draft ry")
    first = view()
    assert view() is first  # the very same bytes, not made again
    answer(survey, drafting, {"plan": "yes"}, submitted=False)
    assert view() is first  # a draft is not in the report
    answer(survey, make_organisation("New ry", size="volunteers"), {"plan": "yes"})
    fresh = view()
    assert fresh != first
    assert "Results of the 41 submitted responses." in fresh.decode()
    assert view() is fresh
    touch(survey)  # the design changed (a text was corrected)
    db.session.commit()
    again = view()
    assert again is not fresh
    respondent = db.session.scalar(sa.select(Organisation).where(Organisation.name == "New ry"))
    respondent.size = "staff_6_plus"  # the register changed: reports cut by size change
    db.session.commit()
    assert view() is not again


def test_the_command_writes_each_format(runner, survey, tmp_path: Path) -> None:
    def report(*args: str):
        return runner.invoke(args=["report", "outputs", "--by", "size", *args])

    for kind, start in [
        ("json", b"{"),
        ("html", b"<!doctype html>"),
        ("pdf", b"%PDF-"),
        ("xlsx", b"PK"),
    ]:
        out = tmp_path / f"report.{kind}"
        result = report("--format", kind, "--lang", "sv", "--by-theme", "--out", str(out))
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(start), kind
    assert '<html lang="sv"' in (tmp_path / "report.html").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert book.worksheets[0]["B5"].value == 40  # submitted responses, whatever the language
    printed = report("--format", "html", "--lang", "en")
    assert printed.exit_code == 0 and printed.output.startswith("<!doctype html>")
    refused = report("--format", "pdf")
    assert refused.exit_code == 2 and "needs --out" in refused.output
    wrong = report("--format", "xlsx", "--k", "2", "--out", str(tmp_path / "x.xlsx"))
    assert wrong.exit_code == 1 and "at least 3" in wrong.output


def test_the_pdf_printer_fetches_nothing_from_outside(app) -> None:
    from weasyprint import HTML

    from consult.reporting.pdf import _inline_only

    outside = '<html lang="en"><img src="http://127.0.0.1:9/chart.png" alt="A chart"></html>'
    with pytest.raises(BaseException, match="Error fetching"):  # WeasyPrint's fatal error
        HTML(string=outside, url_fetcher=_inline_only()).write_pdf()


def test_a_survey_without_responses_still_makes_a_report(app) -> None:
    survey, _warnings = import_document(outputs_document())
    report = reports.build(survey, locale="en", by="size", k=5)
    html = render_html(report, group_by_theme=True)
    assert "Results of the 0 submitted responses." in html
    assert "Fewer than 5 respondents answered this question" in html
    assert "<img" not in html
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert book["Report"]["B5"].value == 0
