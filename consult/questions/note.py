"""Note: text shown to the respondent; nothing to answer."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult.questions.base import AnswerError, QuestionType


class Note(QuestionType):
    key = "note"
    label = _l("Note (no answer)")
    answerable = False

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if value not in (None, "") or text:
            raise AnswerError(_l("This item takes no answer."))
        return None, None

    def columns(self, question: Any) -> list[str | None]:
        return []

    def encode(self, question: Any, value: Any) -> list[float]:
        return []
