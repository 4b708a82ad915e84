"""Arithmetic formulas for computed worksheet fields: parsed, never eval'ed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\s*(?:(\d+(?:[.,]\d+)?)|([a-z][a-z0-9_]*)|(.))")


MAX_DEPTH = 40
MAX_TOKENS = 200


class FormulaError(ValueError):
    """A formula that cannot be parsed."""


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: float


@dataclass(frozen=True)
class Ref:
    """A reference to another field's value."""

    name: str


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Expr


@dataclass(frozen=True)
class BinOp:
    """A binary operation: one of + - * /."""

    op: str
    left: Expr
    right: Expr


Expr = Num | Ref | Neg | BinOp


def _tokens(text: str) -> list[str | float]:
    out: list[str | float] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the pattern matches any character
            raise FormulaError(f"cannot read {text[pos:]!r}")
        number, name, other = match.groups()
        if number is not None:
            value = float(number.replace(",", "."))
            if value > 1e15:
                raise FormulaError(f"number {number} is too large")
            out.append(value)
        elif name is not None:
            out.append(name)
        elif other in "+-*/()":
            out.append(other)
        else:
            raise FormulaError(f"unexpected character {other!r} (allowed: numbers, field ids, + - * / ( ))")
        pos = match.end()
    return out


class _Parser:
    def __init__(self, tokens: list[str | float]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> str | float | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str | float | None:
        token = self.peek()
        self.pos += 1
        return token

    def expr(self) -> Expr:
        node = self.term()
        while self.peek() in ("+", "-"):
            op = str(self.take())
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Expr:
        node = self.factor()
        while self.peek() in ("*", "/"):
            op = str(self.take())
            node = BinOp(op, node, self.factor())
        return node

    def factor(self) -> Expr:
        token = self.take()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"formula is nested too deeply (more than {MAX_DEPTH} levels)")
        try:
            return self._factor(token)
        finally:
            self.depth -= 1

    def _factor(self, token: str | float | None) -> Expr:
        if isinstance(token, float):
            return Num(token)
        if token == "-":
            return Neg(self.factor())
        if token == "(":
            node = self.expr()
            if self.take() != ")":
                raise FormulaError("missing ')'")
            return node
        if isinstance(token, str) and token not in "+-*/()":
            return Ref(token)
        raise FormulaError("expected a number, a field id or '('" if token is None else f"unexpected {token!r}")


def parse(text: str) -> Expr:
    """Parse a formula like `netze * minuten * 52 / 60`."""
    tokens = _tokens(text)
    if not tokens:
        raise FormulaError("formula is empty")
    if len(tokens) > MAX_TOKENS:
        raise FormulaError(f"formula is too long (more than {MAX_TOKENS} parts)")
    parser = _Parser(tokens)
    node = parser.expr()
    if parser.peek() is not None:
        raise FormulaError(f"unexpected {parser.peek()!r}")
    return node


def references(node: Expr) -> set[str]:
    """Return the field ids a formula reads."""
    if isinstance(node, Ref):
        return {node.name}
    if isinstance(node, Neg):
        return references(node.operand)
    if isinstance(node, BinOp):
        return references(node.left) | references(node.right)
    return set()


def evaluate(node: Expr, values: dict[str, float | None]) -> float | None:
    """Compute a formula; None when an input is missing or a division is by zero."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return values.get(node.name)
    if isinstance(node, Neg):
        inner = evaluate(node.operand, values)
        return None if inner is None else -inner
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if left is None or right is None:
        return None
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    return None if right == 0 else left / right


def to_json(node: Expr) -> Any:
    """Return the formula as a small JSON tree the browser script evaluates."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return {"ref": node.name}
    if isinstance(node, Neg):
        return {"op": "neg", "a": to_json(node.operand)}
    return {"op": node.op, "a": to_json(node.left), "b": to_json(node.right)}


_SYMBOLS = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def describe(node: Expr, names: dict[str, str], number: Any = str) -> str:
    """Return the formula for people, fields by their short names, with × and ÷ (for paper)."""
    if isinstance(node, Num):
        return str(number(node.value))
    if isinstance(node, Ref):
        return names.get(node.name, node.name)
    if isinstance(node, Neg):
        return "−" + _wrap(node.operand, 3, names, number)
    left = _wrap(node.left, _PRECEDENCE[node.op], names, number)
    right = _wrap(node.right, _PRECEDENCE[node.op] + (node.op in "-/"), names, number)
    return f"{left} {_SYMBOLS[node.op]} {right}"


def _wrap(node: Expr, level: int, names: dict[str, str], number: Any) -> str:
    text = describe(node, names, number)
    if isinstance(node, BinOp) and _PRECEDENCE[node.op] < level:
        return f"({text})"
    return text
