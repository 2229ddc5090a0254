"""The codebook of a response export: what each column holds and what each value means,
in the chosen language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.analysis.columns import DONT_KNOW
from consult.domain import DISTRICTS, SERVED_LANGUAGES, SIZES, THEME_GROUPS
from consult.i18n import localized
from consult.models import Question, Survey
from consult.questions.scale import DONT_KNOW as DONT_KNOW_KEY
from consult.questions.scale import scale_range
from consult.services.exports import CODEBOOK_HEADERS, Column


def codebook(survey: Survey, columns: Iterable[Column], locale: str) -> list[list[Any]]:
    """The codebook sheet: a row per column (question key, type, text, item), then a row per
    value its cells can hold (value, label, code). Texts in ``locale``."""

    def text(texts: dict[str, str] | None) -> str:
        return localized(texts, locale, survey.default_locale)[0]

    with force_locale(locale):
        rows: list[list[Any]] = [[str(header) for header in CODEBOOK_HEADERS]]
        fixed = _fixed_descriptions()
        for column in columns:
            question = column.question
            if question is None:
                about, values = fixed[column.name]
                rows.append([column.name, "", "", about, "", "", "", ""])
                rows.extend(
                    [column.name, "", "", "", "", key, str(label), ""] for key, label in values
                )
                continue
            item = column.item
            head = [column.name, question.key, question.type, text(question.text)]
            head += [text(item.text) if item is not None else ""]
            describe, values = _describe(column, question, text)
            code = item.code if item is not None and item.role == "option" else ""
            rows.append([*head, "", describe, code])
            rows.extend([column.name, "", "", "", "", *value] for value in values)
    return rows


def _fixed_descriptions() -> dict[str, tuple[str, list[tuple[str, Any]]]]:
    yes_no = [("yes", _("Yes")), ("no", _("No"))]
    return {
        "response:id": (_("the response's number in consult"), []),
        "response:status": (
            _("submitted, or draft (not yet submitted)"),
            [("submitted", _("Submitted")), ("draft", _("Draft"))],
        ),
        "response:locale": (_("the language the response was given in"), []),
        "response:submitted_at": (_("when the response was submitted (UTC)"), []),
        "response:updated_at": (_("when the response was last changed (UTC)"), []),
        "organisation:name": (_("the organisation's name"), []),
        "organisation:business_id": (_("the organisation's business ID"), []),
        "organisation:theme_group": (_("theme group"), list(THEME_GROUPS.items())),
        "organisation:size": (_("size"), list(SIZES.items())),
        "organisation:languages": (
            _("languages served, separated by ;"),
            list(SERVED_LANGUAGES.items()),
        ),
        "organisation:districts": (_("districts served, separated by ;"), list(DISTRICTS.items())),
        "organisation:city_funded": (_("whether the city funds the organisation"), yes_no),
    }


def _describe(
    column: Column, question: Question, text: Callable[[Any], str]
) -> tuple[str, list[list[Any]]]:
    """What a column's cells mean, and its values as ``[value, label, code]``."""
    kind = column.kind
    if kind == "choice":
        options = [[o.key, text(o.text), o.code] for o in question.options]
        return _("the key of the option chosen"), options
    if kind == "yes_no":
        return _("yes or no"), [["yes", _("Yes"), 1], ["no", _("No"), 0]]
    if kind == "flag":
        return _("1: chosen, 0: not chosen"), [["1", _("chosen"), ""], ["0", _("not chosen"), ""]]
    if kind == "rank":
        return _("the place given to this option (1 = first); empty when not ranked"), []
    if kind == "point":
        low, high = scale_range(question.settings)
        ends = {low: question.settings.get("min_label"), high: question.settings.get("max_label")}
        points = [[p, text(ends.get(p)), p] for p in range(low, high + 1)]
        if question.settings.get("dont_know"):
            points.append([DONT_KNOW_KEY, _("Don't know"), int(DONT_KNOW)])
        return _("a point on the scale"), points
    if kind == "number":
        unit = question.settings.get("unit")
        return (_("a number in %(unit)s", unit=text(unit)) if unit else _("a number")), []
    if kind == "date":
        return _("a date, YYYY-MM-DD"), []
    if kind == "specify":
        return _("the text written with this option"), []
    return _("the text written"), []
