"""Matrix: several statements rated on one scale."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

from consult.questions.base import AnswerError, Localise, Phrase, QuestionType, field_name
from consult.questions.scale import (
    SCALE_SETTINGS,
    describe_point,
    encode_point,
    normalise_point,
    point_data,
    point_field,
    sample_point,
)


class Matrix(QuestionType):
    key = "matrix"
    analysis_kind = "matrix"
    label = _l("Matrix of statements")
    uses_statements = True
    settings_spec = SCALE_SETTINGS

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if not value:
            return None, None
        if not isinstance(value, dict):
            raise AnswerError(_l("Choose a point on the scale for each statement."))
        keys = {s.key for s in question.statements}
        if set(value) - keys:
            raise AnswerError(_l("Choose a point on the scale for each statement."))
        points = {
            s.key: normalise_point(question.settings, value[s.key])  # raises AnswerError
            for s in question.statements
            if value.get(s.key) not in (None, "")
        }
        return points or None, None

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        return {
            field_name(question, s.key): point_field(question.settings) for s in question.statements
        }

    def form_value(self, question: Any, data: Any) -> tuple[Any, str | None]:
        points = {s.key: data.get(field_name(question, s.key)) for s in question.statements}
        return {k: v for k, v in points.items() if v not in (None, "")} or None, None

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        value = value or {}
        return {
            field_name(question, s.key): point_data(value.get(s.key)) for s in question.statements
        }

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        value = value or {}
        return [
            f"{localise(s.text)}: {describe_point(question.settings, value[s.key])}"
            for s in question.statements
            if s.key in value
        ]

    def is_complete(self, question: Any, value: Any, text: str | None) -> bool:
        return bool(value) and all(s.key in value for s in question.statements)

    def columns(self, question: Any) -> list[str | None]:
        return [s.key for s in question.statements]

    def encode(self, question: Any, value: Any) -> list[float]:
        value = value or {}
        return [encode_point(value.get(s.key)) for s in question.statements]

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        return {
            s.key: sample_point(question.settings, rng, lean + rng.uniform(-0.3, 0.3))
            for s in question.statements
        }, None
