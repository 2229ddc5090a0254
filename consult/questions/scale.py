"""Rating scale: one point on a numbered scale with labelled ends, optionally "don't know"."""

from __future__ import annotations

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
    Setting,
    field_name,
)

#: The stored value of "don't know", and its code in the analysis columns.
DONT_KNOW = "dont_know"
DONT_KNOW_CODE = -1.0

SCALE_SETTINGS = {
    "min": Setting("int", minimum=0, maximum=1),
    "max": Setting("int", minimum=3, maximum=11),
    "min_label": Setting("text"),
    "max_label": Setting("text"),
    "dont_know": Setting("bool"),
}


def scale_range(settings: Any) -> tuple[int, int]:
    """The lowest and highest point of a scale."""
    low, high = settings.get("min", 1), settings.get("max", 5)
    return (int(low) if isinstance(low, int) else 1), (int(high) if isinstance(high, int) else 5)


def normalise_point(settings: Any, value: Any) -> Any:
    """A scale point as stored, or :data:`DONT_KNOW`. Raises :class:`AnswerError`."""
    if value == DONT_KNOW and settings.get("dont_know"):
        return DONT_KNOW
    low, high = scale_range(settings)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise AnswerError(_l("Choose a point on the scale."))
    try:
        point = int(value)
    except (TypeError, ValueError, OverflowError):
        raise AnswerError(_l("Choose a point on the scale.")) from None
    if not low <= point <= high or str(point) != str(value).strip():
        raise AnswerError(_l("Choose a point on the scale."))
    return point


def point_field(settings: Any) -> UnboundField:
    """Radio buttons for the points of a scale, "don't know" last when offered."""
    low, high = scale_range(settings)
    choices = [SelectChoice(str(point), str(point)) for point in range(low, high + 1)]
    if settings.get("dont_know"):
        choices.append(SelectChoice(DONT_KNOW, _l("Don't know")))
    return RadioField(choices=choices, validate_choice=False)


def point_data(value: Any) -> str | None:
    return None if value is None else str(value)


def describe_point(settings: Any, value: Any) -> str:
    if value == DONT_KNOW:
        return str(_l("Don't know"))
    low, high = scale_range(settings)
    return f"{value} ({low}–{high})"


def encode_point(value: Any) -> float:
    if value is None:
        return NAN
    return DONT_KNOW_CODE if value == DONT_KNOW else float(value)


def sample_point(settings: Any, rng: random.Random, lean: float) -> Any:
    if settings.get("dont_know") and rng.random() < 0.05:
        return DONT_KNOW
    low, high = scale_range(settings)
    middle = (low + high) / 2
    centre = middle + lean * (high - low) * 0.35
    return max(low, min(high, round(rng.gauss(centre, (high - low) / 4))))


class Scale(QuestionType):
    key = "scale"
    analysis_kind = "scale"
    label = _l("Rating scale")
    settings_spec = SCALE_SETTINGS

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value in (None, ""):
            return None, None
        return normalise_point(question.settings, value), None

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        return {field_name(question): point_field(question.settings)}

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        return {field_name(question): point_data(value)}

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        return [] if value is None else [describe_point(question.settings, value)]

    def encode(self, question: Any, value: Any) -> list[float]:
        return [encode_point(value)]

    def check_operand(self, spec: QuestionSpec, operator: str, operand: Any) -> str | None:
        values = operand if operator == "any_of" else [operand]
        if operator == "any_of" and not isinstance(operand, list):
            return str(_l("must be a list of scale points"))
        try:
            for item in values:
                if not (isinstance(item, int) or item == DONT_KNOW):
                    raise AnswerError(item)
                normalise_point(spec.settings, item)
        except AnswerError:
            low, high = scale_range(spec.settings)
            return str(_l("must be a point from %(low)d to %(high)d", low=low, high=high))
        return None

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        return sample_point(question.settings, rng, lean), None
