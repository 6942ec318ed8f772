"""Expressions of the validation rules (校验规则, docs/reporting.md): arithmetic over a
unit's figures, written by the office on the rules page — `V - Vp >= 0`, `V <= L * 3`,
`abs(G - (V / L - 1) * 100) <= 0.1`.

Pure (no Django): parsed with Python's own grammar and then restricted to numbers, the
variables below, + - * /, parentheses and abs(), so that a rule can never run anything
else; every refusal is a Chinese message for the page. Evaluated in Decimal; a missing
figure or a division by zero gives None (the rule is not applicable), never an error.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

VARIABLES = {
    "V": "本期累计值",
    "G": "同比增长(%)",
    "L": "上年同期累计值",
    "Vp": "上期累计值",
    "Lp": "上年同期的上期累计值",
}
OPERATORS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "="}
MAX_LENGTH = 200
_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
VARIABLES_TEXT = "、".join(f"{name}（{label}）" for name, label in VARIABLES.items())


class ExpressionError(ValueError):
    """A malformed expression; the message is for the page."""


@dataclass(frozen=True)
class Expression:
    text: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        try:
            return _eval(self.tree, values)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None


@lru_cache(maxsize=512)
def parse(text: str) -> Expression:
    text = text.strip()
    if not text:
        raise ExpressionError("请填写表达式")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"表达式不能超过 {MAX_LENGTH} 个字符")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise ExpressionError(f"表达式“{text}”写法有误，请检查括号和运算符") from None
    names = frozenset(_check(tree, text))
    return Expression(text, tree, names)


def _check(node: ast.AST, text: str) -> list[str]:
    """The variable names used; refuses anything but the allowed arithmetic."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return []
    if isinstance(node, ast.Name):
        if node.id not in VARIABLES:
            raise ExpressionError(f"“{node.id}”不是可用的变量，可用：{VARIABLES_TEXT}")
        return [node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _check(node.left, text) + _check(node.right, text)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return _check(node.operand, text)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "abs"
        and len(node.args) == 1
        and not node.keywords
    ):
        return _check(node.args[0], text)
    part = ast.get_source_segment(text, node) or text
    raise ExpressionError(f"表达式只能使用数字、变量、+ - * /、括号和 abs()，不支持“{part}”")


def _eval(node: ast.AST, values: Mapping[str, Decimal | None]) -> Decimal | None:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if left is None or right is None:
            return None
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        if operand is None:
            return None
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.Call)
    inner = _eval(node.args[0], values)
    return None if inner is None else abs(inner)


def holds(left: Decimal, operator: str, right: Decimal) -> bool:
    return {
        "<=": left <= right,
        "<": left < right,
        ">=": left >= right,
        ">": left > right,
        "==": left == right,
    }[operator]
