"""How fast a survey's report is made: 100,000 synthetic responses × 30 questions.

Builds a temporary SQLite instance with one survey of 30 closed questions (single choice,
rating scale with "don't know", multiple choice, yes/no, matrix, number, in turn, over three
action-plan themes) and N submitted responses from organisations of three sizes (default
100,000; answers lean a little by size so that tests find something), then times, in the same
run and cut by organisation size:

* load into columns — consult: ``load_columns`` (one query, one ``frombuffer``); pandas:
  ``read_sql_query`` of the same rows and a frame of the unpacked vectors;
* all statistics — consult: ``consult.analysis.report.report`` (shares with Wilson intervals,
  scale summaries, cross-tabulations with their tests, small-cell suppression, Holm's
  adjustment); pandas: the same statistics written the pandas way (value_counts, crosstab,
  groupby, SciPy's tests, statsmodels' Holm), using consult's suppression function. Both
  results are compared before the figures are printed;
* each chart — build and 100 dpi PNG (the target), and apart: SVG and 200 dpi PNG;
* the whole report cold — HTML from the database with an empty cache (also PDF and XLSX);
* a repeat view — the same HTML again, from the cache (one freshness query).

Needs pandas (``pip install -e '.[bench]'``) and statsmodels (in ``[test]``).
Run: ``.venv/bin/python bench/report.py [--responses 100000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from flask_babel import force_locale
from scipy import stats
from statsmodels.stats.multitest import multipletests

from consult import create_app
from consult.analysis import suppression
from consult.analysis.report import report
from consult.domain import SIZES, THEME_GROUPS
from consult.extensions import db
from consult.models import Organisation, Response
from consult.reporting import charts, diverging
from consult.services import report_cache
from consult.services.columns import load_columns
from consult.services.reports import grouping_for, item_for
from consult.services.surveys import import_document

QUESTIONS = 30
THEMES = ["preparedness", "cooperation", "volunteering", None]


def texts(text: str) -> dict[str, str]:
    return {"fi": f"{text} (fi)", "sv": f"{text} (sv)", "en": text}


def survey_document() -> dict:
    """Six kinds of closed question in turn, spread over three action-plan themes."""
    questions = []
    for i in range(QUESTIONS):
        kind = i % 6
        if kind == 0:
            q = {
                "type": "single_choice",
                "options": [{"key": f"o{j}", "text": texts(f"Option {j}")} for j in range(5)],
            }
        elif kind == 1:
            q = {"type": "scale", "settings": {"dont_know": True}}
        elif kind == 2:
            q = {
                "type": "multiple_choice",
                "options": [{"key": f"m{j}", "text": texts(f"Choice {j}")} for j in range(4)],
            }
        elif kind == 3:
            q = {"type": "yes_no"}
        elif kind == 4:
            q = {
                "type": "matrix",
                "settings": {"dont_know": True},
                "statements": [{"key": f"s{j}", "text": texts(f"Statement {j}")} for j in range(3)],
            }
        else:
            q = {"type": "number", "settings": {"min": 0, "max": 1000}}
        theme = THEMES[i % len(THEMES)]
        questions.append(
            {
                "key": f"q{i:02d}",
                "text": texts(f"Question {i}"),
                **({"theme": theme} if theme else {}),
                **q,
            }
        )
    return {
        "format": "consult-survey/1",
        "key": "bench",
        "theme": "preparedness",
        "default_locale": "fi",
        "locales": ["fi", "sv", "en"],
        "title": texts("Benchmark survey"),
        "sections": [{"key": "s", "title": texts("Section"), "questions": questions}],
    }


def synthetic_values(survey, count: int, sizes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Answers that differ a little by organisation size, so that tests have something to find."""
    layout = survey.column_layout
    kinds = {q.key: q.type for q in survey.questions}
    values = np.full((count, len(layout)), np.nan)
    lean = sizes / 2.0  # 0, 0.5, 1
    for column, (key, _item) in enumerate(layout):
        kind = kinds[key]
        answered = rng.random(count) < 0.92
        if kind == "single_choice":
            raw = rng.integers(1, 6, count) + (rng.random(count) < 0.2 * lean)
            codes = np.minimum(raw, 5).astype(float)
        elif kind in ("scale", "matrix"):
            points = np.clip(np.round(rng.normal(2.6 + lean, 1.1, count)), 1, 5)
            codes = np.where(rng.random(count) < 0.06, -1.0, points)
        elif kind == "multiple_choice":
            codes = (rng.random(count) < 0.3 + 0.1 * lean).astype(float)
        elif kind == "yes_no":
            codes = (rng.random(count) < 0.45 + 0.1 * lean).astype(float)
        else:
            codes = np.round(rng.lognormal(3, 1, count))
        values[:, column] = np.where(answered, codes, np.nan)
    return values


