"""XLSForm expressions (relevant, constraint) read with pyxform's lexer into nested tuples,
and written back as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from pyxform.parsing.expression import parse_expression
from pyxform.parsing.sheet_headers import clean_text_values


class Unsupported(Exception):
    """An expression (or part of one) consult cannot keep; the message says why."""


_FLIP = {"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
Node = tuple[Any, ...]


def _lex(text: str) -> list[tuple[str, str]]:
    """pyxform's tokens for an expression, without blanks, ``<=`` and ``>=`` in one piece."""
    tokens: list[tuple[str, str]] = []
    for token in parse_expression(clean_text_values(text)):
        kind, value = token.type, str(token)
        if kind == "WHITESPACE":
            continue
        if kind == "NAME" and value in ("and", "or"):
            kind = "OPS_BOOL"
        if kind == "OPS_BOOL":
            value = value.strip()
        if kind == "OPS_COMP" and value == "=" and tokens and tokens[-1][1] in ("<", ">"):
            tokens[-1] = ("OPS_COMP", tokens[-1][1] + "=")
            continue
        tokens.append((kind, value))
    return tokens


class _Parser:
    """XPath's and/or, comparisons and function calls, as nested tuples."""

    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.at = 0

    def peek(self) -> tuple[str | None, str | None]:
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, None)

    def take(self, kind: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] is None or (kind is not None and token[0] != kind):
            raise Unsupported(_("the expression cannot be read"))
        self.at += 1
        return token  # type: ignore[return-value]

    def parse(self) -> Node:
        node = self.expression()
        if self.at != len(self.tokens):
            raise Unsupported(_("the expression cannot be read"))
        return node

    def expression(self) -> Node:
        return self.chain("or", self.conjunction)

    def conjunction(self) -> Node:
        return self.chain("and", self.comparison)

    def chain(self, word: str, part: Callable[[], Node]) -> Node:
        parts = [part()]
        while self.peek() == ("OPS_BOOL", word):
            self.take()
            parts.append(part())
        return parts[0] if len(parts) == 1 else (word, parts)

    def comparison(self) -> Node:
        if self.peek()[0] == "OPEN_PAREN":
            self.take()
            node = self.expression()
            self.take("CLOSE_PAREN")
            return node
        left = self.operand()
        if self.peek()[0] == "OPS_COMP":
            operator = self.take()[1]
            return ("cmp", left, operator, self.operand())
        return left

    def operand(self) -> Node:
        kind, value = self.take()
        if kind == "PYXFORM_REF":
            return ("ref", value[2:-1])
        if kind == "SELF_REF":
            return ("self",)
        if kind == "SYSTEM_LITERAL":
            return ("lit", value[1:-1])
        if kind in ("NUMBER", "DATE"):
            return ("num", value) if kind == "NUMBER" else ("lit", value)
        if kind == "FUNC_CALL":
            arguments = []
            if self.peek()[0] != "CLOSE_PAREN":
                arguments.append(self.expression())
                while self.peek()[0] == "COMMA":
                    self.take()
                    arguments.append(self.expression())
            self.take("CLOSE_PAREN")
            return ("call", value[:-1], arguments)
        raise Unsupported(_("the expression cannot be read"))


def _render(node: Node) -> str:
    kind = node[0]
    if kind in ("and", "or"):
        return f" {kind} ".join(_render(part) for part in node[1])
    if kind == "cmp":
        return f"{_render(node[1])} {node[2]} {_render(node[3])}"
    if kind == "call":
        return f"{node[1]}({', '.join(_render(a) for a in node[2])})"
    return {
        "ref": lambda: f"${{{node[1]}}}",
        "self": lambda: ".",
        "lit": lambda: f"'{node[1]}'",
    }.get(kind, lambda: str(node[1]))()
