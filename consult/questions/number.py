"""Number: an integer or a decimal, optionally bounded, with a unit."""

from __future__ import annotations

import math
import random
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from consult.questions.base import (
    NAN,
    AnswerError,
    Phrase,
    QuestionSpec,
    QuestionType,
    Setting,
    field_name,
)

#: The largest power of ten an answer may reach: bigger numbers are surely typing mistakes,
#: and converting huge ones would take the server's time.
MAX_MAGNITUDE = 14


def parse_number(value: Any) -> Decimal:
    """A number typed in Finnish, Swedish or English style: ``1 234,5`` or ``1234.5``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise AnswerError(_l("Enter a number."))
    if isinstance(value, str):
        if len(value) > 100:
            raise AnswerError(_l("Enter a number of at most 15 digits."))
        text = "".join(value.split()).replace("\u00a0", "").replace("\u202f", "")
        text = text.replace("\u2009", "").replace(",", ".")
        text = text.replace("\u2212", "-")
    elif isinstance(value, float) and not math.isfinite(value):
        raise AnswerError(_l("Enter a number."))
    elif abs(value) >= 10 ** (MAX_MAGNITUDE + 1):
        raise AnswerError(_l("Enter a number of at most 15 digits."))
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise AnswerError(_l("Enter a number.")) from None
    if not number.is_finite():
        raise AnswerError(_l("Enter a number."))
    if number and (number.adjusted() > MAX_MAGNITUDE or len(number.as_tuple().digits) > 30):
        raise AnswerError(_l("Enter a number of at most 15 digits."))
    return number


class Number(QuestionType):
    key = "number"
    analysis_kind = "number"
    label = _l("Number")
    settings_spec = {
        "decimals": Setting("int", minimum=0, maximum=4),
        "min": Setting("number"),
        "max": Setting("number"),
        "unit": Setting("text"),
    }

    def check_consistency(self, spec: QuestionSpec) -> list[tuple[str, Any]]:
        low, high = spec.settings.get("min"), spec.settings.get("max")
        if low is not None and high is not None and low >= high:
            return [("settings.max", _l("must be greater than min"))]
        return []

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, None
        number = parse_number(value)
        decimals = int(question.settings.get("decimals", 0))
        if -number.as_tuple().exponent > decimals and number != number.quantize(
            Decimal(1).scaleb(-decimals)
        ):
            if decimals == 0:
                raise AnswerError(_l("Enter a whole number."))
            raise AnswerError(_l("Use at most %(count)d decimals.", count=decimals))
        low, high = question.settings.get("min"), question.settings.get("max")
        if low is not None and number < Decimal(str(low)):
            raise AnswerError(_l("Enter a number of at least %(minimum)s.", minimum=low))
        if high is not None and number > Decimal(str(high)):
            raise AnswerError(_l("Enter a number of at most %(maximum)s.", maximum=high))
        if decimals == 0:
            return int(number), None
        return float(round(number, decimals)), None

    def describe(self, question: Any, value: Any, text: str | None, localise: Any) -> list[str]:
        if value is None:
            return []
        unit = question.settings.get("unit")
        shown = format_decimal(value)
        return [f"{shown} {localise(unit)}" if unit else shown]

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        return {field_name(question): None if value is None else str(value)}

    def encode(self, question: Any, value: Any) -> list[float]:
        return [NAN if value is None else float(value)]

    def check_operand(self, spec: QuestionSpec, operator: str, operand: Any) -> str | None:
        values = operand if operator == "any_of" else [operand]
        if operator == "any_of" and not isinstance(operand, list):
            return str(_l("must be a list of numbers"))
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in values
        ):
            return str(_l("must be a number"))
        return None

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        settings = question.settings
        low = settings.get("min", 0)
        high = settings.get("max")
        typical = (high - low) / 20 if high is not None else 25
        value = low + math.exp(math.log(max(typical, 1)) + lean * 0.6 + rng.gauss(0, 0.7))
        if high is not None:
            value = min(value, high)
        decimals = int(settings.get("decimals", 0))
        return (round(value) if decimals == 0 else round(value, decimals)), None