def fill(survey, count: int, rng: np.random.Generator) -> None:
    """Insert ``count`` organisations and one submitted response from each."""
    size_keys, theme_keys = list(SIZES), list(THEME_GROUPS)
    sizes = rng.integers(0, len(size_keys), count)
    themes = rng.integers(0, len(theme_keys), count)
    connection = db.session.connection()
    connection.execute(
        sa.insert(Organisation),
        [
            {
                "name": f"Org {i}",
                "size": size_keys[sizes[i]],
                "theme_group": theme_keys[themes[i]],
                "languages": [],
                "districts": [],
            }
            for i in range(count)
        ],
    )
    org_ids = db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)).all()
    blobs = synthetic_values(survey, count, sizes, rng).astype("<f8")
    connection.execute(
        sa.insert(Response),
        [
            {
                "survey_id": survey.id,
                "organisation_id": org_ids[i],
                "status": "submitted",
                "locale": "fi",
                "coded": blobs[i].tobytes(),
            }
            for i in range(count)
        ],
    )
    db.session.commit()


# --- the pandas way ----------------------------------------------------------------------


def pandas_load(survey) -> pd.DataFrame:
    """The submitted responses' vectors with pandas: read_sql, then a frame of the columns."""
    rows = pd.read_sql_query(
        sa.select(Response.id, Response.organisation_id, Response.coded)
        .where(Response.survey_id == survey.id, Response.status == "submitted")
        .order_by(Response.id),
        db.session.connection(),
    )
    width = len(survey.column_layout)
    matrix = np.frombuffer(b"".join(rows["coded"]), dtype="<f8").reshape(len(rows), width)
    names = [f"{key}:{item}" if item else key for key, item in survey.column_layout]
    return pd.DataFrame(matrix, columns=names, index=rows["id"])


