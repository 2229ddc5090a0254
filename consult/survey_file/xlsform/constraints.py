"""Constraints: the simple bounds of an XLSForm ``constraint`` as consult settings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _

from consult.survey_file.xlsform.expressions import _FLIP, Node, Unsupported, _Parser, _render


def _constraint_parts(text: str) -> list[tuple[str, str | None, str, Node]]:
    """``(part as written, subject, operator, bound)`` for each and-ed part of a constraint;
    subject is ``self``, ``length`` or ``count``, or None when the part is no simple bound."""
    node = _Parser(text).parse()
    parts = node[1] if node[0] == "and" else [node]
    out: list[tuple[str, str | None, str, Node]] = []
    for part in parts:
        subject, operator, bound = None, "", part
        if part[0] == "cmp":
            left, operator, right = part[1], part[2], part[3]
            if right[0] == "self" or right[:2] in (
                ("call", "string-length"),
                ("call", "count-selected"),
            ):
                left, operator, right = right, _FLIP[operator], left
            if left == ("self",):
                subject = "self"
            elif left[0] == "call" and left[2] == [("self",)]:
                subject = {"string-length": "length", "count-selected": "count"}.get(left[1])
            bound = right
        out.append((_render(part), subject, operator, bound))
    return out


def _bound(kind: str, subject: str | None, operator: str, bound: Node) -> tuple[str, Any]:
    """The consult setting (name, value) for one bound of a constraint."""
    if kind == "number" and subject == "self" and bound[0] == "num":
        value = float(bound[1])
        value = int(value) if value.is_integer() else value
        if operator in (">=", "<="):
            return ("min" if operator == ">=" else "max"), value
        raise Unsupported(_("consult keeps only bounds written with >= and <="))
    if kind in ("integer",) and subject == "self" and bound[0] == "num":
        value = float(bound[1])
        if operator in (">=", "<=", ">", "<") and value.is_integer():
            step = {">": 1, "<": -1}.get(operator, 0)
            return ("min" if ">" in operator else "max"), int(value) + step
    if kind in ("short_text", "long_text", "multiple_choice") and bound[0] == "num":
        wanted = "length" if kind != "multiple_choice" else "count"
        name = "max_choices" if kind == "multiple_choice" else "max_length"
        if subject == wanted and operator in ("<=", "<") and float(bound[1]).is_integer():
            return name, int(float(bound[1])) - (operator == "<")
        raise Unsupported(_("consult keeps only an upper limit here"))
    if kind == "date" and subject == "self":
        text = bound[2][0][1] if bound[:2] == ("call", "date") and bound[2] else bound[1]
        try:
            day = date.fromisoformat(str(text))
        except ValueError:
            raise Unsupported(_("consult keeps only fixed dates as limits")) from None
        step = {">": 1, "<": -1}.get(operator, 0)
        if operator in (">=", "<=", ">", "<"):
            return ("min" if ">" in operator else "max"), (day + timedelta(days=step)).isoformat()
    raise Unsupported(_("consult has no equivalent of this constraint"))
