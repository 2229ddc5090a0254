"""Numbers and recurring phrases of a report, in the report's language.

Call these inside ``flask_babel.force_locale(report["language"])``: numbers take that
locale's decimal sign and digit grouping, phrases its translation.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _


def count(value: float) -> str:
    """A whole number with the locale's digit grouping: 1 234 (fi), 1,234 (en)."""
    return format_decimal(round(value), format="#,##0")


def decimal(value: float, digits: int = 1) -> str:
    return format_decimal(value, format="#,##0." + "0" * digits)


def percent_number(value: float) -> str:
    """A percentage rounded to a whole number, without the sign: for tables and charts."""
    return format_decimal(round(value), format="0")


def percent(value: float) -> str:
    """A percentage as a reader sees it in running text: "43 %"."""
    return _("%(number)s %%", number=percent_number(value))


def interval(low: float, high: float) -> str:
    """A 95 % interval of a percentage: "35–52 %"."""
    return _("%(low)s–%(high)s %%", low=percent_number(low), high=percent_number(high))


def hidden() -> str:
    """What a table says in place of a number that protects a small group."""
    return _("hidden")


def source(report: dict[str, Any], n: int | None) -> str:
    """The source line under every chart."""
    if n is None:
        return _("Source: consult, %(survey)s", survey=report["survey"]["title"])
    return _("Source: consult, %(survey)s, n = %(n)s", survey=report["survey"]["title"], n=count(n))


def p_value(p: float) -> str:
    """An adjusted p-value as written after "p": "= 0.012" or "< 0.001"."""
    if p < 0.001:
        return "< " + format_decimal(0.001, format="0.###")
    return "= " + format_decimal(round(p, 3), format="0.###")


def test_name(test: str | None) -> str:
    names = {
        "chi_square": _("Chi-square test"),
        "fisher_exact": _("Fisher's exact test"),
        "fisher_monte_carlo": _("Fisher's exact test (Monte Carlo)"),
        "kruskal_wallis": _("Kruskal–Wallis test"),
        "mann_whitney": _("Mann–Whitney test"),
    }
    return names.get(test or "", "")


def effect_name(name: str | None) -> str:
    names = {
        "cramers_v": _("Cramér's V"),
        "rank_biserial": _("rank-biserial correlation"),
        "epsilon_squared": _("epsilon squared"),
    }
    return names.get(name or "", "")


def test_summary(crosstab: dict[str, Any]) -> str:
    """One line on a cross-tabulation's test: "Chi-square test, adjusted p = 0.012 …"."""
    if crosstab.get("test") is None:
        return _("Too few answers for a test of difference between the groups.")
    return _(
        "%(test)s: adjusted p %(p)s, %(effect)s %(size)s.",
        test=test_name(crosstab["test"]),
        p=p_value(crosstab["p_adjusted"]),
        effect=effect_name(crosstab["effect_name"]),
        size=format_decimal(round(crosstab["effect_size"], 2), format="0.00"),
    )


def point_label(point: int | str, scale: dict[str, Any] | None) -> str:
    """A scale point with its end label where it has one: "1 – Very poorly"."""
    if scale:
        if point == scale.get("low") and scale.get("low_label"):
            return f"{point} – {scale['low_label']}"
        if point == scale.get("high") and scale.get("high_label"):
            return f"{point} – {scale['high_label']}"
    return str(point)
