"""Note: text shown to the respondent; nothing to answer."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult.questions.base import AnswerError, QuestionType


class Note(QuestionType):
    key = "note"
    analysis_kind = None
    label = _l("Note (no answer)")
    answerable = False

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value not in (None, "") or text:
            raise AnswerError(_l("This item takes no answer."))
        return None, None

    def fields(self, question: Any, localise: Any) -> dict[str, Any]:
        return {}

    def form_value(self, question: Any, data: Any) -> tuple[Any, str | None]:
        return None, None

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        return {}

    def describe(self, question: Any, value: Any, text: str | None, localise: Any) -> list[str]:
        return []

    def columns(self, question: Any) -> list[str | None]:
        return []

    def encode(self, question: Any, value: Any) -> list[float]:
        return []
