"""p-values in Finnish and Swedish reports are written with the decimal comma, as every other
number of the report."""

from __future__ import annotations

import re

from factories import answer, make_organisation, make_survey
from test_report_page import rounds  # noqa: F401  (the two rounds of a series)

from consult.reporting.html import render_html
from consult.services import reports


def test_finding_sentence_with_a_small_p_uses_the_decimal_comma(app) -> None:
    survey = make_survey(key="findings")
    for i in range(100):
        size = "volunteers" if i < 50 else "staff_6_plus"
        plan = "yes" if (i < 50 and i % 5 == 0) or (i >= 50 and i % 5 != 0) else "no"
        answer(survey, make_organisation(f"Org {i} ry", size=size), {"size": "small", "plan": plan})
    for locale in ("fi", "sv"):
        data = reports.build(survey, locale=locale, by="size", k=5)
        sentence = data["findings"][0]["sentence"]
        assert data["findings"][0]["p_adjusted"] < 0.001
        html = render_html(data)
        # the cross-tabulation's note and the finding sentence alike
        assert "p &lt; 0,001" in html
        assert "0.001" not in sentence, f"{locale}: {sentence}"


def test_rounds_table_p_value_uses_the_decimal_comma(rounds) -> None:  # noqa: F811
    _first, second = rounds
    html = render_html(reports.build(second, locale="fi"))
    rounds = html.split('id="rounds-heading"')[1]
    cells = re.findall(r"<td>(\d+[.,]\d{3})</td>", rounds)
    assert cells, rounds[:2000]
    assert not [c for c in cells if "." in c], f"Finnish report shows adjusted p {cells}"
