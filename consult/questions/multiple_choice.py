"""Multiple choice: any number of options (or at most ``max_choices``)."""

from __future__ import annotations

import math
import random
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.core import UnboundField
from wtforms.widgets import CheckboxInput, ListWidget

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
from consult.questions.single_choice import (
    SingleChoice,
    choice_fields,
    clean_specify,
    describe_options,
)


class CheckboxesField(SelectMultipleField):
    """Several options as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MultipleChoice(QuestionType):
    key = "multiple_choice"
    analysis_kind = "multiple"
    label = _l("Multiple choice")
    uses_options = True
    settings_spec = {"max_choices": Setting("int", minimum=1)}

    def check_consistency(self, spec: QuestionSpec) -> list[tuple[str, Any]]:
        most = spec.settings.get("max_choices")
        if most is not None and most > len(spec.option_keys):
            return [("settings.max_choices", _l("is more than the number of options"))]
        return []

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value in (None, "", []):
            return None, None
        if isinstance(value, str) or not isinstance(value, list | tuple):
            value = [value]
        if not all(isinstance(item, str) for item in value):
            raise AnswerError(_l("Choose among the options shown."))
        options = question.options
        chosen = [o for o in options if o.key in set(value)]
        if len(chosen) != len(set(value)):
            raise AnswerError(_l("Choose among the options shown."))
        most = question.settings.get("max_choices")
        if most is not None and len(chosen) > most:
            raise AnswerError(_l("Choose at most %(count)d options.", count=most))
        wants_text = any(o.specify for o in chosen)
        return [o.key for o in chosen], clean_specify(text) if wants_text else None

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        return choice_fields(question, localise, CheckboxesField)

    def form_value(self, question: Any, data: Any) -> tuple[Any, str | None]:
        return data.get(field_name(question)) or None, data.get(field_name(question, "specify"))

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        return {field_name(question): value or [], field_name(question, "specify"): text}

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        chosen = [o for o in question.options if o.key in set(value or ())]
        return describe_options(chosen, text, localise)

    def columns(self, question: Any) -> list[str | None]:
        return [o.key for o in question.options]

    def encode(self, question: Any, value: Any) -> list[float]:
        if value is None:
            return [NAN] * len(question.options)
        chosen = set(value)
        return [1.0 if o.key in chosen else 0.0 for o in question.options]

    def check_operand(self, spec: QuestionSpec, operator: str, operand: Any) -> str | None:
        return SingleChoice().check_operand(spec, operator, operand)

    def matches(self, question: Any, value: Any, operator: str, operand: Any) -> bool:
        chosen = set(value or ())
        if operator == "equals":
            return operand in chosen
        if operator == "not_equals":
            return value is not None and operand not in chosen
        if operator == "any_of":
            return bool(chosen.intersection(operand))
        raise ValueError(operator)

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        options = question.options
        count = len(options)
        picked = []
        for i, option in enumerate(options):
            tilt = lean * 1.5 * (1 - 2 * i / (count - 1))
            if rng.random() < 1 / (1 + math.exp(-(tilt - 0.6))):
                picked.append(option)
        if not picked:
            picked = [rng.choice(options)]
        most = question.settings.get("max_choices")
        if most is not None and len(picked) > most:
            picked = sorted(rng.sample(picked, most), key=options.index)
        text = phrase() if any(o.specify for o in picked) else None
        return [o.key for o in picked], text
