"""Reports: a survey's submitted answers through the analysis, with texts in the report's
language (which need not be any language the answers came in)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.analysis.report import Grouping, Item, findings, report
from consult.domain import ACTION_THEMES, SIZES, THEME_GROUPS
from consult.i18n import localized
from consult.models import Organisation, Question, Response, Survey
from consult.models.base import utcnow
from consult.questions import get_type
from consult.questions.scale import scale_range
from consult.services.columns import fetch_plain, load_columns

#: Organisation attributes a report can be cut by, and the profile question asking the same.
PROFILE_QUESTIONS = {
    "theme_group": "org_theme_group",
    "size": "org_size",
    "city_funded": "org_city_funding",
}
ATTRIBUTES = tuple(PROFILE_QUESTIONS)
#: What each attribute is called in a report ("results by …").
ATTRIBUTE_LABELS = {
    "theme_group": _l("Theme group"),
    "size": _l("Size of the organisation"),
    "city_funded": _l("Funding from the city"),
}


class ReportError(ValueError):
    """The report cannot be made as asked; the message says why."""


def item_for(question: Question, locale: str, fallback: str) -> Item | None:
    kind = get_type(question.type).analysis_kind
    if kind is None:
        return None

    def text(texts: dict[str, str]) -> str:
        return localized(texts, locale, fallback)[0]

    options = question.options
    keys, codes, labels = (
        [o.key for o in options],
        [o.code for o in options],
        [text(o.text) for o in options],
    )
    if question.type == "yes_no":
        with force_locale(locale):
            keys, codes, labels = ["yes", "no"], [1, 0], [_("Yes"), _("No")]
    low, high = scale_range(question.settings)
    return Item(
        key=question.key,
        type=question.type,
        kind=kind,
        text=text(question.text),
        option_keys=keys,
        option_codes=codes,
        option_labels=labels,
        statement_keys=[s.key for s in question.statements],
        statement_labels=[text(s.text) for s in question.statements],
        low=low,
        high=high,
    )


def _attribute_grouping(name: str, survey: Survey, columns: Any, locale: str) -> Grouping:
    """Each response row's organisation attribute as a group code, with one joined query."""
    rows = fetch_plain(
        sa.select(Response.id, getattr(Organisation, name))
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(Response.survey_id == survey.id, Response.status == "submitted")
        .order_by(Response.id)
    )
    with force_locale(locale):
        if name == "city_funded":
            keys, labels = ["yes", "no"], [_("Funded by the city"), _("Not funded by the city")]
            lookup: dict[Any, int] = {True: 0, False: 1}
        else:
            vocabulary = THEME_GROUPS if name == "theme_group" else SIZES
            keys, labels = list(vocabulary), [str(v) for v in vocabulary.values()]
            lookup = {key: i for i, key in enumerate(keys)}
    ids = columns.response_ids
    if len(rows) == len(ids) and all(
        row[0] == i for row, i in zip(rows, ids.tolist(), strict=True)
    ):
        values = [row[1] for row in rows]  # the same responses in the same order
    else:  # a response was submitted between the two queries
        value_of = dict(rows)
        values = [value_of.get(i) for i in ids.tolist()]
    codes = np.array([lookup.get(v, np.nan) for v in values], dtype=float)
    return Grouping(
        name, codes, list(range(len(keys))), keys, labels, same_as=PROFILE_QUESTIONS[name]
    )


def grouping_for(by: str, survey: Survey, columns: Any, locale: str) -> Grouping:
    """A grouping by an organisation attribute or by a single-choice question's key."""
    if by in ATTRIBUTES:
        return _attribute_grouping(by, survey, columns, locale)
    question = next((q for q in survey.questions if q.key == by), None)
    if question is None or get_type(question.type).analysis_kind != "choice":
        choices = ", ".join(
            [
                *ATTRIBUTES,
                *(q.key for q in survey.questions if get_type(q.type).analysis_kind == "choice"),
            ]
        )
        raise ReportError(_("A report can be cut by %(choices)s.", choices=choices))
    item = item_for(question, locale, survey.default_locale)
    return Grouping(
        by,
        columns.column(by),
        list(item.option_codes),
        list(item.option_keys),
        list(item.option_labels),
    )


