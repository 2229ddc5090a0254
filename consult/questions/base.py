"""The base of every question type; one subclass per type, registered by key."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields.core import UnboundField

NAN = math.nan
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Conditions that compare an answer with a given value.
VALUE_OPERATORS = ("equals", "not_equals", "any_of")


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is shown to the user."""


@dataclass(frozen=True)
class Setting:
    """One entry of a type's ``settings``: its kind and allowed range."""

    kind: str  # "int", "number", "bool", "text" (text per locale) or "date"
    minimum: float | None = None
    maximum: float | None = None


@dataclass
class QuestionSpec:
    """What validation needs to know of a question, whether it comes from a file or the database."""

    key: str
    type: str
    settings: Mapping[str, Any]
    option_keys: Sequence[str] = ()
    statement_keys: Sequence[str] = ()
    #: False when the question has problems of its own (conditions on it are not checked).
    valid: bool = True


Phrase = Callable[[], str]
#: Survey content in the respondent's locale: ``texts -> str``.
Localise = Callable[[Mapping[str, str] | None], str]


def field_name(question: Any, part: str | None = None) -> str:
    """The form field name of a question (or of one part of it: a statement, an option)."""
    return f"q_{question.key}" if part is None else f"q_{question.key}__{part}"


class QuestionType:
    """Behaviour shared by the question types. Subclasses set ``key`` and override."""

    key: ClassVar[str]
    label: ClassVar[LazyString]
    answerable: ClassVar[bool] = True
    uses_options: ClassVar[bool] = False
    uses_statements: ClassVar[bool] = False
    settings_spec: ClassVar[dict[str, Setting]] = {}
    #: How the analysis summarises answers: choice, multiple, scale, matrix, number, other;
    #: None for a question without answers.
    analysis_kind: ClassVar[str | None] = "other"

    # --- design -------------------------------------------------------------------------

    def check(self, spec: QuestionSpec) -> list[tuple[str, LazyString | str]]:
        """Problems with the question's settings and structure, as ``(path, message)``."""
        problems: list[tuple[str, LazyString | str]] = []
        if self.uses_options and len(spec.option_keys) < 2:
            problems.append(
                ("options", _l("a %(type)s question needs at least 2 options", type=self.key))
            )
        if not self.uses_options and spec.option_keys:
            problems.append(("options", _l("a %(type)s question has no options", type=self.key)))
        if self.uses_statements and len(spec.statement_keys) < 2:
            problems.append(("statements", _l("a matrix question needs at least 2 statements")))
        if not self.uses_statements and spec.statement_keys:
            problems.append(("statements", _l("only a matrix question has statements")))
        for name, value in spec.settings.items():
            rule = self.settings_spec.get(name)
            if rule is None:
                problems.append(
                    (
                        f"settings.{name}",
                        _l("unknown setting for a %(type)s question", type=self.key),
                    )
                )
                continue
            message = _check_setting(rule, value)
            if message is not None:
                problems.append((f"settings.{name}", message))
        if not problems:
            problems.extend(self.check_consistency(spec))
        return problems

    def check_consistency(self, spec: QuestionSpec) -> list[tuple[str, LazyString | str]]:
        """Problems between settings (such as min above max); settings are well-typed here."""
        return []

    def setting(self, settings: Mapping[str, Any], name: str, default: Any = None) -> Any:
        value = settings.get(name)
        return default if value is None else value

    # --- answers ------------------------------------------------------------------------

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        """The answer as stored: ``(value, text)``. Raises :class:`AnswerError`."""
        raise NotImplementedError

    def is_answered(self, value: Any, text: str | None) -> bool:
        return value not in (None, "", [], {}) or bool(text and text.strip())

    def is_complete(self, question: Any, value: Any, text: str | None) -> bool:
        """Whether the answer satisfies ``required`` (a matrix needs every statement)."""
        return self.is_answered(value, text)

    # --- the respondent's form ----------------------------------------------------------

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        """The WTForms fields that ask this question, by field name."""
        return {field_name(question): StringField()}

    def form_value(self, question: Any, data: Mapping[str, Any]) -> tuple[Any, str | None]:
        """The raw answer from the bound fields' data (before :meth:`normalise`)."""
        return data.get(field_name(question)), None

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        """Field data that shows a stored answer in the form."""
        return {field_name(question): value}

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        """The answer as lines of text, for the review page and the receipt."""
        lines = [] if value is None else [str(value)]
        return [*lines, text] if text else lines

    # --- analysis columns ---------------------------------------------------------------

    def columns(self, question: Any) -> list[str | None]:
        """Item keys of this question's analysis columns (``None`` for a single column)."""
        return [None]

    def encode(self, question: Any, value: Any) -> list[float]:
        """The answer as one number per column (NaN when unanswered)."""
        raise NotImplementedError

    # --- display conditions -------------------------------------------------------------

    def check_operand(self, spec: QuestionSpec, operator: str, operand: Any) -> str | None:
        """Why ``operand`` cannot be compared with answers to this question, or None."""
        return str(_l("a %(type)s question cannot be used in a condition", type=self.key))

    def matches(self, question: Any, value: Any, operator: str, operand: Any) -> bool:
        """Whether ``value`` satisfies ``operator`` with ``operand`` (equals/not_equals/any_of)."""
        if operator == "equals":
            return value == operand
        if operator == "not_equals":
            return value is not None and value != operand
        if operator == "any_of":
            return value in operand
        raise ValueError(operator)

    # --- demo data ----------------------------------------------------------------------

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        """A plausible answer for demo data; ``lean`` in [-1, 1] pushes it one way."""
        raise NotImplementedError


def _check_setting(rule: Setting, value: Any) -> LazyString | None:
    if rule.kind == "bool":
        return None if isinstance(value, bool) else _l("must be true or false")
    if rule.kind == "text":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return _l("must be a text per locale, such as {fi: ..., sv: ..., en: ...}")
        return None
    if rule.kind == "date":
        if isinstance(value, date):
            return None
        try:
            if not ISO_DATE.match(str(value)):
                raise ValueError(value)
            date.fromisoformat(str(value))
        except ValueError:
            return _l("must be a date written YYYY-MM-DD")
        return None
    numeric = (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    )
    if rule.kind == "int" and not (numeric and float(value).is_integer()):
        return _l("must be a whole number")
    if not numeric:
        return _l("must be a number")
    if rule.minimum is not None and value < rule.minimum:
        return _l("must be at least %(minimum)s", minimum=_plain(rule.minimum))
    if rule.maximum is not None and value > rule.maximum:
        return _l("must be at most %(maximum)s", maximum=_plain(rule.maximum))
    return None


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def weighted_index(rng: random.Random, count: int, lean: float, strength: float = 1.2) -> int:
    """An index in ``range(count)``; positive ``lean`` favours the first ones."""
    if count == 1:
        return 0
    weights = [math.exp(lean * strength * (1 - 2 * i / (count - 1))) for i in range(count)]
    return rng.choices(range(count), weights=weights)[0]
