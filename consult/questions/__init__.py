"""Question types, registered by key: one class per type, one module per type."""

from __future__ import annotations

from consult.questions.base import AnswerError, QuestionSpec, QuestionType
from consult.questions.date import Date
from consult.questions.matrix import Matrix
from consult.questions.multiple_choice import MultipleChoice
from consult.questions.note import Note
from consult.questions.number import Number
from consult.questions.ranking import Ranking
from consult.questions.scale import Scale
from consult.questions.single_choice import SingleChoice
from consult.questions.text import LongText, ShortText
from consult.questions.yes_no import YesNo

REGISTRY: dict[str, QuestionType] = {}


def register(question_type: type[QuestionType]) -> type[QuestionType]:
    """Add a question type to the registry under its ``key``."""
    REGISTRY[question_type.key] = question_type()
    return question_type


for _type in (
    SingleChoice,
    MultipleChoice,
    Scale,
    Matrix,
    Number,
    ShortText,
    LongText,
    YesNo,
    Date,
    Ranking,
    Note,
):
    register(_type)


def get_type(key: str) -> QuestionType:
    """The question type registered under ``key``; KeyError when there is none."""
    return REGISTRY[key]


__all__ = ["REGISTRY", "AnswerError", "QuestionSpec", "QuestionType", "get_type", "register"]
