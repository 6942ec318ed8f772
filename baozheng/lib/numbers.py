"""Formatting a number must never take a page down.

A value that cannot be shown as a figure (NaN, infinity, a number larger than any column
may hold, a non-number where a figure belongs) would raise in a format spec or in r(x)
and turn a page, a bulletin or a download into a 500 for everyone who reads it. Every
number formatter is wrapped in `never_raises`: such a value prints as 数值异常 and is
logged once, and the rest of the page renders.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from decimal import Decimal
from typing import ParamSpec

log = logging.getLogger("baozheng.numbers")
ABNORMAL = "数值异常"
# Beyond every column (the widest, 20 digits with 4 places, stops below 10**16), with
# room for sums of many large figures; anything larger is not a real figure.
DISPLAY_LIMIT = 10**18
_reported: set[str] = set()

P = ParamSpec("P")


def abnormal(value: object) -> bool:
    """True for a number no figure can be (not finite, or beyond every column)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    try:
        return not math.isfinite(value) or abs(value) >= DISPLAY_LIMIT
    except (ArithmeticError, ValueError, TypeError):  # a signalling NaN
        return True


def _report(where: str, value: object, problem: object) -> None:
    if where not in _reported:
        _reported.add(where)
        log.warning("无法格式化的数值（%s）：%s %s", where, repr(value)[:80], problem)


def displayable(value: object, where: str) -> object:
    """The value, or 数值异常 in its place when no figure can be it (for cell writers)."""
    if abnormal(value):
        _report(where, value, "not a displayable figure")
        return ABNORMAL
    return value


def never_raises(formatter: Callable[P, str]) -> Callable[P, str]:
    """The formatter, printing 数值异常 (logged once per formatter) where it would fail."""

    @functools.wraps(formatter)
    def safe(*args: P.args, **kwargs: P.kwargs) -> str:
        try:
            if args and abnormal(args[0]):
                raise ValueError("not a displayable figure")
            return formatter(*args, **kwargs)
        except (ArithmeticError, ValueError, TypeError) as exc:
            _report(formatter.__qualname__, args[0] if args else None, exc)
            return ABNORMAL

    return safe
