"""The data tables of a report: the numbers behind each chart, for the HTML beside the chart
and for the XLSX. Cells keep their numbers (the XLSX writes them as numbers); a cell hidden to
protect a small group is :data:`HIDDEN`, a cell with nothing to show is ``None``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from consult.reporting import text


class Hidden:
    """A number not shown because fewer than k respondents are behind it."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()
Value = int | float | str | Hidden | None


@dataclass(frozen=True)
class Column:
    label: str
    #: count, percent, decimal or text: how the HTML writes it and the XLSX formats it.
    kind: str = "percent"


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    row_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default=())

    def formatted(self) -> list[tuple[str, list[tuple[str, bool]]]]:
        """Each row's label and its cells as (text in the current locale, hidden or not)."""
        return [
            (
                row.label,
                [
                    (format_cell(v, c.kind), isinstance(v, Hidden))
                    for v, c in zip(row.values, self.columns, strict=True)
                ],
            )
            for row in self.rows
        ]


def format_cell(value: Value, kind: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, Hidden):
        return text.hidden()
    if isinstance(value, str) or kind == "text":
        return str(value)
    if kind == "count":
        return text.count(value)
    if kind == "percent":
        return text.percent_number(value)
    return text.decimal(value)


def _shown(entry: dict[str, Any], name: str) -> Value:
    """A number of a JSON entry, :data:`HIDDEN` where the entry is suppressed."""
    if entry.get("suppressed") or entry.get(name, 0) is None:
        return HIDDEN
    return entry.get(name)


def caption(question: dict[str, Any]) -> str:
    if question.get("n") is None or question.get("suppressed"):  # n < k is not given either
        return question["text"]
    return _("%(question)s (n = %(n)s)", question=question["text"], n=text.count(question["n"]))


def options_table(question: dict[str, Any]) -> Table:
    """Single, yes/no and multiple choice: each answer's count, share and 95 % interval."""
    notes = []
    if question["type"] == "multiple_choice":
        notes.append(
            _(
                "Several answers could be chosen: each share is of the respondents who "
                "answered the question, so the shares add up to more than 100 %."
            )
        )
    return Table(
        caption=caption(question),
        row_header=_("Answer"),
        columns=(
            Column(_("Respondents"), "count"),
            Column("%"),
            Column(_("Lower limit (95 %)")),
            Column(_("Upper limit (95 %)")),
        ),
        rows=tuple(
            Row(o["label"], tuple(_shown(o, f) for f in ("count", "percent", "ci_low", "ci_high")))
            for o in question["options"]
        ),
        notes=tuple(notes),
    )


def scale_rows(question: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The rows of a scale's chart and table: the scale itself, or a matrix's statements."""
    if "statements" in question:
        return [(s["label"], s) for s in question["statements"]]
    return [(_("All respondents"), question)]


def scale_table(question: dict[str, Any]) -> Table:
    """A scale or matrix: the share of each point, don't know apart, mean and median."""
    scale = question.get("scale") or {}
    rows = scale_rows(question)
    points = [d["key"] for d in rows[0][1]["distribution"]] if rows else []
    offered = scale.get("dont_know", True)  # reports made before `scale` was added: show it
    columns = [
        Column(_("Respondents"), "count"),
        *(Column(text.point_label(p, scale)) for p in points),
        *([Column(_("Don't know (respondents)"), "count")] if offered else []),
        Column(_("Mean"), "decimal"),
        Column(_("Median"), "decimal"),
    ]
    table_rows = []
    for label, entry in rows:
        cells: list[Value] = [entry["n"]]
        cells += [_shown(d, "percent") for d in entry["distribution"]]
        if offered:
            dont_know = entry.get("dont_know")
            cells.append(HIDDEN if dont_know is None else dont_know)
        cells += [_shown(entry, "mean"), _shown(entry, "median")]
        table_rows.append(Row(label, tuple(cells)))
    notes = [
        _(
            "Shares in percent of the respondents who chose a point of the scale; "
            "“don't know” is counted apart and not included in the shares or the mean."
        )
    ]
    return Table(
        caption=caption(question),
        row_header=_("Statement") if "statements" in question else _("Group"),
        columns=tuple(columns),
        rows=tuple(table_rows),
        notes=tuple(notes),
    )


def value_labels(question: dict[str, Any], crosstab: dict[str, Any]) -> list[str]:
    """The answers of a cross-tabulation: option labels, or scale points with their ends."""
    labels = {o["key"]: o["label"] for o in question.get("options", [])}
    scale = question.get("scale")
    return [labels.get(v, text.point_label(v, scale)) for v in crosstab["values"]]


def crosstab_table(question: dict[str, Any], report: dict[str, Any]) -> Table:
    """A cross-tabulation: each group's n and row percentages."""
    crosstab = question["crosstab"]
    by = report.get("by_label") or crosstab["by"]
    rows = []
    for group, cells in zip(crosstab["groups"], crosstab["cells"], strict=True):
        n: Value = HIDDEN if group["suppressed"] else group["n"]
        values = [HIDDEN if c["suppressed"] else c["percent"] for c in cells]
        rows.append(Row(group["label"], (n, *values)))
    notes = [
        _("Row percentages: each group adds up to 100 %."),
        text.test_summary(crosstab),
    ]
    if "scale" in question:
        notes.insert(1, _("“Don't know” is not included."))
    return Table(
        caption=_("%(question)s – %(by)s", question=question["text"], by=by),
        row_header=by,
        columns=(
            Column(_("Respondents"), "count"),
            *(Column(label) for label in value_labels(question, crosstab)),
        ),
        rows=tuple(rows),
        notes=tuple(notes),
    )


def number_table(question: dict[str, Any]) -> Table:
    """A number question: n, mean with its interval, median and quartiles."""
    names = ("mean", "ci_low", "ci_high", "median", "q1", "q3")
    return Table(
        caption=caption(question),
        row_header=_("Group"),
        columns=(
            Column(_("Respondents"), "count"),
            Column(_("Mean"), "decimal"),
            Column(_("Lower limit (95 %)"), "decimal"),
            Column(_("Upper limit (95 %)"), "decimal"),
            Column(_("Median"), "decimal"),
            Column(_("Lower quartile"), "decimal"),
            Column(_("Upper quartile"), "decimal"),
        ),
        rows=(Row(_("All respondents"), (question["n"], *(_shown(question, n) for n in names))),),
    )


def trend_table(title: str, points: Sequence[tuple[str, float, float, float]]) -> Table:
    """Waves of the same question: the share in each wave with its interval."""
    return Table(
        caption=title,
        row_header=_("Wave"),
        columns=(
            Column("%"),
            Column(_("Lower limit (95 %)")),
            Column(_("Upper limit (95 %)")),
        ),
        rows=tuple(Row(label, (share, low, high)) for label, share, low, high in points),
    )


def question_tables(question: dict[str, Any], report: dict[str, Any]) -> list[Table]:
    """Every table of one question, in the order of its charts (the XLSX needs no charts)."""
    if question.get("n") is None:
        return []
    found = []
    if "options" in question:
        found.append(options_table(question))
    elif "distribution" in question or "statements" in question:
        found.append(scale_table(question))
    elif "mean" in question:
        found.append(number_table(question))
    if question.get("crosstab"):
        found.append(crosstab_table(question, report))
    return found
