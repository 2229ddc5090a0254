"""A survey's results as one JSON-ready structure (docs/report-json.md): every number a report
shows, with small groups suppressed. Plain data in, plain data out: no Flask, no models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from consult.analysis import adjust, crosstab, proportions, summaries, suppression
from consult.analysis.columns import DONT_KNOW, Columns


@dataclass(frozen=True)
class Item:
    """A question as the analysis sees it. ``kind``: choice, multiple, scale, matrix, number
    or other (reported by its n only)."""

    key: str
    type: str
    kind: str
    text: str
    option_keys: Sequence[str] = ()
    option_codes: Sequence[int] = ()
    option_labels: Sequence[str] = ()
    statement_keys: Sequence[str] = ()
    statement_labels: Sequence[str] = ()
    low: int = 1
    high: int = 5


@dataclass(frozen=True)
class Grouping:
    """What a report is cut by: one code per respondent row (NaN: unknown) and the groups."""

    name: str
    codes: np.ndarray
    group_codes: Sequence[int]
    group_keys: Sequence[str]
    group_labels: Sequence[str]
    #: The question that asks the same as the grouping (not cross-tabulated by itself).
    same_as: str | None = None


def _option_entries(
    item: Item, shares: list[proportions.Share], n: int, k: int, *, complements: bool
) -> list[dict[str, Any]]:
    counts = np.array([s.count for s in shares], dtype=np.int64)
    if n < k:
        hidden = np.ones(len(shares), bool)
    elif complements:
        # Multiple choice: options do not add up to n, but each option splits the
        # respondents in two — those who chose it and those who did not.
        hidden = suppression.primary(counts, k) | suppression.primary(n - counts, k)
    else:
        hidden = suppression.suppress(counts[None, :], k)[0]
    return [
        {
            "key": key,
            "label": label,
            "count": None if secret else s.count,
            "percent": None if secret else s.percent,
            "ci_low": None if secret else s.ci_low,
            "ci_high": None if secret else s.ci_high,
            "suppressed": bool(secret),
        }
        for key, label, s, secret in zip(
            item.option_keys, item.option_labels, shares, hidden, strict=True
        )
    ]


def _scale_entry(summary: summaries.ScaleSummary, k: int) -> dict[str, Any]:
    secret = summary.n < k
    distribution = [
        {
            "key": s.key,
            "count": s.count,
            "percent": s.percent,
            "ci_low": s.ci_low,
            "ci_high": s.ci_high,
        }
        for s in summary.distribution
    ]
    hidden = suppression.suppress(np.array([[d["count"] for d in distribution]]), k)[0]
    for entry, secret_cell in zip(distribution, hidden, strict=True):
        entry["suppressed"] = bool(secret_cell or secret)
        if entry["suppressed"]:
            entry.update(count=None, percent=None, ci_low=None, ci_high=None)
    # With n published, the mean (and its interval, the median, the top two) would give back
    # hidden points of the distribution: 2 × "4" and 8 × "5" hidden, n = 10 and mean 4.8
    # tell them apart. They are shown only when every point is.
    masked = secret or any(entry["suppressed"] for entry in distribution)
    return {
        "n": summary.n,
        "dont_know": None if 0 < summary.dont_know < k else summary.dont_know,
        "mean": None if masked else _number(summary.mean),
        "ci_low": None if masked else _number(summary.ci_low),
        "ci_high": None if masked else _number(summary.ci_high),
        "median": None if masked else _number(summary.median),
        "top_two_percent": None if masked else summary.top_two.percent,
        "suppressed": secret,
        "distribution": distribution,
    }


def hidden_groups(totals: np.ndarray, k: int) -> np.ndarray:
    """The groups not shown: those of 1 … k−1 respondents; and when that is only one, the
    smallest other non-empty group too, or the published total less the others' sizes would
    give it back (its size, and with the options' totals, its answers)."""
    small = (totals > 0) & (totals < k)
    if small.sum() == 1:
        others = [i for i in range(len(totals)) if totals[i] > 0 and not small[i]]
        if others:
            small[min(others, key=lambda i: totals[i])] = True
    return small


def _number(value: float) -> float | None:
    return None if value != value else float(value)  # NaN → null


def _crosstab(
    values: np.ndarray,
    value_codes: Sequence[int],
    value_keys: Sequence[Any],
    grouping: Grouping,
    k: int,
    *,
    ordinal: bool,
) -> dict[str, Any]:
    table = crosstab.table(values, grouping.codes, value_codes, grouping.group_codes)
    if ordinal:
        test = crosstab.ordinal_test_of_table(table, value_codes)
    else:
        test = crosstab.nominal_test(table)
    totals = table.sum(axis=1)
    small = hidden_groups(totals, k)
    # Each group's n is published beside its cells, and the question's n and its options'
    # counts in the question's own summary: the table is suppressed with its n column, a
    # hidden group's whole row (its n too) taken as hidden from the start.
    with_n = np.column_stack([table, totals])
    while True:  # a group whose n had to be hidden is hidden whole: suppressed again
        also = np.zeros(with_n.shape, dtype=bool)
        also[small, :] = True
        hidden = suppression.suppress(with_n, k, also=also)
        if not (hidden[:, -1] & ~small).any():
            break
        small = small | hidden[:, -1]
    hidden = hidden[:, :-1]
    percents = crosstab.row_percents(table)
    return {
        "by": grouping.name,
        "test": test.test if test else None,
        "statistic": test.statistic if test else None,
        "dof": test.dof if test else None,
        "p_value": test.p_value if test else None,
        "p_adjusted": None,
        "effect_size": test.effect_size if test else None,
        "effect_name": test.effect_name if test else None,
        "values": list(value_keys),
        "groups": [
            {
                "key": key,
                "label": label,
                "n": None if secret else int(total),
                "suppressed": bool(secret),
            }
            for key, label, total, secret in zip(
                grouping.group_keys, grouping.group_labels, totals, small, strict=True
            )
        ],
        "cells": [
            [
                {
                    "count": None if hidden[i, j] else int(table[i, j]),
                    "percent": None
                    if hidden[i, j] or np.isnan(percents[i, j])
                    else float(percents[i, j]),
                    "suppressed": bool(hidden[i, j]),
                }
                for j in range(table.shape[1])
            ]
            for i in range(table.shape[0])
        ],
    }


def question_report(
    item: Item, columns: Columns, grouping: Grouping | None, k: int
) -> dict[str, Any]:
    """One question's numbers."""
    entry: dict[str, Any] = {"key": item.key, "type": item.type, "text": item.text}
    if item.kind == "choice":
        values = columns.column(item.key)
        shares = proportions.frequencies(values, item.option_codes)
        n = shares[0].n if shares else 0
        entry.update(n=n, suppressed=n < k)
        entry["options"] = _option_entries(item, shares, n, k, complements=False)
        if grouping is not None:
            entry["crosstab"] = _crosstab(
                values, item.option_codes, item.option_keys, grouping, k, ordinal=False
            )
    elif item.kind == "multiple":
        matrix = np.column_stack([columns.column(item.key, key) for key in item.option_keys])
        shares = proportions.chosen(matrix, item.option_keys)
        n = shares[0].n if shares else 0
        entry.update(n=n, suppressed=n < k)
        entry["options"] = _option_entries(item, shares, n, k, complements=True)
    elif item.kind == "scale":
        values = columns.column(item.key)
        entry.update(_scale_entry(summaries.scale(values, item.low, item.high), k))
        if grouping is not None:
            points = np.where(values == DONT_KNOW, np.nan, values)
            codes = list(range(item.low, item.high + 1))
            entry["crosstab"] = _crosstab(points, codes, codes, grouping, k, ordinal=True)
    elif item.kind == "matrix":
        entry["statements"] = []
        for key, label in zip(item.statement_keys, item.statement_labels, strict=True):
            summary = summaries.scale(columns.column(item.key, key), item.low, item.high)
            entry["statements"].append({"key": key, "label": label, **_scale_entry(summary, k)})
        entry["n"] = max((s["n"] for s in entry["statements"]), default=0)
    elif item.kind == "number":
        summary = summaries.number(columns.column(item.key))
        secret = summary.n < k
        entry.update(n=summary.n, suppressed=secret)
        for name in ("mean", "ci_low", "ci_high", "median", "q1", "q3"):
            entry[name] = None if secret else _number(getattr(summary, name))
    else:
        entry["n"] = None
    return entry


def report(
    items: Sequence[Item],
    columns: Columns,
    *,
    grouping: Grouping | None = None,
    k: int = suppression.DEFAULT_K,
    p_adjustment: str = "holm",
) -> dict[str, Any]:
    """The whole survey: each question's numbers; the crosstabs' p-values adjusted together."""
    if k < suppression.MIN_K:
        raise ValueError(f"k must be at least {suppression.MIN_K}")
    questions = [
        question_report(
            item,
            columns,
            None if grouping and item.key in (grouping.name, grouping.same_as) else grouping,
            k,
        )
        for item in items
    ]
    tests = [
        q["crosstab"]
        for q in questions
        if q.get("crosstab") and q["crosstab"]["p_value"] is not None
    ]
    method = {"holm": adjust.holm, "benjamini_hochberg": adjust.benjamini_hochberg}[p_adjustment]
    for test, adjusted in zip(tests, method([t["p_value"] for t in tests]), strict=True):
        test["p_adjusted"] = float(adjusted)
    return {
        "k": k,
        "n_responses": int(columns.values.shape[0]),
        "by": grouping.name if grouping else None,
        "p_adjustment": p_adjustment if grouping else None,
        "questions": questions,
    }


def findings(result: dict[str, Any], *, alpha: float = 0.05) -> list[dict[str, Any]]:
    """The notable differences of a cross-tabulated report, strongest evidence first.

    For each question whose adjusted p-value is below ``alpha``, the answer whose share
    differs most between two shown groups: ``{question, option, high: {group, percent},
    low: {group, percent}, p_value, p_adjusted, test}``.
    """
    found = []
    for question in result["questions"]:
        cross = question.get("crosstab")
        if not cross or cross["p_adjusted"] is None or cross["p_adjusted"] >= alpha:
            continue
        if cross["test"] in ("mann_whitney", "kruskal_wallis"):
            continue  # a scale's difference is told by its medians, not by one answer
        shown = [i for i, g in enumerate(cross["groups"]) if not g["suppressed"] and g["n"]]
        best = None
        for j in range(len(cross["values"])):
            cells = [(cross["cells"][i][j]["percent"], i) for i in shown]
            cells = [(p, i) for p, i in cells if p is not None]
            if len(cells) < 2:
                continue
            (low, i_low), (high, i_high) = min(cells), max(cells)
            if best is None or high - low > best[0]:
                best = (high - low, j, i_high, high, i_low, low)
        if best is None:
            continue
        _gap, j, i_high, high, i_low, low = best
        option = next(
            (o for o in question.get("options", []) if o["key"] == cross["values"][j]), None
        )
        found.append(
            {
                "question": question["key"],
                "question_text": question["text"],
                "option": cross["values"][j],
                "option_label": option["label"] if option else str(cross["values"][j]),
                "high": {"group": cross["groups"][i_high]["label"], "percent": high},
                "low": {"group": cross["groups"][i_low]["label"], "percent": low},
                "p_value": cross["p_value"],
                "p_adjusted": cross["p_adjusted"],
                "test": cross["test"],
            }
        )
    return sorted(found, key=lambda f: f["p_adjusted"])


def coded_question(
    key: str,
    text: str,
    code_keys: Sequence[str],
    code_labels: Sequence[str],
    counts: Sequence[int],
    n: int,
    k: int,
) -> dict[str, Any]:
    """An open question's codes analysed like a multiple-choice question: the share of the
    respondents who answered it whose answer got each code, with small cells hidden."""
    item = Item(
        key=key,
        type="coded",
        kind="multiple",
        text=text,
        option_keys=list(code_keys),
        option_labels=list(code_labels),
    )
    shares = [
        proportions.share(c, int(count), n) for c, count in zip(code_keys, counts, strict=True)
    ]
    return {
        "key": key,
        "type": "coded",
        "text": text,
        "n": n if n >= k else None,
        "options": _option_entries(item, shares, n, k, complements=True),
    }
