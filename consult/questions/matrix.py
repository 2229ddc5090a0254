"""Matrix: several statements rated on one scale."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.questions.base import AnswerError, Phrase, QuestionType
from consult.questions.scale import (
    SCALE_SETTINGS,
    encode_point,
    normalise_point,
    sample_point,
)


class Matrix(QuestionType):
    key = "matrix"
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
            s.key: normalise_point(question.settings, value[s.key])
            for s in question.statements
            if value.get(s.key) not in (None, "")
        }
        return points or None, None

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
