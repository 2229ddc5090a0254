"""Short and long text: what the respondent writes in their own words."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.fields.core import UnboundField

from consult.questions.base import AnswerError, Localise, Phrase, QuestionType, Setting, field_name


class _Text(QuestionType):
    default_length = 200
    field_class: Any = StringField

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        return {field_name(question): self.field_class()}

    def form_value(self, question: Any, data: Any) -> tuple[Any, str | None]:
        return None, data.get(field_name(question))

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        return [text] if text else []

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        return {field_name(question): text}

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        text = text if text is not None else value or ""
        if not isinstance(text, str):
            raise AnswerError(_l("Write text here."))
        # A browser sends a line break as CRLF but counts it as one character against the
        # field's maxlength: stored and counted as one.
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        limit = int(question.settings.get("max_length", self.default_length))
        if len(text) > limit:
            raise AnswerError(
                _l(
                    "Write at most %(count)d characters (now %(length)d).",
                    count=limit,
                    length=len(text),
                )
            )
        return None, text or None

    def columns(self, question: Any) -> list[str | None]:
        return []

    def encode(self, question: Any, value: Any) -> list[float]:
        return []

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        limit = int(question.settings.get("max_length", self.default_length))
        return None, phrase()[:limit]


class ShortText(_Text):
    key = "short_text"
    label = _l("Short text")
    settings_spec = {"max_length": Setting("int", minimum=1, maximum=500)}


class LongText(_Text):
    key = "long_text"
    label = _l("Long text")
    default_length = 4000
    field_class = TextAreaField
    settings_spec = {"max_length": Setting("int", minimum=1, maximum=10000)}
