"""Diverging stacked bars: rating scales, matrices and scales by group.

Each bar is one row (the scale, a statement, a group), split into the points of the scale:
the lower points to the left of the centre line, the higher to the right, the middle point
(of an odd scale) across it. "Don't know" is not a point: it has its own panel on the right.
Hidden points are not drawn; such a row is marked with * and does not add up to 100 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from consult.reporting import palette, tables, text
from consult.reporting.canvas import Canvas, Scale
from consult.reporting.figure import AXIS_SPACE, LINE, MARGIN, WIDTH, Chart, label_lines
from consult.reporting.tables import HIDDEN, Hidden

BAR_HEIGHT = 0.34
ROW_GAP = 0.2
LABEL_GAP = 0.04
DONT_KNOW_WIDTH = 1.25  # inches
PANEL_GAP = 0.3


@dataclass(frozen=True)
class Row:
    label: str
    #: The share of each point (percent of those who chose a point), None where hidden.
    shares: list[float | None]
    #: The share of "don't know" among all who answered; None when not offered.
    dont_know: float | Hidden | None


def _dont_know_share(entry: dict[str, Any], offered: bool) -> float | Hidden | None:
    if not offered:
        return None
    count = entry.get("dont_know")
    if count is None:
        return HIDDEN
    total = entry["n"] + count
    return 100.0 * count / total if total else 0.0


def scale_chart(question: dict[str, Any], report: dict[str, Any]) -> Chart | None:
    """A rating scale (one bar) or a matrix (a bar per statement)."""
    scale = question.get("scale") or {}
    offered = bool(scale.get("dont_know"))
    entries = tables.scale_rows(question)
    rows, hidden = [], []
    for label, entry in entries:
        if entry["suppressed"]:
            hidden.append(label)
            continue
        rows.append(
            Row(
                _("%(label)s (n = %(n)s)", label=label, n=text.count(entry["n"])),
                [None if d["suppressed"] else d["percent"] for d in entry["distribution"]],
                _dont_know_share(entry, offered),
            )
        )
    if not rows:
        return None
    subtitle = _(
        "n = %(n)s. Shares of respondents: lower points to the left, higher to the right.",
        n=text.count(question["n"]),
    )
    return _chart(
        question["key"],
        question["text"],
        subtitle,
        rows,
        [d["key"] for d in entries[0][1]["distribution"]],
        scale,
        report=report,
        hidden=hidden,
        n=question["n"],
        table=tables.scale_table(question),
        dont_know=offered,
    )


def crosstab_chart(question: dict[str, Any], report: dict[str, Any]) -> Chart | None:
    """A scale by group: one diverging bar per group (don't know not included)."""
    crosstab = question["crosstab"]
    rows, hidden = [], []
    for group, cells in zip(crosstab["groups"], crosstab["cells"], strict=True):
        if group["suppressed"]:
            hidden.append(group["label"])
        elif group["n"]:
            rows.append(
                Row(
                    _("%(label)s (n = %(n)s)", label=group["label"], n=text.count(group["n"])),
                    [None if c["suppressed"] else c["percent"] for c in cells],
                    None,
                )
            )
    if not rows:
        return None
    by = report.get("by_label") or crosstab["by"]
    subtitle = " ".join(
        [
            _("Shares of each group's respondents; “don't know” not included."),
            text.test_summary(crosstab),
        ]
    )
    return _chart(
        f"{question['key']}-by-{crosstab['by']}",
        _("%(question)s – %(by)s", question=question["text"], by=by),
        subtitle,
        rows,
        list(crosstab["values"]),
        question.get("scale") or {},
        report=report,
        hidden=hidden,
        n=question["n"],
        table=tables.crosstab_table(question, report),
        dont_know=False,
    )


def _placements(shares: list[float | None]) -> list[tuple[int, float, float]]:
    """(point index, left edge, width) of each shown segment, stacked out from the centre.
    Hidden (None) and empty segments take no room."""
    count = len(shares)
    middle = (count - 1) / 2
    placed = []
    centre = shares[count // 2] if count % 2 else None
    half = (centre or 0.0) / 2
    if centre:
        placed.append((count // 2, -half, centre))
    edge = -half
    for i in range(math.ceil(middle) - 1, -1, -1):
        if shares[i]:
            edge -= shares[i]
            placed.append((i, edge, shares[i]))
    edge = half
    for i in range(math.floor(middle) + 1, count):
        if shares[i]:
            placed.append((i, edge, shares[i]))
            edge += shares[i]
    return placed


def _chart(
    key: str,
    title: str,
    subtitle: str,
    rows: list[Row],
    points: list[Any],
    scale: dict[str, Any],
    *,
    report: dict[str, Any],
    hidden: list[str],
    n: int,
    table: tables.Table,
    dont_know: bool,
) -> Chart | None:
    # A row whose every answer is hidden (or zero beside hidden ones) has nothing to draw.
    hidden = hidden + [row.label for row in rows if not any(s for s in row.shares)]
    rows = [row for row in rows if any(s for s in row.shares)]
    if not rows:
        return None
    colours = palette.diverging(len(points))
    legend = [(text.point_label(p, scale), c) for p, c in zip(points, colours, strict=True)]
    if dont_know:
        legend.append((_("Don't know"), palette.DONT_KNOW))
    partial = [row for row in rows if None in row.shares]
    notes = []
    if hidden:
        notes.append(
            _(
                "Not shown, to protect small groups (fewer than %(k)s respondents): %(labels)s.",
                k=report["k"],
                labels=", ".join(hidden),
            )
        )
    if partial:
        notes.append(
            _(
                "* Some answers are hidden to protect small groups (fewer than %(k)s "
                "respondents); the bar does not add up to 100 %%.",
                k=report["k"],
            )
        )
    source = text.source(report, n)
    canvas = Canvas(title, subtitle, legend=legend, notes=notes, source=source)
    panel = DONT_KNOW_WIDTH + PANEL_GAP if dont_know else 0.0
    share = (WIDTH - 2 * MARGIN - panel) / (WIDTH - 2 * MARGIN)
    placements = [_placements(row.shares) for row in rows]
    extent = max(
        (abs(edge + width * (edge >= 0)) for placed in placements for _i, edge, width in placed),
        default=50.0,
    )
    limit = min(100.0, max(50.0, 25.0 * math.ceil(extent / 25.0)))
    y, layout = 0.05, []
    for row in rows:
        lines = label_lines(row.label + (" *" if row in partial else ""), share)
        label_y = y
        y += LINE[palette.LABEL_SIZE] * len(lines) + LABEL_GAP
        layout.append((lines, label_y, y + BAR_HEIGHT / 2))
        y += BAR_HEIGHT + ROW_GAP
    bottom = y - ROW_GAP + 0.1
    figure = canvas.start(bottom + AXIS_SPACE)
    axis = Scale(MARGIN, WIDTH - MARGIN - panel, -limit, limit)
    step = 50.0 if limit == 100 else 25.0
    ticks = [t * step for t in range(-int(limit // step), int(limit // step) + 1)]
    canvas.grid(axis, ticks, bottom)
    boxes, fills, data = [], [], []
    for row, placed, (lines, label_y, centre) in zip(rows, placements, layout, strict=True):
        canvas.text(MARGIN, label_y, "\n".join(lines))
        for i, left, width in placed:
            boxes.append((axis(left), centre - BAR_HEIGHT / 2, axis.length(width), BAR_HEIGHT))
            fills.append(colours[i])
            data.append({"label": row.label, "point": points[i], "percent": width})
            if axis.length(width) >= 0.36:
                canvas.text(
                    axis(left + width / 2),
                    centre,
                    text.percent_number(width),
                    ha="center",
                    va="center",
                    size=palette.VALUE_SIZE,
                    colour=palette.text_on(colours[i]),
                )
    canvas.rectangles(boxes, fills, edge="white", linewidth=0.6)
    canvas.lines([((axis(0), 0.0), (axis(0), bottom))], width=1.2, zorder=2.5)  # under numbers
    if dont_know:
        data += _dont_know_panel(canvas, rows, layout)
    return Chart(
        key=key,
        kind="diverging",
        title=title,
        subtitle=subtitle,
        source=source,
        alt=_alt(title, rows, points, scale, hidden),
        table=table,
        data=data,
        figure=figure,
    )


def _dont_know_panel(canvas: Canvas, rows: list[Row], layout: list) -> list[dict[str, Any]]:
    """Don't know, apart: a grey bar per row on its own 0–100 % scale, right of the scale."""
    scale = Scale(WIDTH - MARGIN - DONT_KNOW_WIDTH, WIDTH - MARGIN - 0.45)
    canvas.text(scale(0), 0.0, _("Don't know"), size=palette.VALUE_SIZE, colour=palette.MUTED)
    boxes, data = [], []
    for row, (_lines, _y, centre) in zip(rows, layout, strict=True):
        if isinstance(row.dont_know, Hidden):
            value, share = text.hidden(), 0.0
        else:
            share = row.dont_know or 0.0
            boxes.append((scale(0), centre - BAR_HEIGHT / 2, scale.length(share), BAR_HEIGHT))
            data.append({"label": row.label, "point": "dont_know", "percent": share})
            value = text.percent(share)
        canvas.text(scale(share) + 0.08, centre, value, va="center", size=palette.VALUE_SIZE)
    canvas.rectangles(boxes, palette.DONT_KNOW)
    return data


def _alt(
    title: str, rows: list[Row], points: list[Any], scale: dict[str, Any], hidden: list[str]
) -> str:
    count = len(points)
    lower = f"{points[0]}–{points[count // 2 - 1]}" if count > 3 else str(points[0])
    upper = f"{points[(count + 1) // 2]}–{points[-1]}" if count > 3 else str(points[-1])
    parts = [_("Diverging bar chart: %(title)s.", title=title)]
    for row in rows:
        shown = [(s, p) for s, p in zip(row.shares, points, strict=True) if s is not None]
        most, point = max(shown, key=lambda pair: pair[0])
        parts.append(
            _(
                "%(row)s: %(low)s chose the lower end (%(lower)s), %(high)s the upper end "
                "(%(upper)s); largest share %(point)s, %(percent)s.",
                row=row.label,
                low=text.percent(sum(s or 0 for s in row.shares[: count // 2])),
                lower=lower,
                high=text.percent(sum(s or 0 for s in row.shares[(count + 1) // 2 :])),
                upper=upper,
                point=text.point_label(point, scale),
                percent=text.percent(most),
            )
        )
        if None in row.shares:
            parts.append(_("Some answers are hidden."))
        if isinstance(row.dont_know, float):
            parts.append(_("Don't know: %(percent)s.", percent=text.percent(row.dont_know)))
    if hidden:
        parts.append(_("Not shown: %(rows)s.", rows=", ".join(hidden)))
    return " ".join(parts)
