"""Single choice: one option, optionally with "other, please specify"."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
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
    weighted_index,
)

SPECIFY_MAX_LENGTH = 500


def clean_specify(text: str | None) -> str | None:
    """The "please specify" text, stripped; too long is an error."""
    if text is not None and not isinstance(text, str):
        raise AnswerError(_l("Write text here."))
    text = (text or "").strip()
    if len(text) > SPECIFY_MAX_LENGTH:
        raise AnswerError(_l("Write at most %(count)d characters.", count=SPECIFY_MAX_LENGTH))
    return text or None


def choice_fields(question: Any, localise: Localise, kind: Any) -> dict[str, UnboundField]:
    """A choice field over the options, and a text field when an option asks to specify."""
    choices = [SelectChoice(o.key, localise(o.text)) for o in question.options]
    fields = {field_name(question): kind(choices=choices, validate_choice=False)}
    if any(o.specify for o in question.options):
        fields[field_name(question, "specify")] = StringField()
    return fields


def describe_options(chosen: list[Any], text: str | None, localise: Localise) -> list[str]:
    """Chosen options' texts, the "please specify" text after the option that asked for it."""
    return [
        f"{localise(o.text)}: {text}" if o.specify and text else localise(o.text) for o in chosen
    ]


class SingleChoice(QuestionType):
    key = "single_choice"
    analysis_kind = "choice"
    label = _l("Single choice")
    uses_options = True

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value in (None, ""):
            return None, None
        options = {o.key: o for o in question.options}
        if not isinstance(value, str) or value not in options:
            raise AnswerError(_l("Choose one of the options."))
        return value, clean_specify(text) if options[value].specify else None

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        return choice_fields(question, localise, RadioField)

    def form_value(self, question: Any, data: Any) -> tuple[Any, str | None]:
        return data.get(field_name(question)) or None, data.get(field_name(question, "specify"))

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        return {field_name(question): value, field_name(question, "specify"): text}

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        chosen = [o for o in question.options if o.key == value]
        return describe_options(chosen, text, localise)

    def encode(self, question: Any, value: Any) -> list[float]:
        if value is None:
            return [NAN]
        return [float(next(o.code for o in question.options if o.key == value))]

    def check_operand(self, spec: QuestionSpec, operator: str, operand: Any) -> str | None:
        wanted = operand if operator == "any_of" else [operand]
        if operator == "any_of" and not isinstance(operand, list):
            return str(_l("must be a list of option keys"))
        unknown = [str(k) for k in wanted if k not in spec.option_keys]
        if unknown:
            return str(
                _l(
                    "%(keys)s is not an option of question '%(question)s'",
                    keys=", ".join(repr(k) for k in unknown),
                    question=spec.key,
                )
            )
        return None

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        options = question.options
        option = options[weighted_index(rng, len(options), lean)]
        return option.key, phrase() if option.specify else None
