"""Survey content in words, for reading a survey: conditions and settings as sentences."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.i18n import localized
from consult.models import Question, Survey


def condition_sentence(condition: dict[str, Any], survey: Survey, locale: str) -> str:
    """A condition in the interface language, quoting questions and options in ``locale``."""
    questions = {q.key: q for q in survey.questions}

    def text_of(texts: dict[str, str]) -> str:
        return localized(texts, locale, survey.default_locale)[0]

    def value_of(question: Question, value: Any) -> str:
        if question.type == "yes_no":
            return _("Yes") if value == "yes" else _("No")
        for option in question.options:
            if option.key == value:
                return f"“{text_of(option.text)}”"
        return str(value)

    def sentence(part: dict[str, Any]) -> str:
        if "all" in part:
            return _(" and ").join(sentence(p) for p in part["all"])
        if "any" in part:
            return "(" + _(" or ").join(sentence(p) for p in part["any"]) + ")"
        question = questions[part["question"]]
        asked = f"“{text_of(question.text)}”"
        if "answered" in part:
            if part["answered"]:
                return _("%(question)s is answered", question=asked)
            return _("%(question)s is not answered", question=asked)
        if "equals" in part:
            return _(
                "the answer to %(question)s is %(value)s",
                question=asked,
                value=value_of(question, part["equals"]),
            )
        if "not_equals" in part:
            return _(
                "the answer to %(question)s is not %(value)s",
                question=asked,
                value=value_of(question, part["not_equals"]),
            )
        values = _(" or ").join(value_of(question, v) for v in part["any_of"])
        return _("the answer to %(question)s is %(value)s", question=asked, value=values)

    return _("Shown only when %(condition)s.", condition=sentence(condition))
