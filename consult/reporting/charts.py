"""The charts of a report, drawn from its JSON (docs/report-json.md).

* single, yes/no and multiple choice: horizontal bars with Wilson 95 % whiskers;
* scales and matrices: diverging stacked bars, "don't know" apart (:mod:`.diverging`);
* cross-tabulations: grouped bars (choices) or diverging bars per group (scales);
* waves of one question: a trend line with its interval band.

Hidden cells (fewer than k respondents) are never drawn; the chart's notes name them and its
table says "hidden". Call these inside ``force_locale(report["language"])``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from flask_babel import gettext as _

from consult.analysis.proportions import wilson_interval
from consult.reporting import diverging, palette, tables, text
from consult.reporting.canvas import Canvas, Scale
from consult.reporting.figure import AXIS_SPACE, LINE, MARGIN, WIDTH, Chart, label_lines

BAR_HEIGHT = 0.3
ROW_GAP = 0.2
LABEL_GAP = 0.04
CAP = 0.07  # half the height of a whisker's end, inches


def question_figures(
    question: dict[str, Any], report: dict[str, Any]
) -> list[tuple[Chart | None, tables.Table]]:
    """Each chart of one question with its table (the chart's own); a table alone where
    nothing can be drawn. Results first, then the cross-tabulation."""
    if question.get("n") is None:
        return []
    pairs: list[tuple[Chart | None, tables.Table]] = []

    def add(chart: Chart | None, table: Callable[[], tables.Table]) -> None:
        pairs.append((chart, chart.table if chart else table()))

    if "options" in question:
        add(options_chart(question, report), lambda: tables.options_table(question))
    elif "distribution" in question or "statements" in question:
        add(diverging.scale_chart(question, report), lambda: tables.scale_table(question))
    elif "mean" in question:
        pairs.append((None, tables.number_table(question)))
    if question.get("crosstab"):
        add(crosstab_chart(question, report), lambda: tables.crosstab_table(question, report))
    return pairs


def question_charts(question: dict[str, Any], report: dict[str, Any]) -> list[Chart]:
    """Every chart of one question of the report: its results, then its cross-tabulation."""
    return [chart for chart, _table in question_figures(question, report) if chart is not None]


def _hidden_note(labels: Sequence[str], k: int) -> list[str]:
    if not labels:
        return []
    return [
        _(
            "Not shown, to protect small groups (fewer than %(k)s respondents): %(labels)s.",
            k=k,
            labels=", ".join(labels),
        )
    ]


#: The percent axis of bar charts: from the left margin to room for "100 %" on the right.
BARS = Scale(MARGIN, WIDTH - 0.95)
TICKS = (0, 25, 50, 75, 100)


def _whiskers(canvas: Canvas, scale: Scale, entries: Sequence[tuple[float, float, float]]):
    """95 % interval whiskers: (centre y, low, high) in body inches and percent."""
    segments = []
    for centre, low, high in entries:
        left, right = scale(low), scale(high)
        segments += [
            ((left, centre), (right, centre)),
            ((left, centre - CAP), (left, centre + CAP)),
            ((right, centre - CAP), (right, centre + CAP)),
        ]
    canvas.lines(segments, halo=True)


def _value(canvas: Canvas, scale: Scale, at: float, centre: float, value: str, **kw: Any):
    """A bar's value, just right of its bar or whisker."""
    canvas.text(scale(at) + 0.1, centre, value, va="center", size=palette.VALUE_SIZE, **kw)


def options_chart(question: dict[str, Any], report: dict[str, Any]) -> Chart | None:
    """Single, yes/no or multiple choice: each shown answer's share with its 95 % interval."""
    if question.get("suppressed") or not question.get("options"):
        return None
    shown = [o for o in question["options"] if not o["suppressed"]]
    if not shown:
        return None
    hidden = [o["label"] for o in question["options"] if o["suppressed"]]
    n = question["n"]
    subtitle = _("n = %(n)s. Share of respondents, with 95 %% interval.", n=text.count(n))
    if question["type"] == "multiple_choice":
        subtitle += " " + _("Several answers could be chosen.")
    canvas = Canvas(
        question["text"],
        subtitle,
        notes=_hidden_note(hidden, report["k"]),
        source=text.source(report, n),
    )
    # Long lists are set tighter, so that a chart of 15 answers still fits a page.
    bar, gap = (BAR_HEIGHT, ROW_GAP) if len(shown) <= 8 else (0.24, 0.1)
    y, rows = 0.05, []
    for option in shown:
        lines = label_lines(option["label"])
        label_y = y
        y += LINE[palette.LABEL_SIZE] * len(lines) + LABEL_GAP
        rows.append((option, lines, label_y, y + bar / 2))
        y += bar + gap
    bottom = y - gap + 0.1
    figure = canvas.start(bottom + AXIS_SPACE)
    canvas.grid(BARS, TICKS, bottom)
    canvas.rectangles(
        [(BARS(0), c - bar / 2, BARS.length(o["percent"]), bar) for o, *_, c in rows],
        palette.BAR,
    )
    _whiskers(canvas, BARS, [(c, o["ci_low"], o["ci_high"]) for o, *_, c in rows])
    for option, lines, label_y, centre in rows:
        canvas.text(MARGIN, label_y, "\n".join(lines))
        at = max(option["percent"], option["ci_high"])
        _value(canvas, BARS, at, centre, text.percent(option["percent"]), weight="bold")
    return Chart(
        key=question["key"],
        kind="bars",
        title=question["text"],
        subtitle=subtitle,
        source=text.source(report, n),
        alt=_options_alt(question, shown, hidden),
        table=tables.options_table(question),
        data=[
            {
                "label": o["label"],
                "percent": o["percent"],
                "ci_low": o["ci_low"],
                "ci_high": o["ci_high"],
            }
            for o in shown
        ],
        figure=figure,
    )


def _options_alt(question: dict[str, Any], shown: list[dict], hidden: list[str]) -> str:
    ordered = sorted(shown, key=lambda o: -o["percent"])
    largest = ordered[0]
    parts = [
        _(
            "Bar chart: %(question)s, %(n)s respondents. Largest share: %(label)s, %(percent)s "
            "(95 %% interval %(interval)s).",
            question=question["text"],
            n=text.count(question["n"]),
            label=largest["label"],
            percent=text.percent(largest["percent"]),
            interval=text.interval(largest["ci_low"], largest["ci_high"]),
        )
    ]
    if len(ordered) > 1:
        others = "; ".join(f"{o['label']} {text.percent(o['percent'])}" for o in ordered[1:])
        parts.append(_("Then: %(answers)s.", answers=others))
    if hidden:
        parts.append(_("Not shown: %(answers)s.", answers=", ".join(hidden)))
    return " ".join(parts)


def crosstab_chart(question: dict[str, Any], report: dict[str, Any]) -> Chart | None:
    """A cross-tabulation: grouped bars for choices, diverging bars per group for scales."""
    crosstab = question.get("crosstab")
    if not crosstab:
        return None
    if "scale" in question:
        return diverging.crosstab_chart(question, report)
    return grouped_chart(question, report)


def grouped_chart(question: dict[str, Any], report: dict[str, Any]) -> Chart | None:
    """Each group's answers side by side, with 95 % whiskers; hidden cells left empty."""
    crosstab = question["crosstab"]
    labels = tables.value_labels(question, crosstab)
    colours = palette.categorical(len(labels))
    groups, hidden_groups = [], []
    for group, cells in zip(crosstab["groups"], crosstab["cells"], strict=True):
        if group["suppressed"] or not any(c["count"] for c in cells if not c["suppressed"]):
            if group["n"] is None or group["n"] > 0:  # an empty group is simply not there
                hidden_groups.append(group["label"])
        else:
            groups.append((group, cells))
    if not groups:
        return None
    by = report.get("by_label") or crosstab["by"]
    title = _("%(question)s – %(by)s", question=question["text"], by=by)
    subtitle = _(
        "Share of each group's respondents, with 95 %% interval. %(test)s",
        test=text.test_summary(crosstab),
    )
    canvas = Canvas(
        title,
        subtitle,
        legend=list(zip(labels, colours, strict=True)),
        notes=_hidden_note(hidden_groups, report["k"]),
        source=text.source(report, question["n"]),
    )
    bar = 0.24 if len(groups) * len(labels) <= 20 else 0.17
    y, bars, group_labels, empty = 0.05, [], [], []
    for group, cells in groups:
        lines = label_lines(
            _("%(group)s (n = %(n)s)", group=group["label"], n=text.count(group["n"]))
        )
        group_labels.append((lines, y))
        y += LINE[palette.LABEL_SIZE] * len(lines) + LABEL_GAP
        for j, cell in enumerate(cells):
            centre = y + bar / 2
            if cell["suppressed"] or cell["percent"] is None:
                empty.append(centre)
            else:
                low, high = wilson_interval(cell["count"], group["n"])
                bars.append(
                    {
                        "group": group["label"],
                        "label": labels[j],
                        "percent": cell["percent"],
                        "ci_low": 100 * low,
                        "ci_high": 100 * high,
                        "colour": colours[j],
                        "centre": centre,
                    }
                )
            y += bar
        y += ROW_GAP
    bottom = y - ROW_GAP + 0.1
    figure = canvas.start(bottom + AXIS_SPACE)
    canvas.grid(BARS, TICKS, bottom)
    canvas.rectangles(
        [(BARS(0), b["centre"] - bar * 0.46, BARS.length(b["percent"]), bar * 0.92) for b in bars],
        [b["colour"] for b in bars],
        edge=palette.EDGE,
        linewidth=0.5,
    )
    _whiskers(canvas, BARS, [(b["centre"], b["ci_low"], b["ci_high"]) for b in bars])
    for lines, label_y in group_labels:
        canvas.text(MARGIN, label_y, "\n".join(lines))
    size = palette.VALUE_SIZE if bar > 0.2 else palette.SOURCE_SIZE
    for entry in bars:
        at = max(entry["percent"], entry["ci_high"])
        canvas.text(
            BARS(at) + 0.1, entry["centre"], text.percent(entry["percent"]), va="center", size=size
        )
    for centre in empty:
        canvas.text(BARS(1), centre, text.hidden(), va="center", size=size, colour=palette.MUTED)
    data = [{k: v for k, v in b.items() if k not in ("colour", "centre")} for b in bars]
    return Chart(
        key=f"{question['key']}-by-{crosstab['by']}",
        kind="grouped",
        title=title,
        subtitle=subtitle,
        source=text.source(report, question["n"]),
        alt=_grouped_alt(question, by, data, groups, labels, crosstab),
        table=tables.crosstab_table(question, report),
        data=data,
        figure=figure,
    )


def _grouped_alt(
    question: dict[str, Any],
    by: str,
    data: list[dict[str, Any]],
    groups: list,
    labels: list[str],
    crosstab: dict[str, Any],
) -> str:
    largest = max(data, key=lambda d: d["percent"]) if data else None
    parts = [_("Grouped bar chart: %(question)s, by %(by)s.", question=question["text"], by=by)]
    if largest:
        parts.append(
            _(
                "Largest share: %(label)s among %(group)s, %(percent)s.",
                label=largest["label"],
                group=largest["group"],
                percent=text.percent(largest["percent"]),
            )
        )
    if len(groups) * len(labels) > 12:  # too long to listen to: the table has it all
        parts.append(_("Every group's shares are in the table beside the chart."))
    else:
        for group, _cells in groups:
            answers = ", ".join(
                f"{d['label']} {text.percent(d['percent'])}"
                for d in data
                if d["group"] == group["label"]
            )
            if answers:
                parts.append(f"{group['label']}: {answers}.")
    parts.append(text.test_summary(crosstab))
    return " ".join(parts)


def trend_chart(
    title: str,
    points: Sequence[tuple[str, float, float, float]],
    *,
    source: str,
    subtitle: str = "",
    key: str = "trend",
) -> Chart:
    """The same share over waves of a survey: ``points`` are (wave label, percent, low, high)."""
    if not points:
        raise ValueError("a trend needs at least one wave")
    subtitle = subtitle or _(
        "Share of respondents in each of %(count)s waves, with 95 %% interval.", count=len(points)
    )
    canvas = Canvas(title, subtitle, source=source)
    body = 3.6
    figure = canvas.start(body)
    axes = canvas.axes(body, left=0.85, right=0.45, bottom=0.45)
    x = np.arange(len(points))
    labels = [p[0] for p in points]
    shares = np.array([p[1] for p in points], dtype=float)
    lows = np.array([p[2] for p in points], dtype=float)
    highs = np.array([p[3] for p in points], dtype=float)
    axes.fill_between(x, lows, highs, color=palette.LINE, alpha=0.18, linewidth=0, zorder=1)
    axes.plot(x, shares, color=palette.LINE, linewidth=2.4, marker="o", markersize=7, zorder=3)
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.set_ylim(0, 100)
    axes.set_yticks([0, 25, 50, 75, 100], [text.percent(t) for t in (0, 25, 50, 75, 100)])
    axes.set_xticks(x, [""] * len(points))
    axes.tick_params(length=0, labelsize=palette.SOURCE_SIZE, labelcolor=palette.MUTED)
    axes.grid(axis="y", color=palette.GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(palette.MUTED)
    for i, (label, share) in enumerate(zip(labels, shares, strict=True)):
        axes.text(
            i,
            share + 4,
            text.percent(share),
            ha="center",
            va="bottom",
            fontsize=palette.VALUE_SIZE,
            weight="bold",
            color=palette.TEXT,
            parse_math=False,
        )
        axes.text(
            i,
            -0.04,
            label,
            ha="center",
            va="top",
            transform=axes.get_xaxis_transform(),
            fontsize=palette.LABEL_SIZE,
            color=palette.TEXT,
            parse_math=False,
        )
    highest = int(np.argmax(shares))
    alt = " ".join(
        [
            _(
                "Line chart: %(title)s, %(count)s waves: %(waves)s.",
                title=title,
                count=len(points),
                waves="; ".join(
                    f"{label} {text.percent(share)} ({text.interval(low, high)})"
                    for label, share, low, high in points
                ),
            ),
            _(
                "Highest: %(label)s, %(percent)s.",
                label=labels[highest],
                percent=text.percent(shares[highest]),
            ),
        ]
    )
    return Chart(
        key=key,
        kind="trend",
        title=title,
        subtitle=subtitle,
        source=source,
        alt=alt,
        table=tables.trend_table(title, points),
        data=[
            {"label": label, "percent": share, "ci_low": low, "ci_high": high}
            for label, share, low, high in points
        ],
        figure=figure,
    )