def wilson(counts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    z = stats.norm.ppf(0.975)
    if n == 0:
        return np.zeros(len(counts)), np.full(len(counts), 100.0)
    p = counts / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = np.where(counts == 0, 0.0, np.maximum(0.0, centre - half))
    high = np.where(counts == n, 1.0, np.minimum(1.0, centre + half))
    return 100 * low, 100 * high


def pandas_scale(s: pd.Series, low: int, high: int) -> dict[str, Any]:
    dont_know = int((s == -1).sum())
    points = s[s != -1].dropna()
    n = len(points)
    counts = points.value_counts().reindex(range(low, high + 1), fill_value=0).to_numpy()
    mean, sem = points.mean(), points.sem()
    half = stats.t.ppf(0.975, n - 1) * sem
    return {
        "n": n,
        "dont_know": dont_know,
        "counts": counts,
        "interval": wilson(counts, n),
        "mean": mean,
        "ci": (mean - half, mean + half),
        "median": points.median(),
        "top_two": int((points >= high - 1).sum()),
        "points": points,
    }


def pandas_statistics(frame: pd.DataFrame, items, groups: pd.Series, codes, k: int) -> dict:
    """The statistics of consult's report(), the pandas way."""
    out: dict[str, Any] = {}
    tests: list[tuple[str, float]] = []
    for item in items:
        entry: dict[str, Any] = {}
        if item.kind == "choice":
            s = frame[item.key]
            answered = s.dropna()
            counts = answered.value_counts().reindex(item.option_codes, fill_value=0)
            entry.update(n=len(answered), counts=counts.to_numpy())
            entry["interval"] = wilson(entry["counts"], entry["n"])
            table = pd.crosstab(groups, s).reindex(
                index=codes, columns=item.option_codes, fill_value=0
            )
            entry["hidden"] = suppression.suppress(table.to_numpy(), k)
            kept = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
            _chi2, p, _dof, _expected = stats.chi2_contingency(kept, correction=False)
            entry["p"] = p
            tests.append((item.key, p))
        elif item.kind == "multiple":
            sub = frame[[f"{item.key}:{o}" for o in item.option_keys]]
            answered = sub[sub.notna().any(axis=1)]
            entry.update(n=len(answered), counts=answered.sum().to_numpy())
            entry["interval"] = wilson(entry["counts"], entry["n"])
        elif item.kind == "scale":
            entry = pandas_scale(frame[item.key], item.low, item.high)
            samples = [g.to_numpy() for _, g in entry["points"].groupby(groups, sort=True)]
            entry["p"] = stats.kruskal(*samples).pvalue
            tests.append((item.key, entry["p"]))
            del entry["points"]
        elif item.kind == "matrix":
            entry["statements"] = {}
            for key in item.statement_keys:
                summary = pandas_scale(frame[f"{item.key}:{key}"], item.low, item.high)
                del summary["points"]
                entry["statements"][key] = summary
        elif item.kind == "number":
            s = frame[item.key].dropna()
            mean, half = s.mean(), stats.t.ppf(0.975, len(s) - 1) * s.sem()
            q1, median, q3 = s.quantile([0.25, 0.5, 0.75])
            entry.update(n=len(s), mean=mean, ci=(mean - half, mean + half), median=median)
            entry.update(q1=q1, q3=q3)
        out[item.key] = entry
    adjusted = multipletests([p for _, p in tests], method="holm")[1]
    for (key, _p), value in zip(tests, adjusted, strict=True):
        out[key]["p_adjusted"] = value
    return out


def agree(ours: dict, theirs: dict) -> None:
    """The two implementations give the same numbers."""
    for question in ours["questions"]:
        other = theirs[question["key"]]
        if "options" in question:
            assert [o["count"] for o in question["options"]] == list(other["counts"])
            assert np.allclose([o["ci_low"] for o in question["options"]], other["interval"][0])
        if question.get("crosstab"):
            assert np.isclose(question["crosstab"]["p_value"], other["p"], rtol=1e-6)
            assert np.isclose(question["crosstab"]["p_adjusted"], other["p_adjusted"], rtol=1e-6)
        if "distribution" in question:
            assert question["n"] == other["n"] and question["dont_know"] == other["dont_know"]
            assert np.isclose(question["mean"], other["mean"])
            assert np.isclose(question["median"], other["median"])
        if "statements" in question:
            for statement in question["statements"]:
                assert np.isclose(statement["mean"], other["statements"][statement["key"]]["mean"])
        if question["type"] == "number":
            assert np.isclose(question["mean"], other["mean"])


# --- timing ------------------------------------------------------------------------------


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def chart_functions(question: dict) -> list[tuple[str, Callable[[dict, dict], Any]]]:
    found = []
    if "options" in question:
        found.append(("bars", charts.options_chart))
    elif "distribution" in question or "statements" in question:
        found.append(("diverging", diverging.scale_chart))
    if question.get("crosstab"):
        found.append(("crosstab", charts.crosstab_chart))
    return found


def time_charts(data: dict) -> list[tuple[str, str, float, float, float]]:
    """(question, kind, build + PNG 100 dpi, SVG, PNG 200 dpi) of every chart, in seconds:
    the median of three of each."""
    rows = []
    with force_locale(data["language"]):
        for question in data["questions"]:
            for kind, function in chart_functions(question):
                function(question, data).png()  # the first of a kind loads fonts

                def screen_png(function=function, question=question) -> Any:
                    chart = function(question, data)
                    chart.png(100)
                    return chart

                screen, chart = timed(screen_png, 3)
                svg, _ = timed(chart.svg, 3)
                print_png, _ = timed(lambda chart=chart: chart.png(200), 3)
                rows.append((question["key"], kind, screen, svg, print_png))
    return rows


def line(label: str, consult: float, pandas: float | None, target: str) -> None:
    theirs = f"{pandas * 1000:>10.0f}" if pandas is not None else f"{'':>10}"
    print(f"{label:<40}{consult * 1000:>10.0f}{theirs}   {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE_PATH": str(Path(folder))})
        with app.app_context():
            db.create_all()
            survey, _ = import_document(survey_document())
            start = time.perf_counter()
            fill(survey, args.responses, np.random.default_rng(7))
            setup = time.perf_counter() - start

            load_s, columns = timed(lambda: load_columns(survey), args.repeat)
            pandas_load_s, frame = timed(lambda: pandas_load(survey), args.repeat)
            assert np.array_equal(columns.values, frame.to_numpy(), equal_nan=True)

            items = [i for q in survey.ordered_questions() if (i := item_for(q, "fi", "fi"))]
            grouping = grouping_for("size", survey, columns, "fi")
            groups = pd.Series(grouping.codes, index=frame.index)
            stats_s, ours = timed(
                lambda: report(items, columns, grouping=grouping, k=5), args.repeat
            )
            pandas_s, theirs = timed(
                lambda: pandas_statistics(frame, items, groups, grouping.group_codes, 5),
                args.repeat,
            )
            agree(ours, theirs)

            data = report_cache.report_data(survey, locale="fi", by="size")
            chart_times = time_charts(data)

            def cold(kind: str) -> Callable[[], bytes]:
                def run() -> bytes:
                    report_cache.clear()
                    return report_cache.render_report(survey, locale="fi", kind=kind, by="size")

                return run

            html_s, html = timed(cold("html"), max(1, args.repeat // 2))
            pdf_s, pdf = timed(cold("pdf"), 1)
            xlsx_s, xlsx = timed(cold("xlsx"), 1)
            first = report_cache.render_report(survey, locale="fi", kind="html", by="size")
            repeat_s, again = timed(
                lambda: report_cache.render_report(survey, locale="fi", kind="html", by="size"),
                args.repeat,
            )
            assert again is first
            db.session.remove()
            db.engine.dispose()

    screen = [row[2] for row in chart_times]
    print(
        f"responses: {args.responses:,}  questions: {QUESTIONS}  columns: {columns.values.shape[1]}"
        f"  charts: {len(chart_times)}  (setup {setup:.1f} s)"
    )
    print(f"{'median ms':<40}{'consult':>10}{'pandas':>10}   target")
    line("load into columns", load_s, pandas_load_s, "< 500 ms")
    line("all statistics, cut by size", stats_s, pandas_s, "< 100 ms and faster than pandas")
    line("one chart, build + PNG 100 dpi (median)", statistics.median(screen), None, "< 70 ms")
    line("one chart, build + PNG 100 dpi (slowest)", max(screen), None, "< 70 ms")
    line("one chart, SVG (median)", statistics.median(r[3] for r in chart_times), None, "")
    line("one chart, PNG 200 dpi (median)", statistics.median(r[4] for r in chart_times), None, "")
    line("whole report cold, HTML", html_s, None, "< 3000 ms")
    line("whole report cold, PDF", pdf_s, None, "")
    line("whole report cold, XLSX", xlsx_s, None, "")
    line("repeat view from the cache, HTML", repeat_s, None, "< 50 ms")
    print(
        f"sizes: HTML {len(html) / 1e6:.1f} MB, PDF {len(pdf) / 1e6:.1f} MB, XLSX {len(xlsx) / 1e3:.0f} kB"
    )
    print(f"pandas / consult, statistics: {pandas_s / stats_s:.1f}x")
    for key, kind, shown, _svg, _png in chart_times:
        if shown > 0.07:
            print(f"  over 70 ms: {key} {kind} {shown * 1000:.0f} ms")


if __name__ == "__main__":
    main()
