"""The report of a later round compares with the earlier rounds as they are now: the cache
notices a response added to an earlier round."""

from __future__ import annotations

from factories import answer, make_organisation, make_survey

from consult.extensions import db
from consult.services import report_cache, waves


def _plan_share(data, wave):
    question = next(q for q in data["waves"]["questions"] if q["key"] == "plan")
    yes = next(o for o in question["options"] if o["key"] == "yes")
    return next(p for p in yes["points"] if p["wave"] == wave)


def test_a_response_added_to_an_earlier_round_is_not_in_the_comparison(app) -> None:
    report_cache.clear()
    first, second = make_survey(key="prep-2025"), make_survey(key="prep-2027")
    waves.join_series(first, second)
    first.wave_label, second.wave_label = "2025", "2027"
    db.session.commit()
    late = [make_organisation(f"C{i} ry") for i in range(10)]  # in the register already
    for i in range(10):
        answer(first, make_organisation(f"A{i} ry"), {"size": "small", "plan": "no"})
        answer(second, make_organisation(f"B{i} ry"), {"size": "small", "plan": "yes"})
    before = report_cache.report_data(second, locale="en")
    assert _plan_share(before, "2025")["n"] == 10
    # a late answer to the 2025 round (e.g. `consult responses import` of the old tool's CSV)
    for organisation in late:
        answer(first, organisation, {"size": "small", "plan": "yes"})
    assert report_cache.report_data(first, locale="en")["n_responses"] == 20
    after = report_cache.report_data(second, locale="en")
    assert _plan_share(after, "2025")["n"] == 20