def build(
    survey: Survey,
    *,
    locale: str,
    by: str | None = None,
    k: int | None = None,
    rounds: bool = True,
) -> dict[str, Any]:
    """The survey's report as JSON-ready data (docs/report-json.md); with ``rounds``, the
    comparison with the survey's earlier rounds too (``waves``, when it has any)."""
    k = int(k if k is not None else current_app.config["REPORT_MIN_GROUP"])
    if k < 3:
        raise ReportError(_("The smallest group shown (k) must be at least 3."))
    columns = load_columns(survey)
    questions = [
        (q, item)
        for q in survey.ordered_questions()
        if (item := item_for(q, locale, survey.default_locale))
    ]
    grouping = grouping_for(by, survey, columns, locale) if by else None
    result = report([item for _q, item in questions], columns, grouping=grouping, k=k)
    for (question, item), entry in zip(questions, result["questions"], strict=True):
        _describe(entry, question, item, locale, survey.default_locale)
    result["findings"] = [dict(f, sentence=sentence(f, locale)) for f in findings(result)]
    used_themes = {q.theme for q, _item in questions}
    with force_locale(locale):
        themes = [
            {"key": key, "label": str(label)}
            for key, label in ACTION_THEMES.items()
            if key in used_themes
        ]
        by_label = _by_label(by, questions) if by else None
        theme_label = str(ACTION_THEMES[survey.theme]) if survey.theme in ACTION_THEMES else None
    return {
        "format": "consult-report/1",
        "survey": {
            "key": survey.key,
            "title": localized(survey.title, locale, survey.default_locale)[0],
            "theme": survey.theme,
            "theme_label": theme_label,
            "state": survey.state,
        },
        "language": locale,
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "themes": themes,
        **result,
        "by_label": by_label,
        "open_answers": _open_answers(survey, locale, k),
        "waves": _waves(survey, locale, k) if rounds else None,
    }


def _open_answers(survey: Survey, locale: str, k: int) -> list[dict[str, Any]]:
    """Coded open questions: code shares like a multiple-choice question, and the quotes
    chosen for the report (texts only, and none when the answers are too few to show)."""
    from consult.services import coding

    result = []
    for question in coding.open_questions(survey):
        if not coding.codes(question):
            continue
        entry = coding.frequencies(question, locale, k)
        entry["quotes"] = coding.quotes(question) if entry["n"] is not None else []
        result.append(entry)
    return result


def _waves(survey: Survey, locale: str, k: int) -> dict[str, Any] | None:
    from consult.services import waves

    if len(waves.rounds(survey)) < 2:
        return None
    compared = waves.compare(survey, locale=locale, k=k)
    return compared if len(compared["waves"]) > 1 else None


def _describe(
    entry: dict[str, Any], question: Question, item: Item, locale: str, fallback: str
) -> None:
    """What the analysis does not know of a question: its action-plan theme, a scale's ends."""
    entry["theme"] = question.theme
    if item.kind in ("scale", "matrix"):
        settings = question.settings or {}

        def end(name: str) -> str | None:
            texts = settings.get(name)
            return localized(texts, locale, fallback)[0] or None if texts else None

        entry["scale"] = {
            "low": item.low,
            "high": item.high,
            "low_label": end("min_label"),
            "high_label": end("max_label"),
            "dont_know": bool(settings.get("dont_know")),
        }


def _by_label(by: str, questions: list[tuple[Question, Item]]) -> str:
    if by in ATTRIBUTE_LABELS:
        return str(ATTRIBUTE_LABELS[by])
    return next((item.text for _q, item in questions if item.key == by), by)


def sentence(finding: dict[str, Any], locale: str) -> str:
    """A finding as one sentence for the council, in the report's language."""
    with force_locale(locale):
        return _(
            "%(question)s – “%(option)s”: %(high_group)s %(high)s %% vs %(low_group)s "
            "%(low)s %% (adjusted p %(p)s).",
            question=finding["question_text"],
            option=finding["option_label"],
            high_group=finding["high"]["group"],
            high=format_decimal(round(finding["high"]["percent"])),
            low_group=finding["low"]["group"],
            low=format_decimal(round(finding["low"]["percent"])),
            p=_p_value(finding["p_adjusted"]),
        )


def _p_value(p: float) -> str:
    if p < 0.001:
        return "< " + format_decimal(0.001, format="0.###")
    return "= " + format_decimal(round(p, 3), format="0.###")


def published(data: dict[str, Any]) -> dict[str, Any]:
    """The report as it may leave consult: the n of a question (or statement, or round) with
    fewer than k respondents is not given either (a follow-up question's n of 2 would give
    back the 2 who answered "yes" before it)."""
    k = data.get("k", 0)

    def entry(item: dict[str, Any]) -> dict[str, Any]:
        item = dict(item)
        if item.get("suppressed") and item.get("n") is not None:
            item["n"] = None
        if "statements" in item:
            item["statements"] = [entry(s) for s in item["statements"]]
        return item

    def point(item: dict[str, Any]) -> dict[str, Any]:
        small = item.get("n") is not None and 0 < item["n"] < k
        return {**item, "n": None} if small else item

    out = dict(data)
    out["questions"] = [entry(q) for q in data.get("questions", [])]
    if data.get("waves"):
        waves = dict(data["waves"])
        waves["questions"] = [
            {
                **q,
                "options": [
                    {**o, "points": [point(p) for p in o.get("points", [])]}
                    for o in q.get("options", [])
                ],
            }
            for q in waves.get("questions", [])
        ]
        out["waves"] = waves
    return out


def to_json(data: dict[str, Any]) -> str:
    data = published(data)

    def plain(value: Any) -> Any:
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
        raise TypeError(type(value))

    return json.dumps(data, ensure_ascii=False, indent=2, default=plain, allow_nan=False) + "\n"
