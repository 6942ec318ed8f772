"""Rule expressions are parsed into a closed arithmetic (no Django, no database): the
office's formulas evaluate in Decimal, and anything else is refused in Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from baozheng.reporting.expressions import ExpressionError, holds, parse


def test_an_expression_evaluates_over_the_named_figures() -> None:
    single_month = parse("V - Vp")
    assert single_month.names == {"V", "Vp"}
    assert single_month.evaluate({"V": Decimal("10.5"), "Vp": Decimal("12")}) == Decimal("-1.5")
    growth_gap = parse("abs(G - (V / L - 1) * 100)")
    assert growth_gap.evaluate({"G": Decimal("8"), "V": Decimal("110"), "L": Decimal("100")}) == 2


def test_a_missing_figure_or_a_zero_divisor_makes_the_rule_not_applicable() -> None:
    assert parse("V / L").evaluate({"V": Decimal(1), "L": Decimal(0)}) is None
    assert parse("V * 3").evaluate({"V": None}) is None


def test_the_operators_compare_as_written() -> None:
    assert holds(Decimal(1), "<=", Decimal(1)) and not holds(Decimal(1), "<", Decimal(1))
    assert holds(Decimal(2), ">", Decimal(1)) and holds(Decimal(1), "==", Decimal("1.0"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写表达式"),
        ("V -", "写法有误"),
        ("X * 3", "“X”不是可用的变量"),
        ("__import__('os')", "不支持"),
        ("V ** 2", "不支持“V ** 2”"),
        ("V.real", "不支持"),
        ("'a'", "不支持"),
    ],
)
def test_a_malformed_expression_is_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse(text)
