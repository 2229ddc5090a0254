"""Display conditions on questions and sections.

A condition is data (see docs/survey-format.md)::

    {"question": "prep_has_plan", "equals": "yes"}
    {"all": [cond, ...]}  {"any": [cond, ...]}

:func:`check` validates one against the questions that come before it;
:func:`holds` evaluates one against a respondent's answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.questions import QuestionSpec, get_type
from consult.questions.base import VALUE_OPERATORS

OPERATORS = (*VALUE_OPERATORS, "answered")

Problem = tuple[str, str]


#: How deeply all/any may nest; more is surely a mistake (or a YAML alias loop).
MAX_DEPTH = 8


def check(
    condition: Any, earlier: Mapping[str, QuestionSpec], path: str, depth: int = 0
) -> list[Problem]:
    """Problems with ``condition``; ``earlier`` are the questions it may refer to, by key."""
    if depth > MAX_DEPTH:
        return [(path, str(_l("nests all/any more than %(count)d deep", count=MAX_DEPTH)))]
    if not isinstance(condition, dict):
        return [(path, str(_l("must be a mapping such as {question: KEY, equals: VALUE}")))]
    for combinator in ("all", "any"):
        if combinator in condition:
            parts = condition[combinator]
            if set(condition) != {combinator}:
                return [(path, str(_l("'%(name)s' stands alone in its mapping", name=combinator)))]
            if not isinstance(parts, list) or not parts:
                return [(f"{path}.{combinator}", str(_l("must be a non-empty list of conditions")))]
            problems: list[Problem] = []
            for i, part in enumerate(parts):
                problems.extend(check(part, earlier, f"{path}.{combinator}[{i}]", depth + 1))
            return problems
    key = condition.get("question")
    if not isinstance(key, str):
        return [(f"{path}.question", str(_l("is missing: name an earlier question's key")))]
    operators = [op for op in OPERATORS if op in condition]
    extra = set(condition) - {"question", *OPERATORS}
    if extra:
        names = ", ".join(sorted(str(e) for e in extra))
        return [(path, str(_l("unknown field(s): %(names)s", names=names)))]
    if len(operators) != 1:
        return [
            (
                path,
                str(
                    _l(
                        "needs exactly one of %(operators)s",
                        operators=", ".join(OPERATORS),
                    )
                ),
            )
        ]
    spec = earlier.get(key)
    if spec is None:
        return [(f"{path}.question", str(_l("'%(key)s' is not an earlier question", key=key)))]
    operator = operators[0]
    operand = condition[operator]
    question_type = get_type(spec.type)
    if not question_type.answerable:
        return [(f"{path}.question", str(_l("'%(key)s' is a note and has no answer", key=key)))]
    if not spec.valid:
        return []  # the question itself is wrong, and that is reported where it stands
    if operator == "answered":
        if not isinstance(operand, bool):
            return [(f"{path}.answered", str(_l("must be true or false")))]
        return []
    if operator == "any_of" and operand == []:
        return [(f"{path}.any_of", str(_l("must list at least one value")))]
    message = question_type.check_operand(spec, operator, operand)
    return [(f"{path}.{operator}", message)] if message else []


Lookup = Callable[[str], tuple[Any, Any, str | None]]


def holds(condition: Mapping[str, Any] | None, lookup: Lookup) -> bool:
    """Whether ``condition`` holds. ``lookup(key)`` gives ``(question, value, text)``;
    a question that is itself hidden must be looked up as unanswered."""
    if not condition:
        return True
    if "all" in condition:
        return all(holds(part, lookup) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, lookup) for part in condition["any"])
    question, value, text = lookup(condition["question"])
    question_type = get_type(question.type)
    answered = question_type.is_answered(value, text)
    if "answered" in condition:
        return answered is bool(condition["answered"])
    if not answered:
        return False
    for operator in VALUE_OPERATORS:
        if operator in condition:
            return question_type.matches(question, value, operator, condition[operator])
    return False
