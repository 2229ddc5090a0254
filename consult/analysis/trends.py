"""Comparing rounds (waves) of a survey: the change of a share between two rounds with the
interval of the difference and a test, and the series of shares over every round.

Plain numbers in, plain data out: no Flask, no models. Shares are in percent (0–100).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from consult.analysis import adjust
from consult.analysis.proportions import wilson_interval


@dataclass(frozen=True)
class Change:
    """The later share minus the earlier one, in percentage points, with the Newcombe
    (hybrid Wilson score) 95 % interval, and the p-value of the test named in ``test``."""

    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    test: str  # "chi_square" (2×2, no continuity correction) or "fisher"


def change(earlier: tuple[int, int], later: tuple[int, int], confidence: float = 0.95) -> Change:
    """The change from ``earlier`` = (count, n) to ``later`` = (count, n); both n > 0."""
    (x1, n1), (x2, n2) = later, earlier
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, confidence)
    l2, u2 = wilson_interval(x2, n2, confidence)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float)
    if table.sum(axis=0).min() == 0:  # nobody, or everybody, in both rounds: no difference
        p_value, test = 1.0, "chi_square"
    else:
        expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
        if expected.min() < 5:
            p_value, test = float(stats.fisher_exact(table.astype(int))[1]), "fisher"
        else:
            chi2 = stats.chi2_contingency(table, correction=False)
            p_value, test = float(chi2.pvalue), "chi_square"
    return Change(100 * difference, 100 * low, 100 * high, min(1.0, p_value), test)


def compare(waves: Sequence[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Questions asked in more than one round, from the rounds' report JSON (oldest first):
    for each option, its share in every round and the change from the round before the
    last to the last. Suppressed cells are neither shown nor compared. The p-values of
    all changes are adjusted together (Holm)."""
    labels = [label for label, _report in waves]
    by_round = [{q["key"]: q for q in report.get("questions", [])} for _label, report in waves]
    keys = [q["key"] for q in waves[-1][1].get("questions", [])] if waves else []
    result: list[dict[str, Any]] = []
    tests: list[tuple[dict[str, Any], float]] = []
    for key in keys:
        asked = [
            (label, rounds[key])
            for label, rounds in zip(labels, by_round, strict=True)
            if key in rounds
        ]
        latest = asked[-1][1] if asked else None
        if len(asked) < 2 or not latest or not latest.get("options"):
            continue
        entry: dict[str, Any] = {
            "key": key,
            "text": latest.get("text", key),
            "type": latest["type"],
            "waves": [label for label, _q in asked],
            "options": [],
        }
        for option in latest["options"]:
            points = []
            for label, question in asked:
                found = next(
                    (o for o in question.get("options") or [] if o["key"] == option["key"]), None
                )
                n = question.get("n") or 0
                if found is None or found.get("suppressed") or found.get("count") is None or not n:
                    points.append(
                        {
                            "wave": label,
                            "n": n,
                            "count": None,
                            "percent": None,
                            "ci_low": None,
                            "ci_high": None,
                            "suppressed": found is not None,
                        }
                    )
                else:
                    points.append(
                        {
                            "wave": label,
                            "n": n,
                            "count": found["count"],
                            "percent": found["percent"],
                            "ci_low": found["ci_low"],
                            "ci_high": found["ci_high"],
                            "suppressed": False,
                        }
                    )
            row: dict[str, Any] = {
                "key": option["key"],
                "label": option.get("label", option["key"]),
                "points": points,
                "change": None,
            }
            before, last = points[-2], points[-1]
            if before["count"] is not None and last["count"] is not None:
                found = change((before["count"], before["n"]), (last["count"], last["n"]))
                row["change"] = {
                    "from": before["wave"],
                    "to": last["wave"],
                    "difference": round(found.difference, 2),
                    "ci_low": round(found.ci_low, 2),
                    "ci_high": round(found.ci_high, 2),
                    "test": found.test,
                    "p_value": found.p_value,
                    "p_adjusted": None,
                }
                tests.append((row["change"], found.p_value))
            entry["options"].append(row)
        result.append(entry)
    if tests:
        adjusted = adjust.holm([p for _c, p in tests])
        for (entry_change, _p), value in zip(tests, adjusted, strict=True):
            entry_change["p_adjusted"] = float(value)
    return result
