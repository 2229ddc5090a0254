"""Yes or no."""

from __future__ import annotations

import math
import random
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

from consult.questions.base import (
    NAN,
    AnswerError,
    Localise,
    Phrase,
    QuestionSpec,
    QuestionType,
    field_name,
)

ANSWERS = ("yes", "no")


class YesNo(QuestionType):
    key = "yes_no"
    analysis_kind = "choice"
    label = _l("Yes or no")

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value in (None, ""):
            return None, None
        if value not in ANSWERS:
            raise AnswerError(_l("Answer yes or no."))
        return value, None

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        choices = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
        return {field_name(question): RadioField(choices=choices, validate_choice=False)}

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        if value is None:
            return []
        return [str(_l("Yes")) if value == "yes" else str(_l("No"))]

    def encode(self, question: Any, value: Any) -> list[float]:
        return [NAN if value is None else float(value == "yes")]

    def check_operand(self, spec: QuestionSpec, operator: str, operand: Any) -> str | None:
        values = operand if isinstance(operand, list) and operator == "any_of" else [operand]
        if operator == "any_of" and not isinstance(operand, list):
            return str(_l('must be a list of "yes" and "no"'))
        if any(v not in ANSWERS for v in values):
            return str(_l('must be "yes" or "no" (in quotes)'))
        return None

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        return ("yes" if rng.random() < 1 / (1 + math.exp(-1.8 * lean)) else "no"), None
