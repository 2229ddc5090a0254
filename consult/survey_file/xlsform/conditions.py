"""Display conditions: XLSForm ``relevant`` as consult conditions, and back."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from consult.questions.scale import DONT_KNOW
from consult.survey_file.xlsform.expressions import (
    _COMPARE,
    _FLIP,
    Node,
    Unsupported,
    _Parser,
    _render,
)


@dataclass
class Asked:
    """What a condition needs to know of an earlier question (by its XLSForm name)."""

    name: str
    key: str
    type: str
    options: dict[str, str] = field(default_factory=dict)  # choice name -> option key
    points: tuple[int, int, bool] | None = None  # a scale's (low, high, don't know)
    rows: tuple[str, ...] = ()  # a matrix statement's: the names of all its matrix's rows


def relevant_to_condition(text: str, resolve: Callable[[str], Asked]) -> dict[str, Any]:
    """A consult condition that holds exactly when ``text`` (XLSForm ``relevant``) does."""
    return simplify(_whole_matrices(_condition(_Parser(text).parse(), resolve)))


def _whole_matrices(condition: dict[str, Any]) -> dict[str, Any]:
    """Every row of a matrix tested together (any answered, or all unanswered) is the matrix
    answered or not; a test on some of its rows has no consult equivalent."""
    for word, wanted in (("any", True), ("all", False)):
        if word not in condition:
            continue
        parts = [p if "_row" in p else _whole_matrices(p) for p in condition[word]]
        tested: dict[str, set[str]] = {}
        for part in parts:
            if "_row" in part and part["answered"] is wanted:
                tested.setdefault(part["question"], set()).add(part["_row"])
        out: list[dict[str, Any]] = []
        for part in parts:
            if "_row" in part:
                if part["answered"] is not wanted or tested[part["question"]] != set(part["_rows"]):
                    raise Unsupported(_statement_message(part["_row"]))
                part = {"question": part["question"], "answered": wanted}
                if part in out:
                    continue
            out.append(part)
        return {word: out}
    if "_row" in condition:
        raise Unsupported(_statement_message(condition["_row"]))
    return condition


def _statement_message(name: str) -> str:
    return _(
        "'%(name)s' is one statement of a matrix; a condition can only ask whether the whole "
        "matrix was answered",
        name=name,
    )


def _condition(node: Node, resolve: Callable[[str], Asked]) -> dict[str, Any]:
    kind = node[0]
    if kind in ("and", "or"):
        return {"all" if kind == "and" else "any": [_condition(p, resolve) for p in node[1]]}
    if (
        kind == "call"
        and node[1] == "not"
        and len(node[2]) == 1
        and node[2][0][:2]
        == (
            "call",
            "selected",
        )
    ):
        asked, value = _selected(node[2][0], resolve)
        return _not_equal(asked, value)
    if kind == "call" and node[1] == "selected":
        asked, value = _selected(node, resolve)
        return {"question": asked.key, "equals": value}
    if kind == "cmp":
        left, operator, right = node[1], node[2], node[3]
        if right[0] in ("ref", "call"):
            left, operator, right = right, _FLIP[operator], left
        if left[:2] == ("call", "count-selected") and len(left[2]) == 1 and left[2][0][0] == "ref":
            return _count(resolve(left[2][0][1]), operator, right)
        if left[0] == "ref" and right[0] in ("lit", "num"):
            return _compare(resolve(left[1]), operator, right)
    raise Unsupported(_("consult's conditions have no equivalent of %(part)s", part=_render(node)))


def _selected(node: Node, resolve: Callable[[str], Asked]) -> tuple[Asked, Any]:
    arguments = node[2]
    if len(arguments) != 2 or arguments[0][0] != "ref" or arguments[1][0] not in ("lit", "num"):
        raise Unsupported(_("selected() needs a question and a choice name"))
    asked = resolve(arguments[0][1])
    if asked.type not in ("single_choice", "multiple_choice", "yes_no", "scale"):
        raise Unsupported(_("selected() on '%(name)s' has no consult equivalent", name=asked.name))
    return asked, _operand(asked, arguments[1])


def _not_equal(asked: Asked, value: Any) -> dict[str, Any]:
    """XLSForm's ``!=`` also holds when the question is unanswered; consult's does not."""
    return {
        "any": [
            {"question": asked.key, "answered": False},
            {"question": asked.key, "not_equals": value},
        ]
    }


def _answered(asked: Asked, answered: bool) -> dict[str, Any]:
    if asked.type == "matrix_row":
        return {
            "question": asked.key,
            "answered": answered,
            "_row": asked.name,
            "_rows": asked.rows,
        }
    return {"question": asked.key, "answered": answered}


def _count(asked: Asked, operator: str, right: Node) -> dict[str, Any]:
    if right[0] == "num":
        test = (operator, float(right[1]))
        if test in ((">", 0), (">=", 1), ("!=", 0)):
            return _answered(asked, True)
        if test in (("=", 0), ("<", 1), ("<=", 0)):
            return _answered(asked, False)
    raise Unsupported(_("consult's conditions cannot count the options chosen"))


def _compare(asked: Asked, operator: str, literal: Node) -> dict[str, Any]:
    if literal == ("lit", ""):
        if operator in ("=", "!="):
            return _answered(asked, operator == "!=")
        raise Unsupported(_("an empty answer can only be compared with = or !="))
    if asked.type == "matrix_row":
        raise Unsupported(_statement_message(asked.name))
    if asked.type == "multiple_choice":
        raise Unsupported(_("'%(name)s' allows several choices: use selected()", name=asked.name))
    if operator == "=":
        return {"question": asked.key, "equals": _operand(asked, literal)}
    if operator == "!=":
        return _not_equal(asked, _operand(asked, literal))
    if asked.points is not None:
        try:
            bound = float(literal[1])
        except ValueError:
            raise Unsupported(_("a scale point is a number")) from None
        low, high, _dont_know = asked.points
        points = [p for p in range(low, high + 1) if _COMPARE[operator](p, bound)]
        if not points:
            raise Unsupported(_("no point of the scale satisfies it"))
        if len(points) == 1:
            return {"question": asked.key, "equals": points[0]}
        return {"question": asked.key, "any_of": points}
    raise Unsupported(_("consult's conditions compare answers only with = and !="))


def _operand(asked: Asked, literal: Node) -> Any:
    text = literal[1]
    if asked.type in ("single_choice", "multiple_choice"):
        if text in asked.options:
            return asked.options[text]
        raise Unsupported(
            _("'%(value)s' is not a choice of '%(name)s'", value=text, name=asked.name)
        )
    if asked.type == "yes_no" and text in ("yes", "no"):
        return text
    if asked.type == "scale" and asked.points is not None:
        low, high, dont_know = asked.points
        if text == DONT_KNOW and dont_know:
            return DONT_KNOW
        if re.fullmatch(r"-?\d+", text) and low <= int(text) <= high:
            return int(text)
    if asked.type == "number":
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            return int(number) if number.is_integer() else number
    if asked.type in ("yes_no", "scale", "number"):
        raise Unsupported(
            _("'%(value)s' is not an answer to '%(name)s'", value=text, name=asked.name)
        )
    raise Unsupported(
        _(
            "a condition can only ask whether '%(name)s' was answered (= '' or != '')",
            name=asked.name,
        )
    )


def _is_valued(condition: Mapping[str, Any]) -> bool:
    return any(op in condition for op in ("equals", "not_equals", "any_of"))


def simplify(condition: dict[str, Any]) -> dict[str, Any]:
    """An equivalent, shorter condition: nested all/any flattened, answered-tests that other
    parts imply dropped, ``equals`` on one question inside ``any`` merged into ``any_of``."""
    for word in ("all", "any"):
        if word not in condition:
            continue
        parts = _flatten(word, [simplify(part) for part in condition[word]])
        if word == "all":
            answered = {p["question"] for p in parts if p.get("answered") is True}
            pruned = []
            for part in parts:
                if "any" in part:
                    rest = [
                        p
                        for p in part["any"]
                        if not (p.get("answered") is False and p.get("question") in answered)
                    ]
                    part = (rest[0] if len(rest) == 1 else {"any": rest}) if rest else part
                pruned.append(part)
            parts = _flatten("all", pruned)
            valued = {p["question"] for p in parts if _is_valued(p)}
            parts = [
                p for p in parts if not (p.get("answered") is True and p["question"] in valued)
            ]
        else:
            parts = _merge_any(parts)
        unique: list[dict[str, Any]] = []
        for part in parts:
            if part not in unique:
                unique.append(part)
        return unique[0] if len(unique) == 1 else {word: unique}
    return condition


def _flatten(word: str, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in parts:
        out.extend(part.get(word, [part]))
    return out


def _merge_any(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for part in parts:
        values = [part["equals"]] if "equals" in part else part.get("any_of")
        key = part.get("question")
        if values is None or key is None:
            merged.append(part)
        elif key in index:
            target = merged[index[key]]
            if "equals" in target:
                target = merged[index[key]] = {"question": key, "any_of": [target["equals"]]}
            target["any_of"] = target["any_of"] + [v for v in values if v not in target["any_of"]]
        else:
            index[key] = len(merged)
            merged.append(dict(part))
    return merged


def condition_to_relevant(
    condition: Mapping[str, Any],
    types: Mapping[str, str],
    rows: Mapping[str, list[str]] | None = None,
) -> str:
    """XLSForm ``relevant`` that holds exactly when the consult ``condition`` does;
    ``types`` gives each question key's type, ``rows`` each matrix's row names."""
    for word, joiner in (("all", " and "), ("any", " or ")):
        if word in condition:
            parts = [condition_to_relevant(part, types, rows) for part in condition[word]]
            return joiner.join(f"({p})" if " and " in p or " or " in p else p for p in parts)
    key = condition["question"]
    kind = types[key]
    ref = f"${{{key}}}"
    if "answered" in condition:
        refs = [f"${{{row}}}" for row in (rows or {}).get(key, [])] or [ref]
        if condition["answered"]:
            return " or ".join(f"{r} != ''" for r in refs)
        return " and ".join(f"{r} = ''" for r in refs)
    if "equals" in condition:
        value = _literal(condition["equals"], kind)
        return f"selected({ref}, {value})" if kind == "multiple_choice" else f"{ref} = {value}"
    if "not_equals" in condition:
        value = _literal(condition["not_equals"], kind)
        if kind == "multiple_choice":
            return f"count-selected({ref}) > 0 and not(selected({ref}, {value}))"
        return f"{ref} != '' and {ref} != {value}"
    values = [_literal(v, kind) for v in condition["any_of"]]
    if kind == "multiple_choice":
        return " or ".join(f"selected({ref}, {v})" for v in values)
    return " or ".join(f"{ref} = {v}" for v in values)


def _literal(value: Any, kind: str) -> str:
    if kind == "number":
        return _number_text(value)
    text = str(value)
    return f'"{text}"' if "'" in text else f"'{text}'"


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _and(first: dict | None, second: dict | None) -> dict | None:
    if first and second:
        return simplify({"all": [first, second]})
    return first or second
