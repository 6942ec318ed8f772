"""DOMAIN §5's r(x): the one rounding used for display, ranking and status.

Official tables print one decimal, rounded half-up (四舍五入, halves away from
zero) after spreadsheet-style noise removal: the float is first rounded to 10
decimal places, so 5.05 stored as 5.04999999999999982236431605997495353221893310546875
still prints 5.1.  Python's round() would round the binary value half-to-even
and print 5.0, hence `decimal` here.

`r_expr` does the same inside polars, exactly: it splits |x| into an integer
mantissa M and a power of two (|x| = M / 2**s) and performs both roundings
in 128-bit integers, so it agrees with `r` on every finite float (a
hypothesis test checks this), not just on "nice" ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal

import polars as pl

from baozheng.analysis.exact import div_const

_NOISE = Decimal("1e-10")
_TENTH = Decimal("0.1")
# Enough digits for the largest float with 10 decimals (the default 28 is not).
_CONTEXT = Context(prec=400, rounding=ROUND_HALF_UP)


def r(x: float | None) -> float | None:
    """Round to one decimal the way the bulletin prints it; None stays None."""
    if x is None or not math.isfinite(x):
        return None
    cleaned = Decimal(x).quantize(_NOISE, context=_CONTEXT)
    return float(cleaned.quantize(_TENTH, context=_CONTEXT))


# |x| >= 2**49 has a float spacing of at least 0.125, so the nearest float to
# r(x) (which is within 0.05 of x) is x itself.
_BIG = 2.0**49
# |x| < 2**-60 rounds to 0 at the tenth decimal place already.
_MAX_SHIFT = 52 + 60


def _exponent(mag: pl.Expr, approx: pl.Expr) -> pl.Expr:
    """floor(log2(mag)), corrected exactly (log2 may be off by one near powers of two)."""
    two = pl.lit(2.0)
    return (
        pl.when(two.pow(approx) > mag)
        .then(approx - 1)
        .when(two.pow(approx + 1) <= mag)
        .then(approx + 1)
        .otherwise(approx)
    )


def _shift(exponent: pl.Expr) -> pl.Expr:
    """s such that mag * 2**s is the integer mantissa."""
    return (52 - exponent).clip(0, _MAX_SHIFT).cast(pl.UInt32, strict=False)


def _tenths(mag: pl.Expr, shift: pl.Expr) -> pl.Expr:
    """|x| rounded half-up to 1e-10 and then to 0.1, as an integer count of tenths."""
    mantissa = (mag * pl.lit(2.0).pow(shift)).cast(pl.Int128, strict=False)
    power = pl.lit(2, pl.Int128).pow(shift)
    noise_free = (mantissa * 10**10 + power // 2) // power  # units of 1e-10, half-up
    return (noise_free + 5 * 10**8) // 10**9  # units of 0.1, half-up


def _finish(x: pl.Expr, mag: pl.Expr, tenths: pl.Expr) -> pl.Expr:
    return (
        pl.when(x.is_null() | ~x.is_finite())
        .then(None)
        .when(mag >= _BIG)
        .then(x)
        .when(mag < 2.0**-60)
        .then(x * 0.0)
        .otherwise(div_const(tenths, 10) * x.sign())
    )


def r_expr(x: pl.Expr) -> pl.Expr:
    """Vectorised r(): the same result as `r` for every value, null for null/NaN/inf."""
    mag = x.abs()
    shift = _shift(_exponent(mag, mag.log(2).floor()))
    return _finish(x, mag, _tenths(mag, shift))


def with_rounded(frame: pl.LazyFrame, columns: Mapping[str, str]) -> pl.LazyFrame:
    """Add r() of each source column under its new name, in three flat stages.

    The same computation as `r_expr`, but the shift and the tenths are
    columns, so the query plan stays small however many figures are rounded.
    """
    c = pl.col
    shift = {out: f"__shift_{out}" for out in columns}
    tenths = {out: f"__tenths_{out}" for out in columns}
    frame = frame.with_columns(
        _shift(_exponent(c(src).abs(), c(src).abs().log(2).floor())).alias(shift[out])
        for out, src in columns.items()
    )
    frame = frame.with_columns(
        _tenths(c(src).abs(), c(shift[out])).alias(tenths[out]) for out, src in columns.items()
    )
    frame = frame.with_columns(
        _finish(c(src), c(src).abs(), c(tenths[out])).alias(out) for out, src in columns.items()
    )
    return frame.drop([*shift.values(), *tenths.values()])
