"""A report as a document: key findings first, then the questions (in the survey's order, or
by action-plan theme), each with its charts and tables, then how to read the numbers.

The HTML and the PDF render the same :class:`Document` with the same templates
(``consult/templates/report/``). Build it inside ``force_locale(report["language"])``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _

from consult.reporting import charts, text
from consult.reporting.figure import Chart
from consult.reporting.tables import Table


@dataclass
class Figure:
    """A chart and its table (the table alone when nothing can be drawn)."""

    chart: Chart | None
    table: Table


@dataclass
class Block:
    """One question."""

    key: str
    text: str
    n: int | None
    findings: list[dict[str, Any]]
    figures: list[Figure]
    #: Said instead of figures when the question's answers are too few to show.
    note: str | None = None


@dataclass
class Section:
    """Questions of one action-plan theme (or all of them), with their findings."""

    key: str | None
    title: str
    questions: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    report: dict[str, Any]
    language: str
    title: str
    summary: list[str]
    findings_intro: str
    #: Key findings, by theme when the document is (one section without a title otherwise).
    finding_sections: list[Section]
    sections: list[Section]
    methods: list[str]
    #: The comparison with earlier rounds (report["waves"]), each option with its trend chart.
    rounds: dict[str, Any] | None = None
    #: Coded open questions with their quotes (report["open_answers"]).
    open_answers: list[dict[str, Any]] = field(default_factory=list)


def _all_hidden(question: dict[str, Any]) -> bool:
    if question.get("suppressed"):
        return True
    statements = question.get("statements")
    return bool(statements) and all(s["suppressed"] for s in statements)


def question_block(
    question: dict[str, Any], report: dict[str, Any], findings: list[dict[str, Any]]
) -> Block | None:
    """One question's figures; None for questions the report does not summarise."""
    if question.get("n") is None:
        return None
    block = Block(question["key"], question["text"], question["n"], findings, [])
    if _all_hidden(question):
        block.note = _(
            "Fewer than %(k)s respondents answered this question, so its results are not shown.",
            k=report["k"],
        )
        return block
    block.figures = [Figure(c, t) for c, t in charts.question_figures(question, report)]
    return block


def _summary(report: dict[str, Any]) -> list[str]:
    lines = [
        _(
            "Results of the %(n)s submitted responses.",
            n=text.count(report["n_responses"]),
        ),
        _(
            "Groups and answers of fewer than %(k)s respondents are hidden.",
            k=report["k"],
        ),
    ]
    if report.get("by"):
        lines.append(
            _("Compared by: %(by)s.", by=report.get("by_label") or report["by"]),
        )
    generated = report.get("generated_at")
    if generated:
        moment = datetime.fromisoformat(generated)
        lines.append(_("Made on %(date)s.", date=format_datetime(moment, "medium")))
    return lines


def _findings_intro(report: dict[str, Any]) -> str:
    if not report.get("by"):
        return _(
            "Findings compare groups of organisations. This report is not cut by a group: "
            "make it with a grouping (for example by size) to see them."
        )
    if not report.get("findings"):
        tested = [q["crosstab"] for q in report["questions"] if q.get("crosstab")]
        if any(c["p_adjusted"] is not None and c["p_adjusted"] < 0.05 for c in tested):
            return _(
                "Some tests found differences between the groups (adjusted p below 0.05), "
                "but too few of the groups' answers can be shown to compare them here: "
                "see the tables of each question."
            )
        return _(
            "No clear differences between the groups were found (adjusted p below 0.05), "
            "where the groups are large enough to be shown."
        )
    return _(
        "The clearest differences between the groups, strongest evidence first "
        "(adjusted p below 0.05)."
    )


def _methods(report: dict[str, Any]) -> list[str]:
    methods = [
        _(
            "Shares are of the respondents who answered the question. The whiskers and the "
            "intervals are 95 %% Wilson score intervals: with fewer respondents they are wider."
        ),
        _(
            "On rating scales, “don't know” is counted apart and is not part of the shares, "
            "the mean (with its 95 %% t interval) or the median."
        ),
        _(
            "To protect small groups, a number of 1 to %(k)s respondents is hidden, and so is "
            "the next smallest number beside it where the hidden one could be worked out from "
            "the totals.",
            k=report["k"] - 1,
        ),
    ]
    if report.get("by"):
        methods.append(
            _(
                "Differences between groups are tested with the chi-square test (Fisher's exact "
                "test with small numbers) for choices, and the Kruskal–Wallis or Mann–Whitney "
                "test for scales. Because a report makes many tests, the p-values are adjusted "
                "together with Holm's method; a finding is a difference with an adjusted p "
                "below 0.05."
            )
        )
    return methods


def build_sections(report: dict[str, Any], *, group_by_theme: bool = False) -> list[Section]:
    """The report's questions (and their findings) in one section, or by action-plan theme:
    the themes in the plan's order, then the questions of no theme."""
    sections = [Section(t["key"], t["label"]) for t in report.get("themes", [])]
    if not group_by_theme:
        sections = []
    by_key = {s.key: s for s in sections}
    other = Section(None, _("Other questions") if sections else _("Results"))
    section_of = {}
    for question in report["questions"]:
        section = by_key.get(question.get("theme"), other)
        section.questions.append(question)
        section_of[question["key"]] = section
    for finding in report.get("findings", []):
        section_of[finding["question"]].findings.append(finding)
    return [s for s in [*sections, other] if s.questions]


def build_document(report: dict[str, Any], *, group_by_theme: bool = False) -> Document:
    """The document of a report: findings first; questions by action-plan theme if asked."""
    sections = build_sections(report, group_by_theme=group_by_theme)
    for section in sections:
        for question in section.questions:
            findings = [f for f in section.findings if f["question"] == question["key"]]
            block = question_block(question, report, findings)
            if block is not None:
                section.blocks.append(block)
    if group_by_theme:
        finding_sections = [s for s in sections if s.findings]
    else:
        finding_sections = [Section(None, "", findings=list(report.get("findings", [])))]
    return Document(
        report=report,
        language=report["language"],
        title=report["survey"]["title"],
        summary=_summary(report),
        findings_intro=_findings_intro(report),
        finding_sections=[s for s in finding_sections if s.findings],
        sections=[s for s in sections if s.blocks],
        methods=_methods(report),
        rounds=_rounds(report),
        open_answers=list(report.get("open_answers") or []),
    )


def _rounds(report: dict[str, Any]) -> dict[str, Any] | None:
    """The rounds compared, each option shown in at least two rounds with its trend chart."""
    compared = report.get("waves")
    if not compared:
        return None
    source = _("Source: consult, %(survey)s", survey=report["survey"]["title"])
    questions = []
    for question in compared["questions"]:
        options = []
        for option in question["options"]:
            points = [
                (p["wave"], p["percent"], p["ci_low"], p["ci_high"])
                for p in option["points"]
                if p["percent"] is not None
            ]
            chart = None
            if len(points) >= 2:
                chart = charts.trend_chart(
                    f"{question.get('text', question['key'])} – {option['label']}",
                    points,
                    source=source,
                    key=f"{question['key']}-{option['key']}-trend",
                )
            options.append({**option, "chart": chart})
        questions.append({**question, "options": options})
    return {"waves": compared["waves"], "questions": questions}
