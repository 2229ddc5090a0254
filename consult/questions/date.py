"""Date: a calendar day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields.core import UnboundField
from wtforms.widgets import DateInput

from consult.questions.base import (
    ISO_DATE,
    NAN,
    AnswerError,
    Localise,
    Phrase,
    QuestionSpec,
    QuestionType,
    Setting,
    field_name,
)

EPOCH = date(1970, 1, 1)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class Date(QuestionType):
    key = "date"
    label = _l("Date")
    settings_spec = {"min": Setting("date"), "max": Setting("date")}

    def check_consistency(self, spec: QuestionSpec) -> list[tuple[str, Any]]:
        low, high = spec.settings.get("min"), spec.settings.get("max")
        if low is not None and high is not None and _as_date(low) >= _as_date(high):
            return [("settings.max", _l("must be later than min"))]
        return []

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value in (None, ""):
            return None, None
        if not isinstance(value, str | date) or (
            isinstance(value, str) and not ISO_DATE.match(value)
        ):
            raise AnswerError(_l("Enter a date such as 2026-03-31."))
        try:
            day = _as_date(value)
        except ValueError:
            raise AnswerError(_l("Enter a date such as 2026-03-31.")) from None
        low, high = question.settings.get("min"), question.settings.get("max")
        if low is not None and day < _as_date(low):
            raise AnswerError(
                _l("Enter a date on or after %(day)s.", day=format_date(_as_date(low)))
            )
        if high is not None and day > _as_date(high):
            raise AnswerError(
                _l("Enter a date on or before %(day)s.", day=format_date(_as_date(high)))
            )
        return day.isoformat(), None

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        return {field_name(question): StringField(widget=DateInput())}

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        return [] if value is None else [format_date(_as_date(value), "long")]

    def encode(self, question: Any, value: Any) -> list[float]:
        """Days since 1970-01-01."""
        return [NAN if value is None else float((_as_date(value) - EPOCH).days)]

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        settings = question.settings
        high = _as_date(settings["max"]) if settings.get("max") else date(2026, 10, 31)
        low = _as_date(settings["min"]) if settings.get("min") else high - timedelta(days=1500)
        span = (high - low).days
        offset = int(max(0, min(span, rng.gauss(span * (0.5 + lean * 0.3), span / 4))))
        return (low + timedelta(days=offset)).isoformat(), None
